"""Signed-in sessions of the web pages, kept by the hub: the browser's cookie carries a random id
and only its SHA-256 is stored, so a copy of the table signs nobody in."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from exchange.models.base import Base, utcnow


class WebSession(Base):
    """One signed-in browser; deleting the row signs it out at once."""

    __tablename__ = "web_session"
    id: Mapped[int] = mapped_column(primary_key=True)
    id_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 hex of the id
    user_id: Mapped[int] = mapped_column(ForeignKey("hub_user.id", ondelete="CASCADE"),
                                         index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
