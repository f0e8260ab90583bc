"""Errors the services raise; the API and pages render them. No Flask here."""


class ExchangeError(Exception):
    """Base of every error a user may see; ``message`` is written for them."""

    status = 500
    code = "internal_error"

    def __init__(self, message: str = "Something went wrong on our side.", errors=None,
                 headers=None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}
        self.headers = headers or {}


class BadRequest(ExchangeError):
    status = 400
    code = "bad_request"


class NotFound(ExchangeError):
    status = 404
    code = "not_found"


class Conflict(ExchangeError):
    status = 409
    code = "conflict"


class Forbidden(ExchangeError):
    status = 403
    code = "forbidden"


class Unprocessable(ExchangeError):
    status = 422
    code = "unprocessable"


class UnsupportedMediaType(ExchangeError):
    status = 415
    code = "unsupported_media_type"


class StorageFull(ExchangeError):
    """The store of submitted bytes has no room: nothing was kept, nothing was recorded."""

    status = 507
    code = "insufficient_storage"


class StorageUnavailable(ExchangeError):
    """The store of submitted bytes cannot be written just now (unwritable, unmounted)."""

    status = 503
    code = "storage_unavailable"


class ConfigError(ExchangeError):
    """The hub's own configuration files are wrong; raised at load time, not to partners."""

    code = "config_error"
