"""The three grants the hub allows, on hashed storage: client credentials, authorization code
with PKCE (S256 only, always), and refresh tokens that rotate on every use."""

import logging
import uuid
from datetime import timedelta

from authlib.oauth2.rfc6749 import (
    InvalidGrantError,
    InvalidRequestError,
    InvalidScopeError,
    grants,
)
from authlib.oauth2.rfc7636 import CodeChallenge
from flask import current_app

from exchange.context import get_uow
from exchange.models.base import utcnow
from exchange.models.oauth import AuthorizationCode, OAuthToken
from exchange.models.users import User
from exchange.oauth import hashing
from exchange.oauth.scopes import narrow_for_user
from exchange.oauth.storage import repo
from exchange.repositories.oauth import OAuthRepository
from exchange.repositories.users import UserRepository

log = logging.getLogger(__name__)

SECRET_METHODS = ["client_secret_basic", "client_secret_post"]


class S256CodeChallenge(CodeChallenge):
    """PKCE on every authorization request, and only with S256: ``plain`` or no method at all
    (which RFC 7636 reads as ``plain``) are refused, as is a request without a challenge."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]
    DEFAULT_CODE_CHALLENGE_METHOD = "S256"

    def validate_code_challenge(self, grant, redirect_uri):
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("PKCE is required: send 'code_challenge' and "
                                      "'code_challenge_method=S256'.")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("Only 'code_challenge_method=S256' is supported.")
        super().validate_code_challenge(grant, redirect_uri)


class ClientCredentialsGrant(grants.ClientCredentialsGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = SECRET_METHODS


class AuthorizationCodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = [*SECRET_METHODS, "none"]  # "none": public clients, with PKCE

    def save_authorization_code(self, code: str, request) -> None:
        user: User = request.user
        scope = narrow_for_user(request.scope, user.roles)
        if not scope:
            raise InvalidScopeError("You may not grant any of the scopes requested.")
        now = utcnow()
        seconds = current_app.config["AUTHORIZATION_CODE_SECONDS"]
        data = request.payload.data
        repo().add_code(AuthorizationCode(
            code_hash=hashing.hash_token(code), client_id=request.client.client_id,
            user_id=user.id, redirect_uri=request.payload.redirect_uri, scope=scope,
            code_challenge=data["code_challenge"], code_challenge_method="S256",
            nonce=data.get("nonce"), family=uuid.uuid4().hex, auth_time=now,
            expires_at=now + timedelta(seconds=seconds)))

    def query_authorization_code(self, code: str, client) -> AuthorizationCode | None:
        item = repo().code(code, client.client_id)
        if item is None or item.is_expired():
            return None
        if item.used_at is not None:
            log.warning("authorization code %s of client %s replayed: revoking its tokens",
                        item.id, client.client_id)
            revoke_family_now(item.family)
            return None
        return item

    def delete_authorization_code(self, authorization_code: AuthorizationCode) -> None:
        if not repo().consume_code(authorization_code.id, utcnow()):
            raise InvalidGrantError("The authorization code has already been used.")

    def authenticate_user(self, authorization_code: AuthorizationCode) -> User | None:
        user = UserRepository(repo().session).get(authorization_code.user_id)
        if user is None or user.disabled or user.partner_id != self.request.client.partner_id:
            return None
        return user


class RefreshTokenGrant(grants.RefreshTokenGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = [*SECRET_METHODS, "none"]
    INCLUDE_NEW_REFRESH_TOKEN = True

    def authenticate_refresh_token(self, refresh_token: str) -> OAuthToken | None:
        token = repo().token_by_refresh(refresh_token)
        if token is None:
            return None
        if token.rotated_at is not None:
            # A rotated refresh token came back: one of its two holders is an attacker.
            log.warning("rotated refresh token of token %s (client %s) reused: revoking its "
                        "family", token.id, token.client_id)
            revoke_family_now(token.family)
            return None
        return token if token.refresh_usable() else None

    def authenticate_user(self, refresh_token: OAuthToken) -> User | None:
        user = refresh_token.user
        if user is None or user.disabled or user.partner_id != refresh_token.partner_id:
            raise InvalidGrantError("The refresh token's user can no longer sign in.")
        return user

    def issue_token(self, user: User, refresh_token: OAuthToken) -> dict:
        # The person's roles may have shrunk since they signed in: never issue beyond them.
        scope = narrow_for_user(self.request.payload.scope or refresh_token.get_scope(),
                                user.roles)
        if not scope:
            raise InvalidScopeError()
        return self.generate_token(user=user, scope=scope, include_refresh_token=True)

    def revoke_old_credential(self, refresh_token: OAuthToken) -> None:
        if not repo().claim_refresh(refresh_token.id, utcnow()):
            raise InvalidGrantError("The refresh token has already been used.")


def revoke_family_now(family: str) -> None:
    """Revoke a token family in its own transaction, so it sticks although the request fails."""
    with get_uow() as unit:
        OAuthRepository(unit.session).revoke_family(family, utcnow())
        unit.commit()
