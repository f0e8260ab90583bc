"""Keeping the supplier quarter masks the views count distinct suppliers from.

For each partner, supplier, location (as in ``spend_supplier_aggregate``: a LAD, outside or
unknown) and the highest threshold its payments there reached, one row holds a bitmask of the
quarters in which the partner's *current* returns paid it so (see
:class:`~exchange.models.aggregates.SpendPartnerSupplier`; kept by ``partner_masks``): about
one row per supplier, however many thresholds there are, and however many scopes hold the
partner.

A *scope* is a set of partners counted together, with the LADs local to it and those of its
sub-region: each partner of a place (local: the place's LADs), a place's partners combined, and
a sub-region's partners (local: the sub-region's LADs). What the views count — a scope's
suppliers per threshold, class (any location, local, or a destination: a LAD of the
sub-region, outside or unknown) and mask — is worked out from its partners' rows (each
supplier's masks the OR of them) and kept in ``spend_scope_mask_count``. The rows are read
into polars once for all the scopes an acceptance counts (`partner_rows`), and counted there
(`_counts`): most suppliers have one row, and are counted by its masks without being grouped.

Acceptance updates only the accepted return's quarter, and only for the suppliers whose rows
differ between the new and the superseded return (`partner_masks.changed_keys`: a set
difference of their supplier aggregates, kept in a temporary table): in every scope holding the
partner their counts are taken away, the partner's rows updated once, and their counts added
back (their rows read before and after). A corrected version that moves no supplier across a
band or a location touches no mask.
The scopes follow the registry: acceptance adds a scope that is missing (counted in full) and
drops one the registry no longer gives; ``hub aggregates rebuild`` rebuilds them all, and so
does an acceptance that finds no scope built at the partners' current thresholds."""

import hashlib
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from decimal import Decimal

import polars as pl
from sqlalchemy import (
    String,
    case,
    cast,
    delete,
    select,
    text,
    update,
)

from exchange.models import Partner, PartnerReturn, Place
from exchange.models.aggregates import (
    OUTSIDE,
    UNKNOWN,
    SpendPartnerSupplier,
    SpendScope,
    SpendScopeMaskCount,
)
from exchange.periods import Period
from exchange.repositories.frames import query_frame
from exchange.repositories.lines import Insertable
from exchange.services.aggregates import partner_masks
from exchange.unit_of_work import UnitOfWork

ANY, LOCAL = "*", "local"


def signature(partner_ids: Iterable[int], local: Iterable[str], region: Iterable[str]) -> str:
    text = "|".join([_ids(partner_ids), _codes(local), _codes(region)])
    return hashlib.sha256(text.encode()).hexdigest()


def _ids(partner_ids: Iterable[int]) -> str:
    return ",".join(str(i) for i in sorted(set(partner_ids)))


def _codes(codes: Iterable[str]) -> str:
    return ",".join(sorted(set(codes)))


@dataclass(frozen=True)
class ScopeDef:
    kind: str
    place_id: int
    partner_ids: tuple[int, ...]
    local: tuple[str, ...]
    region: tuple[str, ...]

    @property
    def signature(self) -> str:
        return signature(self.partner_ids, self.local, self.region)


def scope_definitions(uow: UnitOfWork) -> list[ScopeDef]:
    """The scopes the partnership and MCA views ask for, as they compute them."""
    places = list(uow.session.scalars(select(Place).order_by(Place.id)))
    by_id = {p.id: p for p in places}
    members = {p.id: [x.id for x in uow.partners.for_place(p.id)] for p in places}
    found: dict[str, ScopeDef] = {}

    def add(kind, place_id, ids, local, region):
        if ids:
            scope = ScopeDef(kind, place_id, tuple(sorted(set(ids))), tuple(sorted(set(local))),
                             tuple(sorted(set(region))))
            found.setdefault(scope.signature, scope)

    for place in places:
        if place.kind == "place":
            parent = by_id.get(place.parent_id) if place.parent_id else None
            region = parent.lad_codes if parent else place.lad_codes
            add("place", place.id, members[place.id], place.lad_codes, region)
            for partner_id in members[place.id]:
                add("partner", place.id, [partner_id], place.lad_codes, region)
        elif place.kind == "subregion":
            children = [p.id for p in places if p.parent_id == place.id]
            everyone = {i for c in children for i in members[c]} | set(members[place.id])
            add("subregion", place.id, everyone, place.lad_codes, place.lad_codes)
    return list(found.values())


def thresholds_pence(uow: UnitOfWork) -> list[int]:
    found = uow.session.scalars(select(Partner.spend_threshold).distinct())
    return sorted({0} | {int(Decimal(t) * 100) for t in found if t is not None})


