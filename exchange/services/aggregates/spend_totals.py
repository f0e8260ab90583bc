"""Keeping the spend aggregates: built from a return's lines inside the transaction that accepts
it, and rebuilt from all lines when partners' thresholds (and so the bands) change. With them,
the supplier quarter masks the views count distinct suppliers from
(``exchange.services.aggregates.supplier_scopes``)."""

from decimal import Decimal

import polars as pl
from sqlalchemy import (
    BigInteger,
    Integer,
    and_,
    case,
    cast,
    delete,
    func,
    insert,
    literal_column,
    select,
)
from sqlalchemy.sql.elements import ColumnElement

from exchange.models import Partner, PartnerReturn, SpendLine
from exchange.models.aggregates import (
    OUTSIDE,
    UNKNOWN,
    SpendAggregate,
    SpendShareAggregate,
    SpendSupplierAggregate,
)
from exchange.models.returns import ACCEPTED
from exchange.repositories import transactions
from exchange.repositories.money import to_pence
from exchange.services.aggregates import supplier_scopes
from exchange.services.aggregates.replace_spend import replace_current_spend
from exchange.unit_of_work import UnitOfWork


def band_thresholds(uow: UnitOfWork) -> list[Decimal]:
    """Every distinct spend threshold of the registered partners, and 0, highest first."""
    found = uow.session.scalars(select(Partner.spend_threshold).distinct())
    return sorted({Decimal(0)} | {Decimal(t) for t in found if t is not None}, reverse=True)


SHARE_KEYS = ["location", "location_source", "sme", "vcse"]


def _location() -> ColumnElement:
    return case((SpendLine.location_status == "found", func.coalesce(SpendLine.lad_code, UNKNOWN)),
                (SpendLine.location_status == "outside", OUTSIDE), else_=UNKNOWN)


def _band(thresholds: list[Decimal]) -> ColumnElement:
    """Inlined numbers, so PostgreSQL matches the grouped expression with the selected one."""
    whens = " ".join(f"WHEN ABS(amount) >= {Decimal(t):f} THEN {int(t * 100)}"
                     for t in thresholds if t > 0)
    return literal_column(f"CASE {whens} ELSE 0 END" if whens else "CAST(0 AS BIGINT)",
                          BigInteger)


def _positions(count: int) -> list[ColumnElement]:
    """GROUP BY 1, 2, ...: PostgreSQL then need not match expressions holding parameters."""
    return [literal_column(str(n)) for n in range(1, count + 1)]


