"""Keeping the spend aggregates: built from a return's lines inside the transaction that accepts
it, and rebuilt from all lines when partners' thresholds (and so the bands) change. With them,
the supplier quarter masks the views count distinct suppliers from
(``exchange.services.aggregates.supplier_scopes``)."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import NamedTuple

import numpy as np
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
from exchange.services.aggregates.supplier_bands import SupplierBands, add_rows
from exchange.unit_of_work import UnitOfWork


def band_thresholds(uow: UnitOfWork) -> list[Decimal]:
    """Every distinct spend threshold of the registered partners, and 0, highest first."""
    found = uow.session.scalars(select(Partner.spend_threshold).distinct())
    return sorted({Decimal(0)} | {Decimal(t) for t in found if t is not None}, reverse=True)


SHARE_KEYS = ["location", "location_source", "sme", "vcse"]


class AggregateRows(NamedTuple):
    """One return's rows of spend_supplier_aggregate, spend_aggregate and
    spend_share_aggregate (`LineTotals.rows`)."""
    suppliers: pl.DataFrame
    sums: pl.DataFrame
    shares: pl.DataFrame


@dataclass
class _Grouped:
    """Suppliers (`supplier_key` and `SHARE_KEYS`), and their sums per band, row by row.
    ``distinct``: no two have the same key, and none has none."""
    distinct: bool
    suppliers: pl.DataFrame
    amount: np.ndarray
    credit: np.ndarray
    lines: np.ndarray

    @cached_property
    def classes(self) -> tuple[pl.DataFrame, np.ndarray]:
        """The distinct `SHARE_KEYS` among the suppliers (``kinds``), and each one's index
        there (``kind``): worked out when first asked for by `LineTotals.sums` or ``shares``."""
        return _classes(self.suppliers, SHARE_KEYS)


class LineTotals:
    """One return's aggregates, summed from frames of its lines (polars): the only way they are
    built. Each line is summed under its supplier's number and its band, and each supplier's
    columns (`SUPPLIER_COLUMNS`: where it is, who said so, SME, VCSE, its key) are described
    once: each line is added where its supplier's number and band meet (`SupplierBands`),
    however many suppliers the file pays, and the suppliers are grouped once, at the end.

    The frames come from the writer while the lines are written, so acceptance need not read
    a million lines back: the writer numbers each distinct supplier once (`describe`), then
    ``add_numbered`` each frame (``pence`` and ``supplier``). Or else from the stored lines
    (`build_for_return`, for ``hub aggregates rebuild``): ``add`` each frame with the columns
    of `FRAME_COLUMNS`, numbering its own distinct suppliers. One instance takes one or the
    other. `rows` works out the rows of the three tables, which `build_for_return` inserts.
    ``tests/integration/test_views_aggregates_upkeep`` checks them against the migrations'
    SQL, and ``tests/ingest`` the two ways' frames against each other."""

    FRAME_COLUMNS = ("pence", "location_status", "lad_code", "location_source", "sme", "vcse",
                     "supplier_key")
    SUPPLIER_COLUMNS = FRAME_COLUMNS[1:]

    def __init__(self, thresholds: list[Decimal]):
        self.thresholds = [t for t in thresholds if t > 0]
        self._bands = SupplierBands(sorted({0, *(int(t * 100) for t in self.thresholds)}))
        self._suppliers: list[pl.DataFrame] = []  # the described suppliers, by number
        self._numbered = 0  # suppliers numbered by ``add``
        self._summed: _Grouped | None = None  # `_grouped`, once asked

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
        self._bands.add(lines["supplier"].to_numpy(),
                        lines["pence"].fill_null(0).cast(pl.Int64).to_numpy())
        self._summed = None

    def _grouped(self) -> _Grouped:
        """The sums by supplier (`supplier_key` and `SHARE_KEYS`) and band: numbers given
        apart to the same supplier (the same company written two ways; or met in two frames
        of `add`) summed together."""
        if self._summed is None:
            described = pl.concat(self._suppliers)
            first = _first_alike(described, ["supplier_key", *SHARE_KEYS])
            rows, group = _groups(first, described.height)
            amount, credit, lines = self._bands.grouped(
                described["supplier"].to_numpy(), group, len(rows))
            suppliers = _rows_of(described, rows).drop("supplier")
            if not (paid := lines.any(axis=1)).all():
                suppliers, amount, credit, lines = (
                    suppliers.filter(paid), amount[paid], credit[paid], lines[paid])
            self._summed = _Grouped(first is None, suppliers, amount, credit, lines)
        return self._summed

    def rows(self, return_id: int) -> AggregateRows:
        """The return's aggregate rows: pure work on frames, so a caller may have them worked
        out while the server stores something else (acceptance does, while it stores the
        issues)."""
        return AggregateRows(self.suppliers(return_id), self.sums(return_id),
                             self.shares(return_id))

    def sums(self, return_id: int) -> pl.DataFrame:
        """Rows of spend_aggregate: by `SHARE_KEYS` and band."""
        if not self._suppliers:
            return pl.DataFrame()
        grouped, bands = self._grouped(), self._bands.bands
        kinds, kind = grouped.classes
        sums = [add_rows(measure, kind, kinds.height)
                for measure in (grouped.amount, grouped.credit, grouped.lines)]
        at, band = np.nonzero(sums[2])
        return kinds[at].with_columns(
            band_pence=pl.Series(bands[band]), amount_pence=pl.Series(sums[0][at, band]),
            credit_pence=pl.Series(sums[1][at, band]), lines=pl.Series(sums[2][at, band]),
            return_id=pl.lit(return_id))

    def shares(self, return_id: int) -> pl.DataFrame:
        """Rows of spend_share_aggregate: per threshold, each supplier's net (redacted lines,
        with no supplier key, together as one), summed by whether it is positive."""
        if not self._suppliers:
            return pl.DataFrame()
        grouped, bands = self._grouped(), self._bands.bands
        kinds, kind = grouped.classes
        # A supplier's net at a threshold: its amounts in that band and every band above.
        nets = np.cumsum(grouped.amount[:, ::-1], axis=1)[:, ::-1]
        paid = np.cumsum(grouped.lines[:, ::-1], axis=1)[:, ::-1] > 0
        out = []
        for level, pence in enumerate(bands.tolist()):
            net = nets[paid[:, level], level]
            at = kind[paid[:, level]] * 2 + (net > 0)
            suppliers = np.bincount(at, minlength=2 * kinds.height)
            amount = np.zeros(len(suppliers), dtype=np.int64)
            np.add.at(amount, at, net)
            found = np.flatnonzero(suppliers)
            out.append(kinds[found // 2].with_columns(
                counted=pl.Series(found % 2 == 1), amount_pence=pl.Series(amount[found]),
                suppliers=pl.Series(suppliers[found], dtype=pl.Int64),
                return_id=pl.lit(return_id), threshold_pence=pl.lit(pence, pl.Int64)))
        return pl.concat(out)

    def suppliers(self, return_id: int) -> pl.DataFrame:
        """Rows of spend_supplier_aggregate (suppliers not redacted): per supplier and
        location, the net paid and the top band reached."""
        if not self._suppliers:
            return pl.DataFrame()
        grouped, bands = self._grouped(), self._bands.bands
        keyed = grouped.suppliers["supplier_key"].is_not_null().to_numpy()
        suppliers, amount, lines = grouped.suppliers, grouped.amount, grouped.lines
        if not keyed.all():
            suppliers, amount, lines = suppliers.filter(keyed), amount[keyed], lines[keyed]
        rows, group = _groups(None if grouped.distinct else
                              _first_alike(suppliers, ["supplier_key", "location"]),
                              suppliers.height)
        amount = add_rows(amount.sum(axis=1, keepdims=True), group, len(rows))[:, 0]
        paid = lines > 0
        top = np.zeros(len(rows), dtype=np.intp)  # the highest band with a line
        np.maximum.at(top, group, paid.shape[1] - 1 - np.argmax(paid[:, ::-1], axis=1))
        return _rows_of(suppliers, rows).select("supplier_key", "location").with_columns(
            amount_pence=pl.Series(amount), band_pence=pl.Series(bands[top]),
            return_id=pl.lit(return_id))


