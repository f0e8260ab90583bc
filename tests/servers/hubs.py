"""`hub serve` as a subprocess on a free port, and a small HTTP client with its own cookies."""

import http.cookiejar
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, Request, build_opener

ROOT = Path(__file__).resolve().parents[2]
HUB = Path(sys.executable).with_name("hub")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServedHub:
    """One `hub serve` (gunicorn) on 127.0.0.1, stopped by ``stop``; its output in ``log``."""

    def __init__(self, env: dict, log: Path, workers: int = 1, threads: int = 4):
        self.port, self.log = free_port(), log
        self.url = f"http://127.0.0.1:{self.port}"
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                [str(HUB), "serve", "--bind", f"127.0.0.1:{self.port}", "--workers",
                 str(workers), "--threads", str(threads)],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)

    def wait_ready(self, seconds: float = 60) -> None:
        """Until /readyz answers 200 (the database answers and the blob store takes a file)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"hub serve ended: {self.log.read_text()[-3000:]}")
            try:
                if Client(self.url).get("/readyz")[0] == 200:
                    return
            except (URLError, ConnectionError):
                pass
            time.sleep(0.3)
        raise RuntimeError(f"hub serve was not ready in {seconds} s: "
                           f"{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def serve_env(**settings: str) -> dict:
    """The environment of a `hub serve`: this one, without any EXCHANGE_ setting of the
    caller's, plus ``settings``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("EXCHANGE_")}
    env.update(settings)
    return env


class Client:
    """HTTP to one server with a cookie jar that may be shared with a client of another
    (cookies name a host, not a port)."""

    def __init__(self, base: str, cookies: http.cookiejar.CookieJar | None = None):
        self.base = base
        self.cookies = cookies if cookies is not None else http.cookiejar.CookieJar()
        self.opener = build_opener(HTTPCookieProcessor(self.cookies))

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict | None = None) -> tuple[int, dict, bytes]:
        request = Request(self.base + path, data=body, method=method,  # noqa: S310 - loopback
                          headers=headers or {})
        try:
            with self.opener.open(request, timeout=120) as response:
                return response.status, dict(response.headers), response.read()
        except HTTPError as err:
            return err.code, dict(err.headers), err.read()

    def get(self, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
        return self.request("GET", path, headers=headers)

    def form(self, path: str, fields: dict, headers: dict | None = None):
        return self.request("POST", path, urlencode(fields).encode(), {
            "Content-Type": "application/x-www-form-urlencoded", **(headers or {})})

    def json(self, path: str, headers: dict | None = None):
        status, _, body = self.get(path, headers)
        return status, json.loads(body)

    def upload(self, path: str, fields: dict, filename: str, data: bytes,
               headers: dict | None = None):
        boundary = uuid.uuid4().hex
        body = b"".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                        f"{value}\r\n".encode() for name, value in fields.items())
        body += (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                 f'filename="{filename}"\r\nContent-Type: text/csv\r\n\r\n').encode()
        body += data + f"\r\n--{boundary}--\r\n".encode()
        return self.request("POST", path, body, {
            "Content-Type": f"multipart/form-data; boundary={boundary}", **(headers or {})})
