"""The hub's log lines: one JSON object a line, each with the request id of the request it
belongs to (or none, for a job or a command).

A request's id is the ``X-Request-Id`` it came with when that is a plain token (a proxy's id
carries through), else a new one; it is sent back in ``X-Request-Id`` and is the incident id of
a 500's body, so a person's report leads to the log lines. Lines carry an exception's type and
message, never its traceback (which may hold partners' data), and no secrets: the access log's
query strings are cut at ``client_secret``, ``password``, ``token`` and ``code`` values."""

import contextvars
import json
import logging
import re
import uuid
from datetime import UTC, datetime

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id",
                                                                         default=None)
_SAFE_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
_SECRET_VALUES = re.compile(
    r"((?:client_secret|password|access_token|refresh_token|token|code)=)[^&\s\"]+",
    re.IGNORECASE)


def new_request_id(offered: str | None) -> str:
    """The id for a request: the one a proxy offered when it is a plain token, else a new one."""
    if offered and _SAFE_ID.fullmatch(offered):
        return offered
    return uuid.uuid4().hex


def redact(text: str) -> str:
    """The text with the values of secret-bearing query parameters replaced by ***."""
    return _SECRET_VALUES.sub(r"\1***", text)


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request_id, and error."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
            "request_id": getattr(record, "request_id", None) or request_id.get(),
        }
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            first = str(error).strip().splitlines()[0] if str(error).strip() else ""
            line["error"] = redact(f"{type(error).__name__}: {first}"[:500])
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """The same fields as text, for a person at a terminal (LOG_FORMAT = "text")."""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        record.request_id = getattr(record, "request_id", None) or request_id.get() or "-"
        saved, record.exc_info, record.exc_text = record.exc_info, None, None
        try:
            return redact(super().format(record))
        finally:
            record.exc_info = saved


def configure(level: str = "INFO", fmt: str = "json") -> None:
    """Send every log line to standard error in ``fmt`` ("json" or "text"); safe to call again
    (the hub's own handler is replaced, others are left alone)."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "exchange", False)]:
        root.removeHandler(handler)
    handler = logging.StreamHandler()
    handler.exchange = True
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    root.addHandler(handler)
    root.setLevel(level)