def _first_alike(frame: pl.DataFrame, keys: list[str]) -> np.ndarray | None:
    """For each row, the first row with the same ``keys`` (nulls alike); None where no
    supplier key repeats or is none, so that each row is its own. Most suppliers' keys are met
    once, so only the rows whose key repeats, or is none, are grouped."""
    key = frame["supplier_key"]
    repeats = key.is_duplicated() | key.is_null()
    if not repeats.any():
        return None
    first = np.arange(frame.height)
    some = frame.select(keys).with_row_index("row").filter(repeats)
    found = some.join(some.group_by(keys).agg(first=pl.col("row").min()), on=keys,
                      nulls_equal=True)
    first[found["row"].to_numpy()] = found["first"].to_numpy()
    return first


def _groups(first: np.ndarray | None, rows: int) -> tuple[np.ndarray, np.ndarray]:
    """From `_first_alike`: the first row of each group (ascending), and each row's group."""
    if first is None:
        every = np.arange(rows)
        return every, every
    return np.unique(first, return_inverse=True)


def _rows_of(frame: pl.DataFrame, rows: np.ndarray) -> pl.DataFrame:
    """The frame's ``rows`` (ascending): all of them, as most often, without copying."""
    return frame if len(rows) == frame.height else frame[rows]


def _classes(frame: pl.DataFrame, keys: list[str]) -> tuple[pl.DataFrame, np.ndarray]:
    """The distinct ``keys`` of the rows (few), and each row's index among them."""
    kinds = frame.select(keys).unique(maintain_order=True)
    kind = frame.select(keys).join(kinds.with_row_index("kind"), on=keys, how="left",
                                   nulls_equal=True, maintain_order="left")["kind"]
    return kinds, kind.to_numpy().astype(np.intp)


