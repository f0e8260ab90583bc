"""Keeping the spend aggregates: built from a return's lines inside the transaction that accepts
it, and rebuilt from all lines when partners' thresholds (and so the bands) change. With them,
the supplier quarter masks the views count distinct suppliers from
(``exchange.services.aggregates.supplier_scopes``)."""

from decimal import Decimal

import polars as pl
from sqlalchemy import (
    delete,
    select,
)

from exchange.models import Partner, PartnerReturn
from exchange.models.aggregates import (
    OUTSIDE,
    UNKNOWN,
    SpendAggregate,
    SpendShareAggregate,
    SpendSupplierAggregate,
)
from exchange.models.returns import ACCEPTED
from exchange.repositories import transactions
from exchange.services.aggregates import supplier_scopes
from exchange.services.aggregates.replace_spend import replace_current_spend
from exchange.unit_of_work import UnitOfWork


def band_thresholds(uow: UnitOfWork) -> list[Decimal]:
    """Every distinct spend threshold of the registered partners, and 0, highest first."""
    found = uow.session.scalars(select(Partner.spend_threshold).distinct())
    return sorted({Decimal(0)} | {Decimal(t) for t in found if t is not None}, reverse=True)


SHARE_KEYS = ["location", "location_source", "sme", "vcse"]