_MASK_KEY = ["scope_id", "threshold_pence", "epoch", "cls", "quarters"]


def partner_rows(uow: UnitOfWork, partner_ids: Iterable[int], keys=None,
                 epoch: int | None = None) -> pl.DataFrame:
    """The partners' rows (only those of the subquery ``keys`` in ``epoch``, if given), as a
    frame of `partner_masks.ROWS`."""
    row = SpendPartnerSupplier
    stmt = select(*(getattr(row, name) for name in partner_masks.ROWS)).where(
        row.partner_id.in_(sorted(set(partner_ids))))
    if keys is not None:
        stmt = stmt.where(row.epoch == epoch, row.supplier_key.in_(keys))
    return query_frame(uow.session, stmt, partner_masks.ROWS)


_COUNTS = {"threshold_pence": pl.Int64, "epoch": pl.Int64, "cls": pl.String,
           "quarters": pl.Int64, "suppliers": pl.Int64}


def _counts(rows: pl.DataFrame, scope: SpendScope, thresholds: list[int]) -> pl.DataFrame:
    """(threshold_pence, epoch, cls, quarters, suppliers) of the scope's suppliers among
    ``rows`` as the views count them: at each threshold, how many reached it in the quarters
    ``quarters``, in each destination, in any (``*``) and locally (``local``).

    A supplier's masks are a mask per threshold: the OR of its rows reaching it, over the
    scope's partners and the class's locations. Most suppliers have one row, whose masks are
    its own, so they are counted by their masks together without grouping each; the others
    are grouped by supplier first. The suppliers' counts by masks (a few hundred distinct
    combinations, however many suppliers) are then unfolded into a row per threshold."""
    masks = [f"m{i}" for i in range(len(thresholds))]
    quarters, reached = pl.col("quarters"), pl.col("threshold_pence")
    mine = rows.filter(pl.col("partner_id").is_in(scope.partner_ids))
    if mine.is_empty():  # a scope none of whose partners has a row here: nothing to count
        return pl.DataFrame(schema=_COUNTS)
    mine = mine.with_columns(
        *(pl.when(reached >= t).then(quarters).alias(mask)
          for mask, t in zip(masks, thresholds, strict=True)),
        several=pl.struct("epoch", "supplier_key").is_duplicated())
    alone = mine.filter(~pl.col("several")).group_by("epoch", "location", *masks).agg(
        suppliers=pl.len().cast(pl.Int64))
    several = _classed(mine.filter(pl.col("several")), scope).group_by(
        "epoch", "cls", "supplier_key").agg(pl.col(mask).bitwise_or() for mask in masks)
    combined = pl.concat([
        _classed(alone, scope).group_by("epoch", "cls", *masks).agg(pl.col("suppliers").sum()),
        several.group_by("epoch", "cls", *masks).agg(suppliers=pl.len().cast(pl.Int64))],
        how="diagonal_relaxed")
    unfolded = pl.concat(
        combined.filter(pl.col(mask).is_not_null()).select(
            pl.lit(t, pl.Int64).alias("threshold_pence"), "epoch", "cls",
            pl.col(mask).alias("quarters"), "suppliers")
        for mask, t in zip(masks, thresholds, strict=True))
    return unfolded.group_by("threshold_pence", "epoch", "cls", "quarters").agg(
        pl.col("suppliers").sum())


def _classed(frame: pl.DataFrame, scope: SpendScope) -> pl.DataFrame:
    """The frame's rows in each class of the scope (``cls``): their destination, any, and
    local where they are."""
    location = pl.col("location")
    each = [frame.with_columns(cls=cls) for cls in (
        destination_of(location, scope.region_codes), pl.lit(ANY))]
    if local := scope.local_codes:
        each.append(frame.filter(location.is_in(local)).with_columns(cls=pl.lit(LOCAL)))
    return pl.concat(each)


def destination(location, region: list[str]):
    """The class of a location (a column) among a scope's destinations: a LAD of its
    sub-region ``region`` as it is, outside or unknown."""
    if not region:
        return cast(case((location == UNKNOWN, UNKNOWN), else_=OUTSIDE), String)
    return cast(case((location.in_(region), location), (location == UNKNOWN, UNKNOWN),
                     else_=OUTSIDE), String)


def destination_of(location: pl.Expr, region: list[str]) -> pl.Expr:
    """`destination` as a polars expression."""
    return pl.when(location.is_in(region)).then(location) \
        .when(location == UNKNOWN).then(pl.lit(UNKNOWN)).otherwise(pl.lit(OUTSIDE))


