"""A column mapping a partner sent with an upload, remembered for files with the same headings."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from exchange.models.base import Base, utcnow


class ColumnMapping(Base):
    """Which of the file's headings feeds which standard field, for one partner and kind and one
    set of headings (``headings_key``: the same in any order, case or spacing)."""

    __tablename__ = "column_mapping"
    __table_args__ = (UniqueConstraint("partner_id", "kind", "headings_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    headings_key: Mapped[str] = mapped_column(String(64))
    headings: Mapped[list] = mapped_column(JSON)  # the file's headings, as written
    columns: Mapped[dict] = mapped_column(JSON)  # standard field -> heading (or null)
    saved_by: Mapped[str] = mapped_column(String(200))
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
