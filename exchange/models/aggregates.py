"""Maintained aggregates of spend lines, one set per accepted spend return.

Views and feeds read these, never ``spend_line``. They are built from a return's lines when the
return is accepted (in the same transaction) and kept when it is superseded, so a figure for any
set of return ids — the current ones, or those a release was published from — can be recomputed.
Money is held in whole pence, exact on SQLite and PostgreSQL alike.

``location`` is the supplier's LAD code for located lines, or ``outside`` / ``unknown``.
``location_source`` says how the location was known (``exchange.views.coverage.SOURCES``).
``band_pence`` is the highest spend threshold among all partners (or 0) that the line's absolute
amount reaches: the ``comparable`` basis at threshold T sums the bands at or above T.

Shares are read from ``spend_share_aggregate`` instead: net per supplier (the glossary's method,
``exchange.views.coverage``), so a credit note can never push a share past 100%."""

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text
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
    location_source: Mapped[str] = mapped_column(String(20), primary_key=True)
    sme: Mapped[bool] = mapped_column(primary_key=True)
    vcse: Mapped[bool] = mapped_column(primary_key=True)
    band_pence: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    amount_pence: Mapped[int] = mapped_column(BigInteger)
    credit_pence: Mapped[int] = mapped_column(BigInteger)  # the negative amounts only
    lines: Mapped[int] = mapped_column(Integer)


class SpendShareAggregate(Base):
    """What shares are computed from: one return's spend netted per supplier (its lines of one
    location, source, SME and VCSE flag; redacted lines together as one payee), at each spend
    threshold the views cut at (``threshold_pence``: lines whose absolute amount reaches it).
    ``counted`` is whether that net is positive: suppliers whose net is not are left out of
    every share and reported as net credits. ``suppliers`` counts the nets summed."""

    __tablename__ = "spend_share_aggregate"
    return_id: Mapped[int] = _return_fk()
    threshold_pence: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    location: Mapped[str] = mapped_column(String(9), primary_key=True)
    location_source: Mapped[str] = mapped_column(String(20), primary_key=True)
    sme: Mapped[bool] = mapped_column(primary_key=True)
    vcse: Mapped[bool] = mapped_column(primary_key=True)
    counted: Mapped[bool] = mapped_column(primary_key=True)
    amount_pence: Mapped[int] = mapped_column(BigInteger)
    suppliers: Mapped[int] = mapped_column(Integer)


class SpendSupplierAggregate(Base):
    """The distinct suppliers (by supplier key; redacted lines have none) a return paid, by
    location, so distinct counts across partners and quarters stay exact: the net amount paid
    there and the top band its lines reached (``band_pence``), which is all a count at a
    threshold asks (a supplier counts when its top band reaches it). One row per supplier and
    location (migration 0026; before, one per band).

    Neither a foreign key (migration 0025) nor a primary key (0028), only an index of the
    return: a return paying 200,000 suppliers writes 200,000 rows, and PostgreSQL checked each
    against both, on the acceptance's critical path. Only acceptance and ``hub aggregates
    rebuild`` write them, a return's rows at a time, grouped by supplier and location
    (`LineTotals.suppliers`), and returns are never deleted; every reader asks for returns."""

    __tablename__ = "spend_supplier_aggregate"
    return_id: Mapped[int] = mapped_column(index=True)
    supplier_key: Mapped[str] = mapped_column(String(320))
    location: Mapped[str] = mapped_column(String(9))
    band_pence: Mapped[int] = mapped_column(BigInteger)
    amount_pence: Mapped[int] = mapped_column(BigInteger)
    # What the ORM identifies a row by; the database keeps no such key.
    __mapper_args__ = {"primary_key": [return_id, supplier_key, location]}


class SpendScope(Base):
    """A set of partners whose distinct suppliers the views count together: one partner of a
    place, a place's partners combined, or a sub-region's (each partner once), with the LADs
    that are local to it and those of its sub-region. ``partners``, ``local_lads`` and
    ``region_lads`` are sorted, comma-separated; ``signature`` hashes the three, so a view finds
    the scope it needs with one lookup. ``thresholds`` lists the bands (pence) it was built at."""

    __tablename__ = "spend_scope"
    id: Mapped[int] = mapped_column(primary_key=True)
    signature: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(10))  # partner, place or subregion
    place_id: Mapped[int] = mapped_column(ForeignKey("place.id", ondelete="CASCADE"))
    partners: Mapped[str] = mapped_column(Text)
    local_lads: Mapped[str] = mapped_column(Text)
    region_lads: Mapped[str] = mapped_column(Text)
    thresholds: Mapped[str] = mapped_column(Text)

    @property
    def partner_ids(self) -> list[int]:
        return [int(i) for i in self.partners.split(",") if i]

    @property
    def local_codes(self) -> list[str]:
        return [c for c in self.local_lads.split(",") if c]

    @property
    def region_codes(self) -> list[str]:
        return [c for c in self.region_lads.split(",") if c]


class SpendPartnerSupplier(Base):
    """Which quarters a partner's current spend returns paid a supplier in: bit ``b`` of
    ``quarters`` is quarter ``epoch * 60 + b`` counted from 2000-01-Q1 (see
    ``exchange.services.aggregates.partner_masks.quarter_bit``).

    ``location``: where it was paid, as in ``spend_supplier_aggregate`` (a LAD code,
    ``outside`` or ``unknown``). ``threshold_pence``: the highest of the partners' thresholds
    its payments there reached in those quarters (its lines' top band), so a supplier reaches
    a threshold T in the quarters of its rows with ``threshold_pence >= T``. A scope's masks
    (any set of partners, counted together) are the OR of its partners' rows, worked out when
    its counts (``SpendScopeMaskCount``) are; the rows are kept once per partner, however
    many scopes hold it (migration 0027; before, once per scope).

    ``partner_id`` has no foreign key: the rows are written hundreds of thousands at a time,
    only by `supplier_scopes`, and partners are never deleted while they have returns."""

    __tablename__ = "spend_partner_supplier"
    partner_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    threshold_pence: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    epoch: Mapped[int] = mapped_column(Integer, primary_key=True)
    location: Mapped[str] = mapped_column(String(9), primary_key=True)
    supplier_key: Mapped[str] = mapped_column(String(320), primary_key=True)
    quarters: Mapped[int] = mapped_column(BigInteger)


class SpendScopeMaskCount(Base):
    """How many of a scope's suppliers (per threshold and class) share one quarters mask: a
    window's distinct suppliers are the sum over the masks meeting it, so a count reads as many
    rows as there are distinct masks, which stays small however many lines there are."""

    __tablename__ = "spend_scope_mask_count"
    scope_id: Mapped[int] = mapped_column(ForeignKey("spend_scope.id", ondelete="CASCADE"),
                                          primary_key=True)
    threshold_pence: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    epoch: Mapped[int] = mapped_column(Integer, primary_key=True)
    cls: Mapped[str] = mapped_column(String(9), primary_key=True)
    quarters: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    suppliers: Mapped[int] = mapped_column(Integer)
