"""Maintained aggregates of spend lines, one set per accepted spend return.

Views and feeds read these, never ``spend_line``. They are built from a return's lines when the
return is accepted (in the same transaction) and kept when it is superseded, so a figure for any
set of return ids — the current ones, or those a release was published from — can be recomputed.
Money is held in whole pence, exact on SQLite and PostgreSQL alike.

``location`` is the supplier's LAD code for located lines, or ``outside`` / ``unknown``.
``band_pence`` is the highest spend threshold among all partners (or 0) that the line's absolute
amount reaches: the ``comparable`` basis at threshold T sums the bands at or above T."""

from sqlalchemy import BigInteger, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from exchange.models.base import Base

OUTSIDE, UNKNOWN = "outside", "unknown"


def _return_fk():
    return mapped_column(ForeignKey("partner_return.id", ondelete="CASCADE"), primary_key=True)


class SpendAggregate(Base):
    """Sums of one return's spend lines by supplier location, SME and VCSE flags and band."""

    __tablename__ = "spend_aggregate"
    return_id: Mapped[int] = _return_fk()
    location: Mapped[str] = mapped_column(String(9), primary_key=True)
    sme: Mapped[bool] = mapped_column(primary_key=True)
    vcse: Mapped[bool] = mapped_column(primary_key=True)
    band_pence: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    amount_pence: Mapped[int] = mapped_column(BigInteger)
    credit_pence: Mapped[int] = mapped_column(BigInteger)  # the negative amounts only
    lines: Mapped[int] = mapped_column(Integer)


class SpendSupplierAggregate(Base):
    """The distinct suppliers (by supplier key; redacted lines have none) a return paid, by
    location and band (with the net amount paid), so distinct counts across partners and
    quarters stay exact."""

    __tablename__ = "spend_supplier_aggregate"
    return_id: Mapped[int] = _return_fk()
    supplier_key: Mapped[str] = mapped_column(String(320), primary_key=True)
    location: Mapped[str] = mapped_column(String(9), primary_key=True)
    band_pence: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    amount_pence: Mapped[int] = mapped_column(BigInteger)