class LineTotals:
    """The same aggregates summed while the lines are written, from frames of them (polars),
    so acceptance need not read a million lines back: ``add`` each frame, with the columns of
    `FRAME_COLUMNS`; `build_for_return` then inserts the rows. ``tests/ingest`` checks that
    they equal the SQL above."""

    FRAME_COLUMNS = ("amount", "location_status", "lad_code", "location_source", "sme", "vcse",
                     "supplier_key")
    _KEYS = ("supplier_key", *SHARE_KEYS, "band_pence")
    _SUMS = ("amount_pence", "credit_pence", "lines")
    _MERGE_EVERY = 4  # frames' groups kept apart before they are summed into one

    def __init__(self, thresholds: list[Decimal]):
        self.thresholds = [t for t in thresholds if t > 0]
        self._groups: list[pl.DataFrame] = []  # per frame: sums by supplier and band

    def add(self, lines: pl.DataFrame) -> None:
        pence = (pl.col("amount") * 100).cast(pl.Int64)
        band = pl.lit(0, pl.Int64)
        for t in reversed(self.thresholds):  # highest last, so it wins
            band = pl.when(pl.col("amount").abs() >= t).then(pl.lit(int(t * 100))).otherwise(band)
        status = pl.col("location_status")
        self._merge()
        self._groups.append(lines.group_by(
            pl.col("supplier_key"),
            location=pl.when(status == "found").then(pl.col("lad_code").fill_null(UNKNOWN))
            .when(status == "outside").then(pl.lit(OUTSIDE)).otherwise(pl.lit(UNKNOWN)),
            location_source=pl.col("location_source").fill_null(UNKNOWN),
            sme=pl.col("sme").fill_null(False), vcse=pl.col("vcse").fill_null(False),
            band_pence=band.cast(pl.Int64),
        ).agg(amount_pence=pence.sum(), credit_pence=pence.filter(pence < 0).sum(),
              lines=pl.len().cast(pl.Int64)))

    def _merge(self) -> None:
        """Sum the frames' groups into one every few frames: a file's suppliers are a few
        thousand groups however many lines it has, so memory stays that size (a million lines
        kept as twenty frames' groups, then concatenated, cost 200 MB more at the peak)."""
        if len(self._groups) >= self._MERGE_EVERY:
            self._groups = [pl.concat(self._groups).group_by(list(self._KEYS)).agg(
                pl.col(name).sum() for name in self._SUMS)]

    def sums(self, return_id: int) -> list[dict]:
        """Rows of spend_aggregate."""
        return self._rows(return_id, [*SHARE_KEYS, "band_pence"], list(self._SUMS))

    def shares(self, return_id: int) -> list[dict]:
        """Rows of spend_share_aggregate: per threshold, each supplier's net (redacted lines,
        with no supplier key, together as one), summed by whether it is positive."""
        if not self._groups:
            return []
        lines = pl.concat(self._groups)
        out = []
        for threshold in [*self.thresholds, Decimal(0)]:
            pence = int(threshold * 100)
            nets = lines.filter(pl.col("band_pence") >= pence).group_by(
                ["supplier_key", *SHARE_KEYS]).agg(pl.col("amount_pence").sum())
            summed = nets.group_by(*SHARE_KEYS, counted=pl.col("amount_pence") > 0).agg(
                pl.col("amount_pence").sum(), suppliers=pl.len())
            out += [dict(row, return_id=return_id, threshold_pence=pence)
                    for row in summed.iter_rows(named=True)]
        return out

    def suppliers(self, return_id: int) -> list[dict]:
        """Rows of spend_supplier_aggregate (suppliers not redacted)."""
        return self._rows(return_id, ["supplier_key", "location", "band_pence"],
                          ["amount_pence"], pl.col("supplier_key").is_not_null())

    def _rows(self, return_id: int, keys: list[str], sums: list[str], which=True) -> list[dict]:
        if not self._groups:
            return []
        total = pl.concat(self._groups).filter(which).group_by(keys).agg(
            pl.col(name).sum() for name in sums)
        return [dict(row, return_id=return_id) for row in total.iter_rows(named=True)]


def build_for_return(uow: UnitOfWork, return_id: int,
                     thresholds: list[Decimal] | None = None,
                     totals: LineTotals | None = None) -> None:
    """Aggregate one spend return's lines (already written in this transaction), or insert
    the ``totals`` summed while they were written."""
    if totals is not None:
        for model, rows in ((SpendAggregate, totals.sums(return_id)),
                            (SpendShareAggregate, totals.shares(return_id)),
                            (SpendSupplierAggregate, totals.suppliers(return_id))):
            uow.lines.insert_rows(model.__table__, rows)
        return
    thresholds = band_thresholds(uow) if thresholds is None else thresholds
    location, band = _location(), _band(thresholds)
    source = func.coalesce(SpendLine.location_source, UNKNOWN)
    sme = case((SpendLine.sme.is_(True), True), else_=False)
    vcse = case((SpendLine.vcse.is_(True), True), else_=False)
    pence = to_pence(SpendLine.amount)
    sums = (
        select(SpendLine.return_id, location, source, sme, vcse, band,
               cast(func.sum(pence), BigInteger),
               cast(func.coalesce(func.sum(case((SpendLine.amount < 0, pence), else_=0)), 0),
                    BigInteger),
               cast(func.count(), Integer))
        .where(SpendLine.return_id == return_id)
        .group_by(*_positions(6))
    )
    uow.session.execute(insert(SpendAggregate).from_select(
        ["return_id", "location", "location_source", "sme", "vcse", "band_pence", "amount_pence",
         "credit_pence", "lines"], sums))
    for threshold in thresholds:
        _build_shares(uow, return_id, threshold, (location, source, sme, vcse), pence)
    suppliers = (
        select(SpendLine.return_id, SpendLine.supplier_key, location, band,
               cast(func.sum(pence), BigInteger))
        .where(and_(SpendLine.return_id == return_id, SpendLine.supplier_key.is_not(None)))
        .group_by(*_positions(4))
    )
    uow.session.execute(insert(SpendSupplierAggregate).from_select(
        ["return_id", "supplier_key", "location", "band_pence", "amount_pence"], suppliers))


