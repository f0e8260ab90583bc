"""Rate limits on failed authentications: at the OAuth token, introspection and revocation
endpoints per (client id, address), and on signing in per (email address, address).

Only failures are counted (a 4xx answer), so a partner's own successful requests never use up
its allowance, and a stranger's wrong guesses with a partner's client id lock out only the
stranger's address. The address is the one werkzeug's ProxyFix leaves in ``remote_addr``: it
believes X-Forwarded-For only from TRUSTED_PROXY_HOPS proxies (create_app).

The limit strings are read from the config on every request (TOKEN_RATE_LIMIT,
LOGIN_RATE_LIMIT), so a test can lower them; counters live in RATELIMIT_STORAGE_URI
(``memory://`` by default, one process; ``redis://…`` shares them between workers)."""

from flask import Flask, Response, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.datastructures import Authorization

DEFAULT_LOGIN_RATE_LIMIT = "10 per minute"
_KEPT = 100  # characters of a claimed client id or email address kept in a counter's key

# Unbound until init_app: no storage or app is created at import.
limiter = Limiter(key_func=get_remote_address, headers_enabled=True)


def token_rate_limit() -> str:
    return current_app.config["TOKEN_RATE_LIMIT"]


def login_rate_limit() -> str:
    return current_app.config.get("LOGIN_RATE_LIMIT", DEFAULT_LOGIN_RATE_LIMIT)


def failed(response: Response) -> bool:
    """A refused authentication (the limiter's own 429 is never counted again)."""
    return 400 <= response.status_code < 500 and response.status_code != 429


def client_key() -> str:
    """The client a request claims to be (HTTP Basic or form) and the address it came from."""
    auth = Authorization.from_header(request.headers.get("Authorization"))
    client_id = (auth.username if auth and auth.type == "basic" else None) \
        or request.form.get("client_id") or ""
    return f"client:{client_id[:_KEPT]}@{get_remote_address()}"


def login_key() -> str:
    """The person a sign-in claims to be and the address it came from."""
    email = request.form.get("email", "").strip().lower()
    return f"login:{email[:_KEPT]}@{get_remote_address()}"


def client_failures(view):
    """TOKEN_RATE_LIMIT failed client authentications per (client id, address)."""
    return limiter.limit(token_rate_limit, key_func=client_key, scope="oauth-client",
                         deduct_when=failed)(view)


def login_failures(view):
    """LOGIN_RATE_LIMIT failed sign-ins per (email address, address); GET is never limited."""
    return limiter.limit(login_rate_limit, key_func=login_key, scope="login", methods=["POST"],
                         deduct_when=failed)(view)


def reset() -> None:
    """Forget every counter (tests share one app for the whole run)."""
    if limiter.initialized:
        limiter.reset()


def init_app(app: Flask) -> None:
    limiter.init_app(app)