class LineTotals:
    """One return's aggregates, summed from frames of its lines (polars): the only way they are
    built. Each line is summed under its supplier's number and its band, and each supplier's
    columns (`SUPPLIER_COLUMNS`: where it is, who said so, SME, VCSE, its key) are described
    once: a frame's lines are grouped by two integers, however many suppliers the file pays.

    The frames come from the writer while the lines are written, so acceptance need not read
    a million lines back: the writer numbers each distinct supplier once (`describe`), then
    ``add_numbered`` each frame (``pence`` and ``supplier``). Or else from the stored lines
    (`build_for_return`, for ``hub aggregates rebuild``): ``add`` each frame with the columns
    of `FRAME_COLUMNS`, numbering its own distinct suppliers. One instance takes one or the
    other. `build_for_return` then inserts the rows, as frames.
    ``tests/integration/test_views_aggregates_upkeep`` checks them against the migrations'
    SQL, and ``tests/ingest`` the two ways' frames against each other."""

    FRAME_COLUMNS = ("pence", "location_status", "lad_code", "location_source", "sme", "vcse",
                     "supplier_key")
    SUPPLIER_COLUMNS = FRAME_COLUMNS[1:]
    _SUMS = ("amount_pence", "credit_pence", "lines")
    _MERGE_AT = 1_000_000  # lines kept apart before any are summed into one

    def __init__(self, thresholds: list[Decimal]):
        self.thresholds = [t for t in thresholds if t > 0]
        self._groups: list[pl.DataFrame] = []  # lines, and sums by supplier number and band
        self._suppliers: list[pl.DataFrame] = []  # the described suppliers, by number
        self._numbered = 0  # suppliers numbered by ``add``
        self._summed: pl.DataFrame | None = None  # `_lines`, once asked

    def add(self, lines: pl.DataFrame) -> None:
        """A frame of lines: `FRAME_COLUMNS`, the amount in whole ``pence``."""
        columns = list(self.SUPPLIER_COLUMNS)
        suppliers = lines.select(columns).unique().with_row_index(
            "supplier", offset=self._numbered)
        self._numbered += suppliers.height
        self.describe(suppliers)
        self.add_numbered(lines.join(suppliers, on=columns, how="left", nulls_equal=True))

    def describe(self, suppliers: pl.DataFrame) -> None:
        """Suppliers not described before: their ``supplier`` number and `SUPPLIER_COLUMNS`."""
        status = pl.col("location_status")
        self._suppliers.append(suppliers.select(
            pl.col("supplier").cast(pl.UInt32), pl.col("supplier_key"),
            location=pl.when(status == "found").then(pl.col("lad_code").fill_null(UNKNOWN))
            .when(status == "outside").then(pl.lit(OUTSIDE)).otherwise(pl.lit(UNKNOWN)),
            location_source=pl.col("location_source").fill_null(UNKNOWN),
            sme=pl.col("sme").fill_null(False), vcse=pl.col("vcse").fill_null(False)))

    def add_numbered(self, lines: pl.DataFrame) -> None:
        """A frame of lines: the amount in whole ``pence``, and the ``supplier`` number of a
        described supplier."""
        pence = pl.col("pence")
        band = pl.lit(0, pl.Int64)
        for t in reversed(self.thresholds):  # highest last, so it wins
            band = pl.when(pence.abs() >= int(t * 100)).then(pl.lit(int(t * 100))).otherwise(band)
        self._groups.append(lines.select(
            pl.col("supplier").cast(pl.UInt32), band_pence=band.cast(pl.Int64),
            amount_pence=pence, credit_pence=pl.when(pence < 0).then(pence).otherwise(0),
            lines=pl.lit(1, pl.Int64)))
        self._summed = None
        self._merge()

    def _merge(self) -> None:
        """Sum the lines kept so far by supplier and band once those added since the last sum
        are as many as it has rows (and at least `_MERGE_AT`). A line kept is five numbers,
        so a million cost 36 MB; summing them as each frame came took longer than the rest of
        the aggregates at 200,000 suppliers, whose groups are nearly as many as the lines."""
        merged, *added = self._groups
        if sum(group.height for group in added) >= max(merged.height, self._MERGE_AT):
            self._groups = [self._sum(pl.concat(self._groups), ["supplier", "band_pence"])]

    def _sum(self, groups: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
        return groups.group_by(keys).agg(pl.col(name).sum() for name in self._SUMS)

    def _lines(self) -> pl.DataFrame:
        """The lines summed by supplier number and band, with the supplier's columns. Numbers
        given apart to the same columns (the same company written two ways; or met in two
        frames) are summed together by each aggregate's own grouping."""
        if self._summed is None:
            numbered = self._sum(pl.concat(self._groups), ["supplier", "band_pence"])
            self._summed = numbered.join(pl.concat(self._suppliers), on="supplier",
                                         how="left").drop("supplier")
        return self._summed

    def sums(self, return_id: int) -> pl.DataFrame:
        """Rows of spend_aggregate."""
        return self._rows(return_id, [*SHARE_KEYS, "band_pence"], list(self._SUMS))

    def shares(self, return_id: int) -> pl.DataFrame:
        """Rows of spend_share_aggregate: per threshold, each supplier's net (redacted lines,
        with no supplier key, together as one), summed by whether it is positive."""
        if not self._groups:
            return pl.DataFrame()
        levels = [int(threshold * 100) for threshold in [*self.thresholds, Decimal(0)]]
        band, amount = pl.col("band_pence"), pl.col("amount_pence")
        # Each supplier's net at every threshold at once: one grouping of the lines.
        nets = self._lines().group_by(["supplier_key", *SHARE_KEYS]).agg(
            *(amount.filter(band >= pence).sum().alias(f"net{pence}") for pence in levels),
            *((band >= pence).any().alias(f"paid{pence}") for pence in levels))
        out = []
        for pence in levels:
            net = pl.col(f"net{pence}")
            out.append(nets.filter(pl.col(f"paid{pence}")).group_by(
                *SHARE_KEYS, counted=net > 0).agg(
                net.sum().alias("amount_pence"), suppliers=pl.len().cast(pl.Int64))
                .with_columns(return_id=pl.lit(return_id), threshold_pence=pl.lit(pence)))
        return pl.concat(out)

    def suppliers(self, return_id: int) -> pl.DataFrame:
        """Rows of spend_supplier_aggregate (suppliers not redacted): per supplier and
        location, the net paid and the top band reached."""
        return self._rows(return_id, ["supplier_key", "location"],
                          [pl.col("amount_pence").sum(), pl.col("band_pence").max()],
                          pl.col("supplier_key").is_not_null())

    def _rows(self, return_id: int, keys: list[str], measures: list, which=True
              ) -> pl.DataFrame:
        """The groups summed by ``keys`` (``measures``: column names to sum, or
        expressions)."""
        if not self._groups:
            return pl.DataFrame()
        return self._lines().filter(which).group_by(keys).agg(
            pl.col(m).sum() if isinstance(m, str) else m for m in measures
        ).with_columns(return_id=pl.lit(return_id))


def build_for_return(uow: UnitOfWork, return_id: int,
                     thresholds: list[Decimal] | None = None,
                     totals: LineTotals | None = None) -> pl.DataFrame:
    """Insert one spend return's aggregates: the ``totals`` summed while its lines were
    written, or else summed the same way from its stored lines (`LineRepository.spend_frames`).
    Returns its rows of spend_supplier_aggregate."""
    if totals is None:
        totals = LineTotals(band_thresholds(uow) if thresholds is None else thresholds)
        for frame in uow.lines.spend_frames(return_id):
            totals.add(frame)
    suppliers = totals.suppliers(return_id)
    with uow.lines.inserting(SpendSupplierAggregate.__table__, suppliers):
        # Worked out while the database stores a row per supplier.
        sums, shares = totals.sums(return_id), totals.shares(return_id)
    uow.lines.insert_frame(SpendAggregate.__table__, sums)
    uow.lines.insert_frame(SpendShareAggregate.__table__, shares)
    return suppliers


def on_accept(uow: UnitOfWork, ret: PartnerReturn, previous: PartnerReturn | None,
              totals: LineTotals | None = None) -> None:
    """Called by acceptance before it commits. The superseded return's aggregates are kept
    (releases are recomputed from exact return ids); views join current returns only.
    ``totals``: the aggregates summed while the lines were written, if they were."""
    if ret.kind == "spend":
        suppliers = build_for_return(uow, ret.id, totals=totals)
        supplier_scopes.on_accept(uow, ret.partner_id, ret.period,
                                  [ret.id] + ([previous.id] if previous is not None else []),
                                  suppliers)


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
