"""Rate limits on the token endpoint (per client and per address) and on signing in.

The limit strings are read from the config on every request (TOKEN_RATE_LIMIT,
LOGIN_RATE_LIMIT), so a test can lower them; counters live in RATELIMIT_STORAGE_URI
(``memory://`` by default: use Redis or Memcached when several workers serve the hub)."""

from flask import Flask, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.datastructures import Authorization

DEFAULT_LOGIN_RATE_LIMIT = "10 per minute"

# Unbound until init_app: no storage or app is created at import.
limiter = Limiter(key_func=get_remote_address, headers_enabled=True)


def token_rate_limit() -> str:
    return current_app.config["TOKEN_RATE_LIMIT"]


def login_rate_limit() -> str:
    return current_app.config.get("LOGIN_RATE_LIMIT", DEFAULT_LOGIN_RATE_LIMIT)


def client_key() -> str:
    """The client a token request claims to be (HTTP Basic or form), else its address."""
    auth = Authorization.from_header(request.headers.get("Authorization"))
    client_id = (auth.username if auth and auth.type == "basic" else None) \
        or request.form.get("client_id")
    return f"client:{client_id[:100]}" if client_id else f"anonymous:{get_remote_address()}"


def address_key() -> str:
    return f"address:{get_remote_address()}"


def per_client_and_address(view):
    """Both limits on one view: a busy partner cannot starve others, nor one address all."""
    view = limiter.limit(token_rate_limit, key_func=client_key, scope="oauth-client")(view)
    return limiter.limit(token_rate_limit, key_func=address_key, scope="oauth-address")(view)


def reset() -> None:
    """Forget every counter (tests share one app for the whole run)."""
    if limiter.initialized:
        limiter.reset()


def init_app(app: Flask) -> None:
    limiter.init_app(app)