def build_for_return(uow: UnitOfWork, return_id: int,
                     thresholds: list[Decimal] | None = None,
                     rows: AggregateRows | None = None,
                     meanwhile: Callable[[pl.DataFrame], None] | None = None) -> None:
    """Insert one spend return's aggregates: the ``rows`` worked out from the totals summed
    while its lines were written, or else summed the same way from its stored lines
    (`LineRepository.spend_frames`). ``meanwhile`` is given its rows of
    spend_supplier_aggregate while the server stores them."""
    if rows is None:
        totals = LineTotals(band_thresholds(uow) if thresholds is None else thresholds)
        for frame in uow.lines.spend_frames(return_id):
            totals.add(frame)
        rows = totals.rows(return_id)
    with uow.lines.inserting(SpendSupplierAggregate.__table__, rows.suppliers):
        if meanwhile is not None:  # worked out while the database stores a row per supplier
            meanwhile(rows.suppliers)
    uow.lines.insert_frame(SpendAggregate.__table__, rows.sums)
    uow.lines.insert_frame(SpendShareAggregate.__table__, rows.shares)


def on_accept(uow: UnitOfWork, ret: PartnerReturn, previous: PartnerReturn | None,
              rows: AggregateRows | None = None) -> None:
    """Called by acceptance before it commits. The superseded return's aggregates are kept
    (releases are recomputed from exact return ids); views join current returns only.
    ``rows``: the aggregates summed while the lines were written, if they were. The
    supplier masks are brought up to date (`supplier_scopes.MaskUpkeep`), their rows worked
    out while the aggregates are stored."""
    if ret.kind == "spend":
        masks = supplier_scopes.MaskUpkeep(
            uow, ret.partner_id, ret.period,
            [ret.id] + ([previous.id] if previous is not None else []))
        build_for_return(uow, ret.id, rows=rows, meanwhile=masks.prepare)
        masks.finish(uow)


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
