"""Turns the OAuth access token into g.partner; require_scope("returns:write").

The API is bearer-only: a signed-in browser session is not accepted here."""

from functools import wraps

from authlib.integrations.flask_oauth2 import ResourceProtector
from authlib.integrations.flask_oauth2.requests import FlaskJsonRequest
from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6750 import BearerTokenValidator, InsufficientScopeError
from flask import g, request

from exchange.context import get_uow
from exchange.errorhandlers import error_response
from exchange.models.oauth import OAuthToken
from exchange.repositories.oauth import OAuthRepository

REALM = "anchor-exchange"
BAD_CREDENTIALS_MESSAGE = ("Send a valid access token in the Authorization header "
                         "(Bearer); it may have expired or been revoked.")


class HubBearerTokenValidator(BearerTokenValidator):
    """Finds the token by the hash of what was presented; a token is dead when it has expired
    or been revoked, or its client has been revoked, or its person disabled."""

    def authenticate_token(self, token_string: str) -> OAuthToken | None:
        with get_uow() as uow:
            token = OAuthRepository(uow.session).token_by_access(token_string)
            if token is None or token.client.revoked_at is not None:
                return None
            if token.user is not None and token.user.disabled:
                return None
            # Hand the route detached, fully loaded objects it can read after this session.
            uow.session.expunge_all()
            return token


protector = ResourceProtector()
protector.register_token_validator(HubBearerTokenValidator(realm=REALM))


def require_scope(*scopes: str):
    """Let the request through only with a live access token holding every scope named.

    No, bad, expired or revoked token: 401 ``invalid_token``. Missing scope: 403
    ``insufficient_scope``. Otherwise sets ``g.token``, ``g.partner``, ``g.user`` (or None) and
    ``g.scopes``. Put it outermost, so a bad token gets 401 before any 422."""
    required = [" ".join(scopes)] if scopes else None

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            try:
                token = protector.validate_request(required, FlaskJsonRequest(request))
            except InsufficientScopeError:
                return _insufficient_scope(scopes)
            except OAuth2Error:
                return _invalid_token()
            g.token, g.partner, g.user = token, token.partner, token.user
            g.scopes = token.scopes
            return view(*args, **kwargs)

        wrapper._apidoc = dict(getattr(view, "_apidoc", {}))
        manual = dict(wrapper._apidoc.get("manual_doc", {}))
        manual["security"] = [{"oauth2": list(scopes)}]
        wrapper._apidoc["manual_doc"] = manual
        return wrapper

    return decorator


def current_actor() -> str:
    """Who is acting, for the audit log: ``user:<email>`` or ``client:<client_id>``."""
    if g.get("user") is not None:
        return f"user:{g.user.email}"
    if g.get("token") is not None:
        return f"client:{g.token.client_id}"
    return "anonymous"


def _invalid_token():
    header = f'Bearer realm="{REALM}", error="invalid_token"'
    return error_response(401, BAD_CREDENTIALS_MESSAGE, error="invalid_token",
                          headers={"WWW-Authenticate": header})


def _insufficient_scope(scopes):
    needed = " ".join(scopes)
    header = f'Bearer realm="{REALM}", error="insufficient_scope", scope="{needed}"'
    return error_response(403, f"This needs an access token with the scope {needed}.",
                          error="insufficient_scope", errors={"scope": list(scopes)},
                          headers={"WWW-Authenticate": header})
