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
supplier's masks the OR of them) and kept in ``spend_scope_mask_count``.

Acceptance updates only the accepted return's quarter, and only for the suppliers whose rows
differ between the new and the superseded return (`partner_masks.changed_keys`: a set
difference of their supplier aggregates, kept in a temporary table): in every scope holding the
partner their counts are taken away, the partner's rows updated once, and their counts added
back. A corrected version that moves no supplier across a band or a location touches no mask.
The scopes follow the registry: acceptance adds a scope that is missing (counted in full) and
drops one the registry no longer gives; ``hub aggregates rebuild`` rebuilds them all, and so
does an acceptance that finds no scope built at the partners' current thresholds."""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Integer,
    String,
    case,
    cast,
    delete,
    func,
    literal,
    literal_column,
    select,
    text,
    union_all,
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


def build_scope(uow: UnitOfWork, scope: SpendScope, thresholds: list[int]) -> None:
    """One scope's counts, from its partners' rows."""
    uow.session.execute(delete(SpendScopeMaskCount).where(
        SpendScopeMaskCount.scope_id == scope.id))
    _count_masks(uow, scope, thresholds, 1)


_MASK_KEY = ["scope_id", "threshold_pence", "epoch", "cls", "quarters"]


def _masks(scope: SpendScope, thresholds: list[int], keys=None, epoch: int | None = None):
    """(scope_id, t, epoch, cls, quarters, suppliers) of the scope's suppliers (only those of
    the subquery ``keys`` and of ``epoch``, if given) as the views count them: at each
    threshold ``t``, how many reached it in the quarters ``quarters``, in each destination, in
    any (``*``) and locally (``local``). Each supplier's rows of a class, over the scope's
    partners, are grouped once, with a mask per threshold; the suppliers are then counted by
    their masks together (a few hundred distinct combinations, however many suppliers), and
    only those counts are unfolded into a row per threshold."""
    row = SpendPartnerSupplier
    local = scope.local_codes
    mine = [row.partner_id.in_(scope.partner_ids)]
    if keys is not None:
        mine += [row.epoch == epoch, row.supplier_key.in_(keys)]
    classes = [(destination(row.location, scope.region_codes), None),
               (literal(ANY, String), None)]
    if local:
        classes.append((literal(LOCAL, String), row.location.in_(local)))
    rows = union_all(*[
        select(row.epoch, cast(cls, String).label("cls"), row.supplier_key, row.threshold_pence,
               row.quarters).where(*mine, *([extra] if extra is not None else []))
        for cls, extra in classes]).subquery()
    masks = [f"m{i}" for i in range(len(thresholds))]
    each = (select(rows.c.epoch, rows.c.cls, *(
        func.bit_or(case((rows.c.threshold_pence >= t, rows.c.quarters))).label(mask)
        for mask, t in zip(masks, thresholds, strict=True)))
        .group_by(rows.c.epoch, rows.c.cls, rows.c.supplier_key)).subquery("each_supplier")
    combined = (select(each.c.epoch, each.c.cls, *(each.c[mask] for mask in masks),
                       func.count().label("n"))
                .group_by(each.c.epoch, each.c.cls, *(each.c[mask] for mask in masks))
                ).cte("combination")
    return union_all(*[
        select(literal(scope.id).label("scope_id"), literal(t, BigInteger).label("t"),
               combined.c.epoch, combined.c.cls, combined.c[mask].label("quarters"),
               combined.c.n.label("suppliers"))
        .where(combined.c[mask].is_not(None))
        for mask, t in zip(masks, thresholds, strict=True)]).subquery()


def destination(location, region: list[str]):
    """The class of a location (a column) among a scope's destinations: a LAD of its
    sub-region ``region`` as it is, outside or unknown."""
    if not region:
        return cast(case((location == UNKNOWN, UNKNOWN), else_=OUTSIDE), String)
    return cast(case((location.in_(region), location), (location == UNKNOWN, UNKNOWN),
                     else_=OUTSIDE), String)


