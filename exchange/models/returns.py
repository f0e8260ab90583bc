"""A return: one submission of one kind for one period by one partner, accepted or rejected."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.models.base import Base, utcnow

ACCEPTED, REJECTED = "accepted", "rejected"


class PartnerReturn(Base):
    """Every submission is kept (its bytes in the blob store, by SHA-256). Accepted ones get a
    version; the newest accepted one of a (partner, kind, period) is current."""

    __tablename__ = "partner_return"
    __table_args__ = (
        # At most one current return per partner, kind and period, enforced by the database.
        Index("uq_partner_return_current", "partner_id", "kind", "period", unique=True,
              sqlite_where=text("is_current"), postgresql_where=text("is_current")),
        UniqueConstraint("partner_id", "idempotency_key"),
        Index("ix_partner_return_lookup", "partner_id", "kind", "period"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id"))
    kind: Mapped[str] = mapped_column(String(20))
    period: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10))
    version: Mapped[int | None]
    is_current: Mapped[bool] = mapped_column(default=False)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("partner_return.id"))
    sha256: Mapped[str] = mapped_column(String(64))
    byte_size: Mapped[int]
    filename: Mapped[str | None] = mapped_column(String(255))
    media_type: Mapped[str | None] = mapped_column(String(100))
    file_format: Mapped[str | None] = mapped_column(String(10))
    profile: Mapped[str | None] = mapped_column(String(40))
    submitted_by: Mapped[str] = mapped_column(String(200))
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    row_count: Mapped[int] = mapped_column(default=0)
    error_count: Mapped[int] = mapped_column(default=0)
    warning_count: Mapped[int] = mapped_column(default=0)
    total_amount: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    is_demo: Mapped[bool] = mapped_column(default=False)
    approved_by: Mapped[str | None] = mapped_column(String(200))
    approved_at: Mapped[datetime | None]
    partner = relationship("Partner", lazy="joined")


class ReturnIssue(Base):
    """One finding of validation: an error blocks acceptance, a warning does not.

    A file warned on every line lists 50,000 of each code, written by one COPY in the
    transaction that creates their return, so the return is not a foreign key (PostgreSQL
    would look it up again for every issue; migration 0029): ``submit_return`` writes them
    with the id of the return it has just created, and returns are never deleted."""

    __tablename__ = "return_issue"
    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(index=True)
    severity: Mapped[str] = mapped_column(String(10))
    code: Mapped[str] = mapped_column(String(60))
    message: Mapped[str] = mapped_column(String(1000))
    row: Mapped[int | None]
    column: Mapped[str | None] = mapped_column(String(200))
    column_letter: Mapped[str | None] = mapped_column(String(4))
    value: Mapped[str | None] = mapped_column(String(500))
