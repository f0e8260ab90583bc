"""Signed-in sessions of the web pages, found by the hash of their id."""

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from exchange.models.sessions import WebSession


class WebSessionRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, web_session: WebSession) -> WebSession:
        self.session.add(web_session)
        return web_session

    def by_hash(self, id_hash: str) -> WebSession | None:
        return self.session.scalars(select(WebSession).where(WebSession.id_hash == id_hash)).first()

    def delete_by_hash(self, id_hash: str) -> None:
        self.session.execute(delete(WebSession).where(WebSession.id_hash == id_hash))

    def delete_for_user(self, user_id: int) -> int:
        """End every session of one person; how many there were."""
        return self.session.execute(delete(WebSession).where(WebSession.user_id == user_id)
                                    ).rowcount