def _add_counts(uow: UnitOfWork, scope: SpendScope, counts: pl.DataFrame, sign: int) -> None:
    """Add (``sign`` 1) or take away (-1) ``counts`` (`_counts`) from the scope's."""
    if counts.is_empty():
        return
    table = SpendScopeMaskCount.__table__
    values = counts.select(pl.lit(scope.id).alias("scope_id"), "threshold_pence", "epoch",
                           "cls", "quarters", pl.col("suppliers") * sign).to_dicts()
    stmt = partner_masks.upsert(uow)(table)
    stmt = stmt.on_conflict_do_update(
        index_elements=_MASK_KEY,
        set_={"suppliers": table.c.suppliers + stmt.excluded.suppliers})
    uow.session.execute(stmt, values)
    if sign < 0:
        uow.session.execute(delete(table).where(table.c.scope_id == scope.id,
                                                table.c.suppliers == 0))


def _levels(thresholds: list[int]) -> str:
    return ",".join(str(t) for t in thresholds)


def sync_scopes(uow: UnitOfWork, thresholds: list[int]) -> list[SpendScope]:
    """Make the stored scopes those the registry gives: drop the others, add (and count) the
    missing ones, count again those counted at other thresholds, from their partners' rows
    (which must be up to date at ``thresholds``). Returns the scopes."""
    scopes, uncounted = _plan_scopes(uow, thresholds)
    if uncounted:  # their partners' rows, read once for all the scopes to count
        rows = partner_rows(uow, [i for scope in uncounted for i in scope.partner_ids])
        _store_counts(uow, thresholds, [(scope, _counts(rows, scope, thresholds))
                                        for scope in uncounted])
    return scopes


def _plan_scopes(uow: UnitOfWork, thresholds: list[int]
                 ) -> tuple[list[SpendScope], list[SpendScope]]:
    """The scopes the registry gives, those stored that it does not dropped and those missing
    added; and those of them not counted at ``thresholds``."""
    wanted = {d.signature: d for d in scope_definitions(uow)}
    stored = {s.signature: s for s in uow.session.scalars(select(SpendScope))}
    for sig, scope in stored.items():
        if sig not in wanted:
            uow.session.execute(delete(SpendScopeMaskCount).where(
                SpendScopeMaskCount.scope_id == scope.id))
            uow.session.delete(scope)
    scopes = []
    for sig, d in wanted.items():
        scope = stored.get(sig)
        if scope is None:
            scope = SpendScope(signature=sig, kind=d.kind, place_id=d.place_id,
                               partners=_ids(d.partner_ids), local_lads=_codes(d.local),
                               region_lads=_codes(d.region), thresholds="")
            uow.session.add(scope)
        scopes.append(scope)
    uow.session.flush()
    levels = _levels(thresholds)
    return scopes, [scope for scope in scopes if scope.thresholds != levels]


def _store_counts(uow: UnitOfWork, thresholds: list[int],
                  counts: list[tuple[SpendScope, pl.DataFrame]]) -> None:
    """Each scope's counts (`_counts`) in place of those it had, counted at ``thresholds``."""
    for scope, counted in counts:
        uow.session.execute(delete(SpendScopeMaskCount).where(
            SpendScopeMaskCount.scope_id == scope.id))
        _add_counts(uow, scope, counted, 1)
        scope.thresholds = _levels(thresholds)
    uow.session.flush()


class MaskUpkeep:
    """After a spend return of ``partner_id`` for ``period`` became current: bring the
    partner's rows and every scope holding it up to date. Where no scope was counted at the
    current thresholds (none yet, or the thresholds changed), every partner's rows are built
    afresh, and every scope counted.

    In three steps, so that this process works out the rows while the server stores the
    return's supplier aggregates (`spend_totals.build_for_return`), and counts the scopes while
    it stores the rows: made before the aggregates are stored (reading what the rows come
    from), `prepare` given them while they are stored (working the rows out, and their COPY
    text), `finish` once they are."""

    def __init__(self, uow: UnitOfWork, partner_id: int, period: str, return_ids: list[int]):
        self.partner_id, self.period, self.return_ids = partner_id, period, return_ids
        self.thresholds: list[int] = []
        self.counted: list[SpendScope] = []
        self.building: list[partner_masks.PartnerPaid] | None = None  # every partner's
        self.rows: Insertable | None = None  # theirs, once prepared
        self.lines = uow.lines
        self.yearly = Period.parse(period).is_year  # a year's return has no quarter's bit
        if self.yearly:
            return
        _roomy(uow)
        self.thresholds = thresholds_pence(uow)
        levels = _levels(self.thresholds)
        self.counted = [scope for scope in uow.session.scalars(select(SpendScope))
                        if scope.thresholds == levels]
        if not self.counted:
            self.building = _read_partners(uow, given=return_ids[:1])

    def prepare(self, written: pl.DataFrame) -> None:
        """``written``: the accepted return's rows of spend_supplier_aggregate."""
        if self.building is not None:
            self.rows = self.lines.ready(SpendPartnerSupplier.__table__, _partner_frames(
                self.building, self.thresholds, written))

    def finish(self, uow: UnitOfWork) -> None:
        if self.yearly:
            return
        if self.building is None:
            _update_partner(uow, self.partner_id, self.period, self.return_ids,
                            self.thresholds, [scope for scope in self.counted
                                              if self.partner_id in scope.partner_ids])
            sync_scopes(uow, self.thresholds)
            return
        if self.rows is None:
            raise ValueError("the partners' rows were not prepared")
        _write_partners(uow, self.thresholds, self.rows)