def _build_shares(uow: UnitOfWork, return_id: int, threshold: Decimal,
                  keys: tuple[ColumnElement, ...], pence: ColumnElement) -> None:
    """spend_share_aggregate at one threshold: each supplier's net (lines without a supplier
    key together as one), then the nets summed by whether they are positive."""
    nets = (
        select(SpendLine.supplier_key, *[k.label(n) for k, n in zip(keys, SHARE_KEYS,
                                                                     strict=True)],
               cast(func.sum(pence), BigInteger).label("net"))
        .where(SpendLine.return_id == return_id, func.abs(SpendLine.amount) >= threshold)
        .group_by(*_positions(1 + len(keys)))
    ).subquery()
    counted = case((nets.c.net > 0, True), else_=False)
    stmt = (
        select(literal_column(str(int(return_id))), literal_column(str(int(threshold * 100))),
               *[nets.c[n] for n in SHARE_KEYS], counted,
               cast(func.sum(nets.c.net), BigInteger), cast(func.count(), Integer))
        .group_by(*_positions(2 + len(SHARE_KEYS) + 1))
    )
    uow.session.execute(insert(SpendShareAggregate).from_select(
        ["return_id", "threshold_pence", *SHARE_KEYS, "counted", "amount_pence", "suppliers"],
        stmt))


def on_accept(uow: UnitOfWork, ret: PartnerReturn, previous: PartnerReturn | None,
              totals: LineTotals | None = None) -> None:
    """Called by acceptance before it commits. The superseded return's aggregates are kept
    (releases are recomputed from exact return ids); views join current returns only.
    ``totals``: the aggregates summed while the lines were written, if they were."""
    if ret.kind == "spend":
        build_for_return(uow, ret.id, totals=totals)
        supplier_scopes.on_accept(uow, ret.partner_id, ret.period,
                                  [ret.id] + ([previous.id] if previous is not None else []))


def clear_for_return(uow: UnitOfWork, return_id: int) -> None:
    for model in (SpendAggregate, SpendShareAggregate, SpendSupplierAggregate):
        uow.session.execute(delete(model).where(model.return_id == return_id))


def rebuild_all(uow: UnitOfWork, actor: str = "cli") -> int:
    """Re-place the current spend returns' lines from the supplier directory as it is now
    (audited when a line moved or a review was found, so running it again records nothing),
    then rebuild every accepted spend return's aggregates from its lines, in one transaction.
    Returns how many returns were aggregated."""
    with uow:
        transactions.hold(uow.session, transactions.AGGREGATES)
        transactions.bulk(uow.session)
        replaced = replace_current_spend(uow)
        if replaced["suppliers_changed"] or replaced["reviews_found"]:
            uow.audit.add(actor, "spend.replace", **replaced)
        thresholds = band_thresholds(uow)
        uow.session.execute(delete(SpendSupplierAggregate))
        uow.session.execute(delete(SpendShareAggregate))
        uow.session.execute(delete(SpendAggregate))
        ids = list(uow.session.scalars(
            select(PartnerReturn.id).where(PartnerReturn.kind == "spend",
                                           PartnerReturn.status == ACCEPTED,
                                           PartnerReturn.version.is_not(None))
            .order_by(PartnerReturn.id)))
        for return_id in ids:
            build_for_return(uow, return_id, thresholds)
        supplier_scopes.rebuild(uow)
        uow.commit()
    return len(ids)
