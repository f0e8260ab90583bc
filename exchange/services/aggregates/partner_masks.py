"""The supplier quarter masks of each partner (``spend_partner_supplier``): which quarters its
current spend returns paid each supplier in, by location and the highest threshold reached,
a bit per quarter. Built in full (`read_partner`, then `partner_frame`), or one quarter at a
time for the suppliers an acceptance changed (`changed_keys`, `update_quarter`). The scopes'
counts are worked out from these rows (``supplier_scopes``)."""

from collections.abc import Collection
from typing import NamedTuple

import polars as pl
from sqlalchemy import (
    BigInteger,
    Column,
    MetaData,
    String,
    Table,
    and_,
    case,
    delete,
    func,
    literal,
    literal_column,
    select,
    text,
    union,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from exchange.models import PartnerReturn
from exchange.models.aggregates import SpendPartnerSupplier, SpendSupplierAggregate
from exchange.periods import Period
from exchange.repositories.frames import query_frame
from exchange.unit_of_work import UnitOfWork

EPOCH_QUARTERS = 60  # bits used of a signed 64-bit mask
EPOCH_START = 2000  # the financial year the quarters are counted from


def quarter_bit(period: str | Period) -> tuple[int, int]:
    """(epoch, bit value) of a quarter. Epochs are 15 years from 2000-01, so 2015-16-Q1 to
    2029-30-Q4 share one mask: a window crossing April 2015 or April 2030 is counted from the
    suppliers' rows of each epoch, not from the mask counts (``views.supplier_masks``)."""
    quarter = Period.parse(period)
    index = (quarter.year - EPOCH_START) * 4 + quarter.quarter - 1
    return index // EPOCH_QUARTERS, 1 << (index % EPOCH_QUARTERS)


def _paid(partner_id: int, thresholds: list[int], periods: list[str], keys=None):
    """(threshold, epoch, location, supplier, bit) for every supplier the partner's current
    returns paid in ``periods`` (only those of the subquery ``keys``, if given): a row per
    location it was paid in and quarter, at the highest of ``thresholds`` its top band there
    reached."""
    sup, ret = SpendSupplierAggregate, PartnerReturn
    where = [ret.partner_id == partner_id, ret.is_current.is_(True), ret.period.in_(periods)]
    if keys is not None:
        where.append(sup.supplier_key.in_(keys))
    level = case(*[(sup.band_pence >= t, literal(t, BigInteger))
                   for t in sorted(thresholds, reverse=True) if t > 0],
                 else_=literal(0, BigInteger))
    epoch = case(*[(ret.period == p, quarter_bit(p)[0]) for p in periods])
    bit = case(*[(ret.period == p, literal(quarter_bit(p)[1], BigInteger)) for p in periods])
    return (select(level.label("t"), epoch.label("epoch"), sup.location, sup.supplier_key,
                   bit.label("bit"))
            .select_from(sup).join(ret, ret.id == sup.return_id).where(*where)).subquery()


_ROW = ["partner_id", "threshold_pence", "epoch", "location", "supplier_key", "quarters"]
ROWS = {"partner_id": pl.Int64, "threshold_pence": pl.Int64, "epoch": pl.Int64,
        "location": pl.String, "supplier_key": pl.String, "quarters": pl.Int64}
_PAID = {"return_id": pl.Int64, "location": pl.String, "supplier_key": pl.String,
         "band_pence": pl.Int64}


class PartnerPaid(NamedTuple):
    """What a partner's rows are worked out from (`read_partner`): its current quarterly
    returns' periods, and the supplier aggregates read of those not about to be given."""
    partner_id: int
    current: dict[int, str]
    read: pl.DataFrame


def read_partner(uow: UnitOfWork, partner_id: int, given: Collection[int] = ()) -> PartnerPaid:
    """What one partner's rows are worked out from: its current quarterly returns, and the
    supplier aggregates of those not in ``given`` (the returns whose rows the caller will give
    `partner_frame`, as they are being written)."""
    ret, sup = PartnerReturn, SpendSupplierAggregate
    current = {return_id: period for return_id, period in uow.session.execute(
        select(ret.id, ret.period).where(ret.partner_id == partner_id, ret.kind == "spend",
                                         ret.is_current.is_(True)))
        if not Period.parse(period).is_year}
    read = pl.DataFrame(schema=_PAID)
    if unread := sorted(set(current).difference(given)):
        read = query_frame(uow.session, select(*(getattr(sup, name) for name in _PAID))
                           .where(sup.return_id.in_(unread)), _PAID)
    return PartnerPaid(partner_id, current, read)


def partner_frame(paid: PartnerPaid, thresholds: list[int],
                  written: pl.DataFrame | None = None) -> pl.DataFrame:
    """Every row of one partner (`ROWS`), worked out in polars from what `read_partner` read
    and the rows of spend_supplier_aggregate ``written`` (those of its current returns)."""
    current = paid.current
    if not current:
        return pl.DataFrame(schema=ROWS)
    frames = [paid.read]
    if written is not None and not written.is_empty():
        frames.append(written.select(pl.col(name).cast(dtype) for name, dtype in _PAID.items())
                      .filter(pl.col("return_id").is_in(list(current))))
    rows = pl.concat(frames).with_columns(
        period=pl.col("return_id").replace_strict(current, return_dtype=pl.String))
    periods = sorted(set(current.values()))
    band, period = pl.col("band_pence"), pl.col("period")
    level = pl.lit(0, pl.Int64)
    for t in sorted(t for t in thresholds if t > 0):  # highest last, so it wins
        level = pl.when(band >= t).then(pl.lit(t, pl.Int64)).otherwise(level)
    bits = {p: quarter_bit(p) for p in periods}
    keys = {"threshold_pence": level, "location": "location", "supplier_key": "supplier_key",
            "epoch": period.replace_strict({p: e for p, (e, _) in bits.items()},
                                           return_dtype=pl.Int64)}
    quarters = period.replace_strict({p: b for p, (_, b) in bits.items()}, return_dtype=pl.Int64)
    if rows["return_id"].n_unique() == 1:  # one return's rows: a supplier and location once
        rows = rows.select(**keys, quarters=quarters)
    else:
        rows = rows.group_by(**keys).agg(quarters=quarters.bitwise_or())
    return rows.select(pl.lit(paid.partner_id, pl.Int64).alias("partner_id"), *_ROW[1:])


def upsert(uow: UnitOfWork):
    """The INSERT of the session's database, which has ON CONFLICT."""
    dialect = uow.session.get_bind().dialect.name
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def update_quarter(uow: UnitOfWork, partner_id: int, thresholds: list[int], period: str,
                   keys) -> None:
    """Recompute one quarter's bit of the partner's rows for the suppliers of the subquery
    ``keys`` (those whose aggregates the acceptance changed, `changed_keys`): the bit
    cleared, then set again where its current return pays them."""
    epoch, bit = quarter_bit(period)
    table = SpendPartnerSupplier.__table__
    mine = and_(table.c.partner_id == partner_id, table.c.epoch == epoch,
                table.c.supplier_key.in_(keys))
    uow.session.execute(update(table).where(mine, table.c.quarters.op("&")(bit) != 0)
                        .values(quarters=table.c.quarters - bit))
    uow.session.execute(delete(table).where(mine, table.c.quarters == 0))
    paid = _paid(partner_id, thresholds, [period], keys)
    rows = (select(literal(partner_id), paid.c.t, paid.c.epoch, paid.c.location,
                   paid.c.supplier_key, literal(bit, BigInteger))
            .where(literal_column("1") == 1)  # SQLite's upsert from a SELECT needs a WHERE
            .distinct())
    stmt = upsert(uow)(table).from_select(_ROW, rows)
    stmt = stmt.on_conflict_do_update(
        index_elements=_ROW[:-1],
        set_={"quarters": table.c.quarters.op("|")(stmt.excluded.quarters)})
    uow.session.execute(stmt)


# A temporary table: the suppliers an acceptance changed. Its own MetaData: a connection's
# scratch table, never in the schema or Alembic's diff.
_CHANGED_TABLE = Table("scope_changed_key", MetaData(),
                       Column("supplier_key", String(320), primary_key=True))


def changed_keys(uow: UnitOfWork, return_ids: list[int]) -> int:
    """Fill the temporary table `_CHANGED_TABLE` with the suppliers whose masks ``return_ids``
    (the accepted return, then the one it superseded, if any) may change: every supplier of a first
    version; of a corrected one, those whose (location, top band) rows differ between the two
    (their symmetric difference). A supplier whose rows are the same in both is paid in the
    same places up to the same bands, so its bits stay as they are. Returns how many there
    are."""
    sup = SpendSupplierAggregate
    session = uow.session
    session.execute(text("CREATE TEMPORARY TABLE IF NOT EXISTS scope_changed_key "
                         "(supplier_key VARCHAR(320) PRIMARY KEY)"))
    session.execute(delete(_CHANGED_TABLE))

    def rows(return_id):
        return select(sup.supplier_key, sup.location, sup.band_pence).where(
            sup.return_id == return_id)

    if len(return_ids) == 1:
        found = select(sup.supplier_key).where(sup.return_id == return_ids[0]).distinct()
    else:
        new, old = return_ids[:2]
        added = rows(new).except_(rows(old)).subquery()  # subqueries: SQLite nests no compounds
        gone = rows(old).except_(rows(new)).subquery()
        found = union(select(added.c.supplier_key), select(gone.c.supplier_key))
    session.execute(_CHANGED_TABLE.insert().from_select(["supplier_key"], found))
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("ANALYZE scope_changed_key"))  # so the planner looks them up by index
    return session.scalar(select(func.count()).select_from(_CHANGED_TABLE))


def changed():
    """The suppliers `changed_keys` found, as a subquery."""
    return select(_CHANGED_TABLE.c.supplier_key).scalar_subquery()


def drop_changed(uow: UnitOfWork) -> None:
    uow.session.execute(text("DROP TABLE scope_changed_key"))


def analyze(uow: UnitOfWork) -> None:
    """Statistics for the partners' rows as they are in this transaction: counting a scope
    joins them to the changed suppliers, and a plan made without them (a table just filled,
    before autovacuum comes) looks each row's supplier up by index and sorts what a hash
    would group, 1.5 s instead of 0.6 s for 200,000 suppliers. ANALYZE reads a sample, about
    30 ms however large the table."""
    if uow.session.get_bind().dialect.name == "postgresql":
        uow.session.execute(text("ANALYZE spend_partner_supplier"))
