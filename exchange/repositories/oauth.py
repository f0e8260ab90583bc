"""OAuth clients, tokens and codes, always found by the hash of what was presented."""

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from exchange.models.oauth import AuthorizationCode, OAuthClient, OAuthToken
from exchange.oauth.hashing import hash_token


class OAuthRepository:
    def __init__(self, session: Session):
        self.session = session

    # clients

    def add_client(self, client: OAuthClient) -> OAuthClient:
        self.session.add(client)
        return client

    def client(self, client_id: str) -> OAuthClient | None:
        """A client by id, revoked or not."""
        stmt = select(OAuthClient).where(OAuthClient.client_id == client_id)
        return self.session.scalars(stmt).first()

    def active_client(self, client_id: str) -> OAuthClient | None:
        client = self.client(client_id)
        return client if client is not None and client.revoked_at is None else None

    def clients_for_partner(self, partner_id: int) -> list[OAuthClient]:
        stmt = select(OAuthClient).where(OAuthClient.partner_id == partner_id)
        return list(self.session.scalars(stmt.order_by(OAuthClient.created_at)))

    # tokens

    def add_token(self, token: OAuthToken) -> OAuthToken:
        self.session.add(token)
        return token

    def token_by_access(self, access_token: str) -> OAuthToken | None:
        stmt = select(OAuthToken).where(OAuthToken.access_token_hash == hash_token(access_token))
        return self.session.scalars(stmt).first()

    def token_by_refresh(self, refresh_token: str) -> OAuthToken | None:
        stmt = select(OAuthToken).where(OAuthToken.refresh_token_hash == hash_token(refresh_token))
        return self.session.scalars(stmt).first()

    def claim_refresh(self, token_id: int, now: datetime) -> bool:
        """Mark a refresh token used, atomically: False if another request got there first."""
        stmt = (update(OAuthToken)
                .where(OAuthToken.id == token_id, OAuthToken.refresh_revoked_at.is_(None))
                .values(refresh_revoked_at=now, rotated_at=now))
        return self.session.execute(stmt).rowcount == 1

    def revoke_family(self, family: str, now: datetime) -> int:
        """Revoke every token descended from one authorization, e.g. on refresh token reuse."""
        return self._revoke(OAuthToken.family == family, now)

    def revoke_for_client(self, client_id: str, now: datetime) -> int:
        return self._revoke(OAuthToken.client_id == client_id, now)

    def revoke_for_user(self, user_id: int, now: datetime) -> int:
        return self._revoke(OAuthToken.user_id == user_id, now)

    def _revoke(self, where, now: datetime) -> int:
        access = update(OAuthToken).where(where, OAuthToken.revoked_at.is_(None))
        refresh = update(OAuthToken).where(where, OAuthToken.refresh_revoked_at.is_(None))
        count = self.session.execute(access.values(revoked_at=now)).rowcount
        self.session.execute(refresh.values(refresh_revoked_at=now))
        return count

    # authorization codes

    def add_code(self, code: AuthorizationCode) -> AuthorizationCode:
        self.session.add(code)
        return code

    def code(self, code: str, client_id: str) -> AuthorizationCode | None:
        stmt = select(AuthorizationCode).where(AuthorizationCode.code_hash == hash_token(code),
                                               AuthorizationCode.client_id == client_id)
        return self.session.scalars(stmt).first()

    def consume_code(self, code_id: int, now: datetime) -> bool:
        """Mark a code used, atomically: False if it was already used."""
        stmt = (update(AuthorizationCode)
                .where(AuthorizationCode.id == code_id, AuthorizationCode.used_at.is_(None))
                .values(used_at=now))
        return self.session.execute(stmt).rowcount == 1

    def delete_expired_codes(self, now: datetime) -> int:
        stmt = delete(AuthorizationCode).where(AuthorizationCode.expires_at <= now)
        return self.session.execute(stmt).rowcount
