"""The production server of `hub serve`: gunicorn with the hub's settings, one app per worker,
``Server: Anchor Exchange`` and an access log that never holds a secret.

The access log is gunicorn's, with the request target, query string and referrer passed through
the same ``redact`` as `hub run`'s (OAuth secrets and codes, passwords and tokens written as
``[redacted]``), and no request header that carries a credential."""

import gunicorn.http.wsgi
from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

from exchange.web.server import SERVER, redact

# gunicorn names itself and its version in every response's Server header; the hub names no
# version of anything it runs on.
gunicorn.http.wsgi.SERVER = SERVER
CREDENTIAL_HEADERS = ("{authorization}i", "{cookie}i", "{proxy-authorization}i", "{set-cookie}o")


class RedactingLogger(Logger):
    """gunicorn's logger, with secrets taken out of what the access log may write."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        target = redact(environ.get("RAW_URI") or "")
        atoms["r"] = f"{environ['REQUEST_METHOD']} {target} {environ['SERVER_PROTOCOL']}"
        atoms["q"] = redact(f"?{atoms['q']}")[1:] if atoms.get("q") else atoms.get("q")
        atoms["f"] = redact(atoms.get("f") or "-")
        for name in CREDENTIAL_HEADERS:
            atoms.pop(name, None)
        return atoms


class HubServer(BaseApplication):
    """gunicorn running the hub: each worker builds its own app after the fork (so no database
    connection is shared between processes), from the same environment as `hub serve`."""

    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for name, value in self.options.items():
            self.cfg.set(name, value)

    def load(self):
        from exchange import create_app

        return create_app()


def options(bind: str, workers: int, threads: int, timeout: int) -> dict:
    """gunicorn's settings for the hub's."""
    return {
        "bind": bind, "workers": workers, "threads": threads, "timeout": timeout,
        "worker_class": "gthread" if threads > 1 else "sync",
        "accesslog": "-", "errorlog": "-", "logger_class": RedactingLogger,
        "preload_app": False,
    }
