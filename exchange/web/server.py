"""The HTTP server of `hub run` (and `make run`): Werkzeug's, without its version in ``Server``,
with the JSON error shape for the errors it answers itself (414, 431, 400) on API and OAuth
paths, and with secrets taken out of the query strings it writes to the access log."""

import json
from urllib.parse import unquote_plus

from werkzeug.serving import WSGIRequestHandler

from exchange.errorhandlers import error_body

SERVER = "Anchor Exchange"
JSON_PATHS = ("/api/", "/oauth/", "/.well-known/")
# Query parameters whose values never reach a log: OAuth secrets and codes, passwords, tokens.
SECRET_PARAMETERS = frozenset({
    "client_secret", "password", "code", "code_verifier", "token", "access_token",
    "refresh_token", "id_token", "assertion", "client_assertion", "secret", "csrf_token"})
REDACTED = "[redacted]"


def redact(target: str) -> str:
    """A request target with the values of secret query parameters replaced."""
    path, mark, query = target.partition("?")
    if not mark:
        return target
    pairs = []
    for pair in query.split("&"):
        name, equals, _ = pair.partition("=")
        secret = unquote_plus(name).strip().lower() in SECRET_PARAMETERS
        pairs.append(f"{name}{equals}{REDACTED}" if secret and equals else pair)
    return f"{path}?{'&'.join(pairs)}"


class HubRequestHandler(WSGIRequestHandler):
    """Werkzeug's request handler, hardened as above."""

    def version_string(self) -> str:
        return SERVER

    def send_error(self, code: int, message: str | None = None, explain: str | None = None):
        """Errors found before the app is reached (a request line or headers too long): HTML
        as http.server writes them, except on the JSON paths."""
        if not self._target().startswith(JSON_PATHS):
            super().send_error(code, message, explain)
            return
        self.log_error("code %d, message %s", code, message)
        body = json.dumps(error_body(code)).encode()
        self.send_response(code, message)
        self.send_header("Content-Type", "application/json")
        self.send_header("Connection", "close")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.close_connection = True
        if getattr(self, "command", None) != "HEAD":
            self.wfile.write(body)

    def _target(self) -> str:
        """The request's path, even when the request line was too long to be parsed."""
        path = getattr(self, "path", None)
        if path:
            return path
        words = getattr(self, "raw_requestline", b"")[:8192].decode("latin-1").split()
        return words[1] if len(words) > 1 else ""

    def log_request(self, code="-", size="-") -> None:
        path, line = getattr(self, "path", None), getattr(self, "requestline", "")
        if path is not None:
            self.path = redact(path)
        self.requestline = " ".join(redact(word) for word in line.split(" "))
        try:
            super().log_request(code, size)
        finally:
            if path is not None:
                self.path = path
            self.requestline = line
