"""The normalised rows of accepted returns, one table per kind of the shared standard."""

from datetime import date
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from exchange.models.base import Base


def _return_fk():
    return mapped_column(ForeignKey("partner_return.id", ondelete="CASCADE"))


class SpendLine(Base):
    """One payment to a supplier, with where the supplier is and how we know it.

    Returns can hold millions of lines, written by one COPY, so the table carries one index,
    its key (return, row), and no foreign key: every line is written by ``submit_return`` in
    the transaction that creates its return, with that return's id, and returns are never
    deleted. A foreign key would have PostgreSQL look the return up again for every line."""

    __tablename__ = "spend_line"
    return_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    row_number: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    payment_date: Mapped[date]
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    supplier_name: Mapped[str] = mapped_column(String(300))
    supplier_name_normalised: Mapped[str | None] = mapped_column(String(300))
    supplier_id: Mapped[str | None] = mapped_column(String(100))
    company_number: Mapped[str | None] = mapped_column(String(10))
    charity_number: Mapped[str | None] = mapped_column(String(20))
    vat_number: Mapped[str | None] = mapped_column(String(20))
    supplier_postcode: Mapped[str | None] = mapped_column(String(8))
    expense_type: Mapped[str | None] = mapped_column(String(300))
    service_area: Mapped[str | None] = mapped_column(String(300))
    transaction_reference: Mapped[str | None] = mapped_column(String(100))
    irrecoverable_vat: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    capital_revenue: Mapped[str | None] = mapped_column(String(10))
    procurement_card: Mapped[bool | None]
    redacted: Mapped[bool] = mapped_column(default=False)
    org_id: Mapped[str | None] = mapped_column(String(40))
    supplier_key: Mapped[str | None] = mapped_column(String(320))
    # found (lad_code known), outside (in no postcode area the hub covers), unknown (never guessed)
    location_status: Mapped[str] = mapped_column(String(10))
    lad_code: Mapped[str | None] = mapped_column(String(9))
    # line, register (the partner's own word), identifier (another partner's entry matched by
    # organisation identifier), companies_register, unknown: see
    # exchange.services.directory.suppliers
    location_source: Mapped[str] = mapped_column(String(20))
    sme: Mapped[bool | None]
    vcse: Mapped[bool | None]


class SupplierLine(Base):
    """A partner's supplier master record; current ones make up the hub's supplier register."""

    __tablename__ = "supplier_line"
    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = _return_fk()
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id"))
    row_number: Mapped[int]
    supplier_id: Mapped[str] = mapped_column(String(100))
    supplier_name: Mapped[str] = mapped_column(String(300))
    supplier_name_normalised: Mapped[str | None] = mapped_column(String(300))
    company_number: Mapped[str | None] = mapped_column(String(10))
    charity_number: Mapped[str | None] = mapped_column(String(20))
    vat_number: Mapped[str | None] = mapped_column(String(20))
    org_id: Mapped[str | None] = mapped_column(String(40))
    site_postcode: Mapped[str | None] = mapped_column(String(8))
    registered_postcode: Mapped[str | None] = mapped_column(String(8))
    location_status: Mapped[str] = mapped_column(String(10))
    lad_code: Mapped[str | None] = mapped_column(String(9))
    sme: Mapped[bool | None]
    vcse: Mapped[bool | None]


class CommitmentLine(Base):
    """Progress against one Social Value Charter commitment."""

    __tablename__ = "commitment_line"
    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = _return_fk()
    row_number: Mapped[int]
    commitment: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20))
    target: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    actual: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    unit: Mapped[str | None] = mapped_column(String(40))
    evidence: Mapped[str | None] = mapped_column(String(4000))
    evidence_url: Mapped[str | None] = mapped_column(String(1000))
    date_achieved: Mapped[date | None]


class MeasureLine(Base):
    """One outcome measure's value for the period."""

    __tablename__ = "measure_line"
    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = _return_fk()
    row_number: Mapped[int]
    measure: Mapped[str] = mapped_column(String(40))
    value: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    unit: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(String(2000))


class ContributionLine(Base):
    """A non-contractual social-responsibility contribution."""

    __tablename__ = "contribution_line"
    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = _return_fk()
    row_number: Mapped[int]
    contributor_name: Mapped[str] = mapped_column(String(300))
    contributor_org_id: Mapped[str | None] = mapped_column(String(40))
    contributor_postcode: Mapped[str | None] = mapped_column(String(8))
    contribution_type: Mapped[str] = mapped_column(String(30))
    quantity: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    value: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    beneficiary: Mapped[str | None] = mapped_column(String(300))
    locality: Mapped[str | None] = mapped_column(String(300))
    contribution_date: Mapped[date | None]
    lad_code: Mapped[str | None] = mapped_column(String(9))


LINE_MODELS = {
    "spend": SpendLine,
    "suppliers": SupplierLine,
    "commitments": CommitmentLine,
    "measures": MeasureLine,
    "contributions": ContributionLine,
}
