"""Where the OAuth server, its grants and its endpoints keep their state: the current OAuth
request's unit of work and repository (one per request, see ``transaction``), and Authlib's
storage callbacks. The grants and endpoints import this module, never the server, so the
package has no import circle."""

import uuid
from contextlib import contextmanager
from datetime import timedelta

from authlib.oauth2.rfc6749 import InvalidGrantError
from flask import current_app, g

from exchange.context import get_uow
from exchange.models.base import utcnow
from exchange.models.oauth import OAuthClient, OAuthToken
from exchange.oauth import hashing
from exchange.repositories.oauth import OAuthRepository
from exchange.unit_of_work import UnitOfWork


def repo() -> OAuthRepository:
    """The OAuth repository of the current request's unit of work (see ``transaction``)."""
    return g.oauth_repo


def uow() -> UnitOfWork:
    return g.oauth_uow


@contextmanager
def transaction():
    """One unit of work for one OAuth request; Authlib's callbacks reach it through ``repo()``."""
    with get_uow() as unit:
        g.oauth_uow, g.oauth_repo = unit, OAuthRepository(unit.session)
        try:
            yield unit
        finally:
            g.pop("oauth_uow", None)
            g.pop("oauth_repo", None)


def query_client(client_id: str) -> OAuthClient | None:
    return repo().active_client(client_id)


def save_token(token: dict, request) -> None:
    """Store the hashes of a newly issued token, bound to the client's partner."""
    client, user = request.client, request.user
    if user is not None and user.partner_id != client.partner_id:
        raise InvalidGrantError("The user and the client belong to different partners.")
    now = utcnow()
    refresh = token.get("refresh_token")
    previous = request.refresh_token or request.authorization_code
    repo().add_token(OAuthToken(
        client_id=client.client_id, partner_id=client.partner_id,
        user_id=user.id if user is not None else None,
        token_type=token.get("token_type", "Bearer"),
        access_token_hash=hashing.hash_token(token["access_token"]),
        refresh_token_hash=hashing.hash_token(refresh) if refresh else None,
        family=previous.family if previous is not None else uuid.uuid4().hex,
        scope=token.get("scope", ""), issued_at=now,
        expires_at=now + timedelta(seconds=token["expires_in"]),
        refresh_expires_at=(now + timedelta(seconds=current_app.config["REFRESH_TOKEN_SECONDS"])
                            if refresh else None),
    ))
