"""OAuth 2.0 clients, tokens and authorization codes. Secrets, tokens and codes are kept only
as SHA-256 hashes; the plain values exist in the response that issues them and nowhere else."""

import hmac
from datetime import datetime

from authlib.oauth2.rfc6749 import AuthorizationCodeMixin, ClientMixin, TokenMixin
from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.models.base import Base, utcnow
from exchange.models.places import Partner
from exchange.models.users import User
from exchange.oauth.hashing import hash_secret
from exchange.oauth.scopes import parse_scope

CONFIDENTIAL_METHODS = ("client_secret_basic", "client_secret_post")


class OAuthClient(Base, ClientMixin):
    """A partner's system (client credentials) or a browser application (authorization code)."""

    __tablename__ = "oauth_client"
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(48), unique=True)
    client_secret_hash: Mapped[str | None] = mapped_column(String(64))  # None: a public client
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    scope: Mapped[str] = mapped_column(String(400))  # allowed scopes, space-separated
    grant_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    redirect_uris: Mapped[list[str]] = mapped_column(JSON, default=list)
    token_endpoint_auth_method: Mapped[str] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    partner: Mapped[Partner] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<OAuthClient {self.client_id}>"

    @property
    def is_public(self) -> bool:
        return self.client_secret_hash is None

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        # With several registered URIs the request must say which one (RFC 6749 3.1.2.3).
        return self.redirect_uris[0] if len(self.redirect_uris) == 1 else None

    def get_allowed_scope(self, scope: str | None) -> str | None:
        """The requested scope if the client may have all of it (None refuses the request).
        Leaving ``scope`` out asks for every scope the client may have; an empty one is refused,
        so a scope narrowed to nothing can never widen into the client's default."""
        allowed = parse_scope(self.scope)
        if scope is None:
            return " ".join(sorted(allowed))
        requested = parse_scope(scope)
        return " ".join(sorted(requested)) if requested and requested <= allowed else None

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        if self.client_secret_hash is None or self.revoked_at is not None:
            return False
        return hmac.compare_digest(self.client_secret_hash, hash_secret(client_secret))

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        if self.is_public:
            # A public client may get and revoke its own tokens, but not introspect.
            return method == "none" and endpoint in ("token", "revocation")
        return method in CONFIDENTIAL_METHODS

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code" and "authorization_code" in self.grant_types

    def check_grant_type(self, grant_type: str) -> bool:
        return self.revoked_at is None and grant_type in self.grant_types


class OAuthToken(Base, TokenMixin):
    """An access token (at most an hour) and, for people, its rotating refresh token."""

    __tablename__ = "oauth_token"
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("oauth_client.client_id"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("hub_user.id"), index=True)
    token_type: Mapped[str] = mapped_column(String(20), default="Bearer")
    access_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    refresh_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Tokens issued by rotating one refresh token share a family: reusing a rotated refresh
    # token revokes the whole family (RFC 9700 4.14.2).
    family: Mapped[str] = mapped_column(String(32), index=True)
    scope: Mapped[str] = mapped_column(String(400), default="")
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    refresh_expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    refresh_revoked_at: Mapped[datetime | None]
    rotated_at: Mapped[datetime | None]
    client: Mapped[OAuthClient] = relationship(lazy="joined")
    partner: Mapped[Partner] = relationship(lazy="joined")
    user: Mapped[User | None] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<OAuthToken {self.id} of {self.client_id}>"

    @property
    def scopes(self) -> set[str]:
        return parse_scope(self.scope)

    def check_client(self, client: OAuthClient) -> bool:
        return self.client_id == client.client_id

    def get_scope(self) -> str:
        return self.scope

    def get_expires_in(self) -> int:
        return int((self.expires_at - self.issued_at).total_seconds())

    def get_expires_at(self) -> int:
        return int(self.expires_at.timestamp())

    def is_expired(self) -> bool:
        return self.expires_at <= utcnow()

    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def refresh_usable(self) -> bool:
        return (self.refresh_token_hash is not None and self.refresh_revoked_at is None
                and self.refresh_expires_at is not None and self.refresh_expires_at > utcnow())

    def get_user(self) -> User | None:
        return self.user

    def get_client(self) -> OAuthClient:
        return self.client


class AuthorizationCode(Base, AuthorizationCodeMixin):
    """A single-use code, minutes long, bound to client, user, redirect URI and PKCE challenge.
    A used code is kept (``used_at``) until it expires, so that a replay can be recognised."""

    __tablename__ = "oauth_authorization_code"
    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("oauth_client.client_id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("hub_user.id"), index=True)
    redirect_uri: Mapped[str | None] = mapped_column(String(500))
    scope: Mapped[str] = mapped_column(String(400), default="")
    code_challenge: Mapped[str] = mapped_column(String(128))
    code_challenge_method: Mapped[str] = mapped_column(String(10))
    nonce: Mapped[str | None] = mapped_column(String(200))
    # The tokens issued for this code share its family, so a replayed code can revoke them.
    family: Mapped[str] = mapped_column(String(32))
    auth_time: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    def get_redirect_uri(self) -> str | None:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return int(self.auth_time.timestamp())

    def is_expired(self) -> bool:
        return self.expires_at <= utcnow()
