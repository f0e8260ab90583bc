"""Turns the OAuth access token into g.partner; require_scope("returns:write").

The API is bearer-only: a signed-in browser session is not accepted here."""

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property, wraps

from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6750 import InsufficientScopeError, InvalidTokenError
from flask import g, request
from sqlalchemy import bindparam, or_, select

from exchange.context import get_engine
from exchange.errorhandlers import error_response
from exchange.models.base import utcnow
from exchange.models.oauth import OAuthClient, OAuthToken
from exchange.models.places import Partner, PartnerPlace
from exchange.models.users import User
from exchange.oauth import token_cache
from exchange.oauth.hashing import hash_token
from exchange.oauth.scopes import parse_scope

REALM = "anchor-exchange"
BAD_CREDENTIALS_MESSAGE = ("Send a valid access token in the Authorization header "
                         "(Bearer); it may have expired or been revoked.")


@dataclass(frozen=True)
class Holder:
    """The partner or person a token speaks for: only what routes read."""

    id: int
    slug: str = ""
    name: str = ""
    kind: str = ""
    email: str = ""

    @cached_property
    def place_ids(self) -> list[int]:
        """The partner's places, read only when a route asks."""
        stmt = (select(PartnerPlace.place_id).where(PartnerPlace.partner_id == self.id)
                .order_by(PartnerPlace.place_id))
        with get_engine().connect() as connection:
            return list(connection.scalars(stmt))


@dataclass(frozen=True)
class BearerToken:
    """A validated access token, read in one query; plain data, no database session."""

    id: int
    client_id: str
    scope: str
    expires_at: datetime
    revoked_at: datetime | None
    partner: Holder
    user: Holder | None

    @property
    def scopes(self) -> set[str]:
        return parse_scope(self.scope)

    def get_scope(self) -> str:
        return self.scope

    def is_expired(self) -> bool:
        return self.expires_at <= utcnow()

    def is_revoked(self) -> bool:
        return self.revoked_at is not None


def _token_query():
    """One Core statement: the token by its hash, with what decides whether it is alive and
    who it speaks for. No ORM objects, no relationship loads."""
    token, client, partner, user = (OAuthToken.__table__, OAuthClient.__table__,
                                    Partner.__table__, User.__table__)
    return (select(token.c.id, token.c.client_id, token.c.scope, token.c.expires_at,
                   token.c.revoked_at, partner.c.id, partner.c.slug, partner.c.name,
                   partner.c.kind, user.c.id, user.c.email)
            .select_from(token.join(client, client.c.client_id == token.c.client_id)
                         .join(partner, partner.c.id == token.c.partner_id)
                         .outerjoin(user, user.c.id == token.c.user_id))
            .where(token.c.access_token_hash == bindparam("hash"),
                   client.c.revoked_at.is_(None),
                   or_(user.c.id.is_(None), user.c.disabled.is_(False))))


_TOKEN = _token_query()


def find_bearer_token(token_string: str) -> BearerToken | None:
    """The live token presented, from the very short in-process memory (see
    ``exchange.oauth.token_cache``: revocations reach it at once here, within two seconds in
    other processes) or one database query."""
    engine, key = get_engine(), hash_token(token_string)
    cache = token_cache.cache_for(engine)
    found = cache.get(key)
    if found is not None:
        return found
    generation = cache.generation
    with engine.connect() as connection:
        row = connection.execute(_TOKEN, {"hash": key}).first()
    if row is None:
        return None
    (token_id, client_id, scope, expires_at, revoked_at, partner_id, slug, name, kind,
     user_id, email) = row
    token = BearerToken(token_id, client_id, scope or "", expires_at, revoked_at,
                        Holder(partner_id, slug, name, kind),
                        Holder(user_id, email=email) if user_id is not None else None)
    if revoked_at is None:
        cache.put(key, token, generation)
    return token


def bearer_token(scopes: tuple[str, ...]) -> BearerToken:
    """The live token of the request's ``Authorization: Bearer`` header holding every scope
    in ``scopes`` (RFC 6750): InvalidTokenError when there is none or it is unknown, expired or
    revoked (or its client revoked, its person disabled), InsufficientScopeError when it lacks
    a scope."""
    kind, _, value = request.headers.get("Authorization", "").partition(" ")
    value = value.strip()
    if kind.lower() != "bearer" or not value:
        raise InvalidTokenError(realm=REALM)
    token = find_bearer_token(value)
    if token is None or token.is_expired() or token.is_revoked():
        raise InvalidTokenError(realm=REALM)
    if not set(scopes) <= token.scopes:
        raise InsufficientScopeError()
    return token


def require_scope(*scopes: str):
    """Let the request through only with a live access token holding every scope named.

    No, bad, expired or revoked token: 401 ``invalid_token``. Missing scope: 403
    ``insufficient_scope``. Otherwise sets ``g.token``, ``g.partner``, ``g.user`` (or None) and
    ``g.scopes``. Put it outermost, so a bad token gets 401 before any 422."""
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            try:
                token = bearer_token(scopes)
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
