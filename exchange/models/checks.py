"""The report of a "check only" upload, kept for the session that checked it: its issues, for
the CSV to-do list, and never the file's bytes (a dry run stores nothing of the file)."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, LargeBinary, String
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


class CheckedUpload(Base):
    """The bytes of a "check only" upload, kept so that "Submit this file" sends exactly what
    was checked. Not in the blob store (a check stores no return): a row of the web session
    that checked it, deleted with it (signing out, timeouts), after CHECKED_UPLOAD_MINUTES, or
    when submitted; one per session, and only files up to CHECKED_UPLOAD_MAX_BYTES."""

    __tablename__ = "checked_upload"
    id: Mapped[str] = mapped_column(String(43), primary_key=True)  # the check_report's id
    web_session_id: Mapped[int] = mapped_column(
        ForeignKey("web_session.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("hub_user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    period: Mapped[str] = mapped_column(String(10))
    filename: Mapped[str | None] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)