def _count_masks(uow: UnitOfWork, scope: SpendScope, thresholds: list[int], sign: int,
                 keys=None, epoch: int | None = None) -> None:
    """Add (``sign`` 1) or take away (-1) the suppliers of the scope (those of the subquery
    ``keys`` in ``epoch``, if given) from its per-mask counts."""
    masks = _masks(scope, thresholds, keys, epoch)
    groups = (select(masks.c.scope_id, masks.c.t, masks.c.epoch, masks.c.cls, masks.c.quarters,
                     cast(func.sum(masks.c.suppliers) * sign, Integer))
              .where(literal_column("1") == 1)  # SQLite's upsert from a SELECT needs a WHERE
              .group_by(masks.c.scope_id, masks.c.t, masks.c.epoch, masks.c.cls,
                        masks.c.quarters))
    table = SpendScopeMaskCount.__table__
    stmt = partner_masks.upsert(uow)(table).from_select([*_MASK_KEY, "suppliers"], groups)
    stmt = stmt.on_conflict_do_update(
        index_elements=_MASK_KEY,
        set_={"suppliers": table.c.suppliers + stmt.excluded.suppliers})
    uow.session.execute(stmt)
    if sign < 0:
        uow.session.execute(delete(table).where(table.c.scope_id == scope.id,
                                                table.c.suppliers == 0))


def _levels(thresholds: list[int]) -> str:
    return ",".join(str(t) for t in thresholds)


def sync_scopes(uow: UnitOfWork, thresholds: list[int]) -> list[SpendScope]:
    """Make the stored scopes those the registry gives: drop the others, add (and count) the
    missing ones, count again those counted at other thresholds. The partners' rows must be
    up to date at ``thresholds``. Returns the scopes."""
    wanted = {d.signature: d for d in scope_definitions(uow)}
    stored = {s.signature: s for s in uow.session.scalars(select(SpendScope))}
    levels = _levels(thresholds)
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
            uow.session.flush()
        if scope.thresholds != levels:
            build_scope(uow, scope, thresholds)
            scope.thresholds = levels
        scopes.append(scope)
    uow.session.flush()
    return scopes


def on_accept(uow: UnitOfWork, partner_id: int, period: str, return_ids: list[int]) -> None:
    """After a spend return of ``partner_id`` for ``period`` became current (its supplier
    aggregates written): bring the partner's rows and every scope holding it up to date.
    Where no scope was counted at the current thresholds (none yet, or the thresholds
    changed), every partner's rows are built afresh first."""
    if Period.parse(period).is_year:
        return
    _roomy(uow)
    thresholds = thresholds_pence(uow)
    levels = _levels(thresholds)
    counted = [scope for scope in uow.session.scalars(select(SpendScope))
               if scope.thresholds == levels]
    if counted:
        _update_partner(uow, partner_id, period, return_ids, thresholds,
                        [scope for scope in counted if partner_id in scope.partner_ids])
    else:
        _build_partners(uow, thresholds)
    sync_scopes(uow, thresholds)


def _update_partner(uow: UnitOfWork, partner_id: int, period: str, return_ids: list[int],
                    thresholds: list[int], holding: list[SpendScope]) -> None:
    """The partner's rows for ``period``, for the suppliers the acceptance changed: their
    counts taken away from the scopes ``holding`` it, the rows updated once, the counts
    added back."""
    if partner_masks.changed_keys(uow, return_ids):
        keys = partner_masks.changed()
        epoch, _ = partner_masks.quarter_bit(period)
        partner_masks.analyze(uow)
        for scope in holding:
            _count_masks(uow, scope, thresholds, -1, keys, epoch)
        partner_masks.update_quarter(uow, partner_id, thresholds, period, keys)
        partner_masks.analyze(uow)
        for scope in holding:
            _count_masks(uow, scope, thresholds, 1, keys, epoch)
    partner_masks.drop_changed(uow)


def _build_partners(uow: UnitOfWork, thresholds: list[int]) -> None:
    """Every partner's rows afresh, and no scope counted (`sync_scopes` counts them)."""
    for model in (SpendScopeMaskCount, SpendPartnerSupplier):
        uow.session.execute(delete(model))
    uow.session.execute(update(SpendScope).values(thresholds=""))
    partners = uow.session.scalars(select(PartnerReturn.partner_id).distinct().where(
        PartnerReturn.kind == "spend", PartnerReturn.is_current.is_(True)))
    for partner_id in list(partners):
        partner_masks.build_partner(uow, partner_id, thresholds)
    partner_masks.analyze(uow)


def _roomy(uow: UnitOfWork) -> None:
    """Room for PostgreSQL to group a few hundred thousand suppliers' rows in memory (the
    default 4 MB sorts them on disk), for this transaction only."""
    if uow.session.get_bind().dialect.name == "postgresql":
        uow.session.execute(text("SET LOCAL work_mem = '64MB'"))


def rebuild(uow: UnitOfWork) -> None:
    """Every partner's rows and every scope afresh (inside the caller's transaction)."""
    _roomy(uow)
    thresholds = thresholds_pence(uow)
    _build_partners(uow, thresholds)
    uow.session.execute(delete(SpendScope))
    uow.session.flush()
    sync_scopes(uow, thresholds)