def _update_partner(uow: UnitOfWork, partner_id: int, period: str, return_ids: list[int],
                    thresholds: list[int], holding: list[SpendScope]) -> None:
    """The partner's rows for ``period``, for the suppliers the acceptance changed: their
    counts taken away from the scopes ``holding`` it, the rows updated once, the counts
    added back."""
    if partner_masks.changed_keys(uow, return_ids):
        keys = partner_masks.changed()
        epoch, _ = partner_masks.quarter_bit(period)
        partners = [i for scope in holding for i in scope.partner_ids]
        partner_masks.analyze(uow)
        before = partner_rows(uow, partners, keys, epoch)
        for scope in holding:
            _add_counts(uow, scope, _counts(before, scope, thresholds), -1)
        partner_masks.update_quarter(uow, partner_id, thresholds, period, keys)
        partner_masks.analyze(uow)
        after = partner_rows(uow, partners, keys, epoch)
        for scope in holding:
            _add_counts(uow, scope, _counts(after, scope, thresholds), 1)
    partner_masks.drop_changed(uow)


def _read_partners(uow: UnitOfWork, given: Collection[int] = ()
                   ) -> list[partner_masks.PartnerPaid]:
    """Clear every scope's counts, and read what the rows of each partner with a current
    spend return are worked out from (but the aggregates of the returns ``given``, which the
    caller gives `_partner_frames`). `_write_partners` replaces every partner's rows."""
    uow.session.execute(delete(SpendScopeMaskCount))
    uow.session.execute(update(SpendScope).values(thresholds=""))
    partners = uow.session.scalars(select(PartnerReturn.partner_id).distinct().where(
        PartnerReturn.kind == "spend", PartnerReturn.is_current.is_(True)))
    return [partner_masks.read_partner(uow, partner_id, given) for partner_id in list(partners)]


def _partner_frames(building: list[partner_masks.PartnerPaid], thresholds: list[int],
                    written: pl.DataFrame | None = None) -> pl.DataFrame:
    return pl.concat([pl.DataFrame(schema=partner_masks.ROWS),
                      *(partner_masks.partner_frame(paid, thresholds, written)
                        for paid in building)])


def _write_partners(uow: UnitOfWork, thresholds: list[int], rows: Insertable) -> None:
    """Store every partner's ``rows`` in place of all the rows there were, and count every
    scope from them, counted while the server stores them. Nothing here reads the rows back,
    so they are not analysed: `_update_partner` analyses them before it does."""
    _, uncounted = _plan_scopes(uow, thresholds)
    with uow.lines.refilling(SpendPartnerSupplier.__table__, rows):
        counts = [(scope, _counts(rows.frame, scope, thresholds)) for scope in uncounted]
    _store_counts(uow, thresholds, counts)


def _roomy(uow: UnitOfWork) -> None:
    """Room for PostgreSQL to group a few hundred thousand suppliers' rows in memory (the
    default 4 MB sorts them on disk), for this transaction only."""
    if uow.session.get_bind().dialect.name == "postgresql":
        uow.session.execute(text("SET LOCAL work_mem = '64MB'"))


def rebuild(uow: UnitOfWork) -> None:
    """Every partner's rows and every scope afresh (inside the caller's transaction)."""
    _roomy(uow)
    thresholds = thresholds_pence(uow)
    building = _read_partners(uow)
    uow.session.execute(delete(SpendScope))
    uow.session.flush()
    _write_partners(uow, thresholds, uow.lines.ready(SpendPartnerSupplier.__table__,
                                                     _partner_frames(building, thresholds)))
