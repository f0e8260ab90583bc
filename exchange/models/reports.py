"""Generated reports: the annual and mid-year reports of a place partnership, as stored.

The HTML, the PDF and the figures (JSON) are in the blob store by SHA-256; the row keeps the
periods, the releases and the returns (id and version) the figures were computed from, and a
fingerprint of them, so a report can be reproduced and a stale one recognised."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from exchange.models.base import Base, utcnow


class GeneratedReport(Base):
    """One rendering of one report (place, kind, financial year); never changed once stored."""

    __tablename__ = "generated_report"
    __table_args__ = (Index("ix_generated_report_lookup", "place_id", "kind", "year"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("place.id"))
    kind: Mapped[str] = mapped_column(String(10))  # "annual" or "mid-year"
    year: Mapped[str] = mapped_column(String(7))
    first_period: Mapped[str] = mapped_column(String(10))
    last_period: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(300))
    generated_at: Mapped[datetime] = mapped_column(default=utcnow)
    generated_by: Mapped[str] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(64))
    html_sha256: Mapped[str] = mapped_column(String(64))
    html_size: Mapped[int]
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    pdf_size: Mapped[int]
    data_sha256: Mapped[str] = mapped_column(String(64))
    data_size: Mapped[int]
    # Lineage: [{"id", "partner", "kind", "period", "version", "is_demo"}] of the returns counted,
    # for the report's periods and for the year before (the comparison).
    returns: Mapped[list] = mapped_column(JSON)
    previous_returns: Mapped[list] = mapped_column(JSON)
    # [{"id", "period", "version", "published_at"}]: the sub-region's releases of those quarters.
    releases: Mapped[list] = mapped_column(JSON)
    is_demo: Mapped[bool] = mapped_column(default=False)

    @property
    def return_ids(self) -> list[int]:
        return [r["id"] for r in self.returns]
