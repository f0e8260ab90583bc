"""The report of a "check only" upload, kept for the session that checked it: its issues, for
the CSV to-do list, and never the file's bytes (a dry run stores nothing of the file)."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from exchange.models.base import Base, utcnow


class CheckReport(Base):
    __tablename__ = "check_report"
    id: Mapped[str] = mapped_column(String(43), primary_key=True)  # random, URL-safe
    user_id: Mapped[int] = mapped_column(ForeignKey("hub_user.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    period: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    issues: Mapped[list] = mapped_column(JSON)  # Issue.to_dict() of each issue, in order
