"""The supplier directory's own tables: what a partner's data officer states about a supplier
(the worklist), and cross-partner name matches waiting for a person to confirm them.

A partner's suppliers return is the rest of the directory (``supplier_line``), and the
companies register (``company``) is its last source; ``exchange.services.directory.suppliers`` reads
them all, in that order."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from exchange.models.base import Base, utcnow

PENDING, CONFIRMED, REJECTED = "pending", "confirmed", "rejected"


class SupplierStatement(Base):
    """What one partner's data officer said about one of its suppliers, and when.

    Never updated: a later statement for the same supplier (same partner, same ``name_key``)
    is a new row and is the one used, so every value can be traced to who gave it. A statement
    is the partner's own word and places only that partner's lines, except through its
    ``org_id`` (an identifier, which any partner's lines may match)."""

    __tablename__ = "supplier_statement"
    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id"), index=True)
    name_key: Mapped[str] = mapped_column(String(300))
    supplier_name: Mapped[str] = mapped_column(String(300))
    supplier_id: Mapped[str | None] = mapped_column(String(100))
    org_id: Mapped[str | None] = mapped_column(String(40))
    postcode: Mapped[str | None] = mapped_column(String(8))
    location_status: Mapped[str] = mapped_column(String(10))
    lad_code: Mapped[str | None] = mapped_column(String(9))
    sme: Mapped[bool | None]
    vcse: Mapped[bool | None]
    stated_by: Mapped[str] = mapped_column(String(200))
    stated_at: Mapped[datetime] = mapped_column(default=utcnow)


class SupplierReview(Base):
    """A supplier of ``partner_id`` whose name alone matches another partner's supplier entry.

    It changes nothing while ``pending``; once ``confirmed`` by the partner's data officer,
    the other partner's entry places the partner's lines of that name (source ``register``:
    the officer has made it the partner's own word) at the next rebuild."""

    __tablename__ = "supplier_review"
    __table_args__ = (UniqueConstraint("partner_id", "name_key", "other_partner_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id"), index=True)
    name_key: Mapped[str] = mapped_column(String(300))
    supplier_name: Mapped[str] = mapped_column(String(300))
    other_partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id"))
    other_return_id: Mapped[int]
    other_supplier_id: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(10), default=PENDING)
    found_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None]
