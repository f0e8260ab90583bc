"""One JSON error shape everywhere: {"code", "status", "error", "message", "errors"}."""

import logging
import uuid
from http import HTTPStatus

from flask import Flask, g, jsonify, request
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from exchange.errors import ExchangeError

log = logging.getLogger(__name__)

MESSAGES = {
    400: "The request could not be understood.",
    401: "Sign in, or send a valid access token.",
    403: "You are not allowed to do that.",
    404: "There is nothing at this address.",
    405: "This address does not accept that method.",
    413: "The upload is larger than the hub accepts.",
    414: "The address is longer than the hub accepts.",
    415: "The hub cannot read this kind of file.",
    422: "Some of what was sent is not valid.",
    429: "Too many requests: wait a little and try again.",
    431: "The request's headers are larger than the hub accepts.",
    500: "Something went wrong on our side. It has been logged; please try again later.",
    503: "The hub is busy: wait a few seconds and try again.",
}

# PostgreSQL's lock_timeout (55P03) and statement_timeout (57014); SQLite's busy write lock.
BUSY_SQLSTATES = {"55P03", "57014"}
RETRY_AFTER_SECONDS = 5


def error_body(status: int, message: str | None = None, *, error: str | None = None,
               errors=None) -> dict:
    """The error shape as a dict; ``error`` is a stable machine-readable code."""
    phrase = HTTPStatus(status).phrase
    return {
        "code": status,
        "status": phrase,
        "error": error or phrase.lower().replace(" ", "_").replace("-", "_"),
        "message": message or MESSAGES.get(status, phrase),
        "errors": errors or {},
    }


def error_response(status: int, message: str | None = None, *, error: str | None = None,
                   errors=None, headers=None):
    """The error response every endpoint uses."""
    response = jsonify(error_body(status, message, error=error, errors=errors))
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def handle_http_exception(err: HTTPException):
    status = err.code or 500
    data = getattr(err, "data", None) or {}
    errors = data.get("messages") or data.get("errors")
    # Keep werkzeug's headers: Allow on 405, WWW-Authenticate on 401, Retry-After on 429.
    headers = {k: v for k, v in err.get_headers() if k.lower() != "content-type"}
    message = data.get("message") or getattr(err, "exchange_message", None)
    if status == 429:
        message = MESSAGES[429]
    return error_response(status, message, error=getattr(err, "error_code", None),
                          errors=errors, headers=headers)


def handle_exchange_error(err: ExchangeError):
    return error_response(err.status, err.message, error=err.code, errors=err.errors,
                          headers=err.headers)


def handle_database_busy(err: OperationalError):
    """A lock not granted or a statement cut off by the database's timeouts: 503, try again."""
    busy = (getattr(err.orig, "sqlstate", None) in BUSY_SQLSTATES
            or "database is locked" in str(err.orig))
    if not busy:
        return handle_unexpected(err)
    log.warning("database busy on %s %s: %s", request.method, request.path,
                str(err.orig).splitlines()[0] if str(err.orig) else type(err.orig).__name__)
    return error_response(503, error="busy", headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


def handle_unexpected(err: Exception):
    incident = g.get("request_id") or uuid.uuid4().hex
    log.error("unhandled error %s on %s %s", incident, request.method, request.path,
              exc_info=err)
    return error_response(500, f"{MESSAGES[500]} (incident {incident})")


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(ExchangeError, handle_exchange_error)
    app.register_error_handler(OperationalError, handle_database_busy)
    app.register_error_handler(Exception, handle_unexpected)
