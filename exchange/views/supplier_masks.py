"""Distinct supplier counts from the maintained quarter masks.

A window within one mask epoch is a sum over the distinct masks of a scope, threshold and
class (``spend_scope_mask_count``): the suppliers of each mask that meets the bucket's
quarters, so it reads as many rows as there are masks. A window across epochs (a ten-year range
crossing April 2015 or April 2030) counts the scope's suppliers whose mask meets the bucket in
any of its epochs, from its partners' rows (``spend_partner_supplier``: a row per partner,
supplier, location, epoch and the highest threshold reached). Each function returns ``None``
when it cannot answer exactly (no stored scope for those partners and LADs, or a threshold it
was not built at), and the caller then counts from ``spend_supplier_aggregate``."""

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import (
    Integer,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    text,
    union_all,
)

from exchange.models.aggregates import (
    OUTSIDE,
    UNKNOWN,
    SpendPartnerSupplier,
    SpendScope,
    SpendScopeMaskCount,
)
from exchange.services.aggregates.partner_masks import quarter_bit
from exchange.services.aggregates.supplier_scopes import ANY, LOCAL, destination, signature
from exchange.unit_of_work import UnitOfWork

Window = dict[int, dict[str, int]]  # epoch -> bucket label -> mask of its quarters


def _window(buckets: dict[str, str]) -> Window:
    """Each bucket label's quarters as a mask per epoch they fall in."""
    out: Window = defaultdict(lambda: defaultdict(int))
    for quarter, label in buckets.items():
        epoch, bit = quarter_bit(quarter)
        out[epoch][label] |= bit
    return out


def _counted(window: Window, scopes: dict[int, SpendScope], threshold: Decimal,
             classes: list[str]):
    """Suppliers per scope and class (``scopes``: by id): a subquery of
    ``scope_id``, ``cls`` and one column per bucket label (``n0``, ``n1``… in ``_labels``
    order). Within one epoch, a sum over the mask counts; across epochs, from the suppliers'
    rows (`_across_epochs`)."""
    if len(window) > 1:
        return _across_epochs(window, scopes, threshold, classes)
    labels = _labels(window)
    row = SpendScopeMaskCount
    (masks,) = window.values()
    hits = [case((row.quarters.op("&")(masks[label]) != 0, row.suppliers), else_=0)
            for label in labels]
    return (select(row.scope_id, row.cls,
                   *(func.sum(hit).cast(Integer).label(f"n{i}") for i, hit in enumerate(hits)))
            .where(row.scope_id.in_(list(scopes)), row.epoch.in_(list(window)),
                   row.threshold_pence == _pence(threshold), row.cls.in_(classes))
            .group_by(row.scope_id, row.cls).subquery())


def _across_epochs(window: Window, scopes: dict[int, SpendScope], threshold: Decimal,
                   classes: list[str]):
    """As `_counted`, for a window across epochs: a supplier is in a bucket when one of its
    scope's partners' rows reaching ``threshold`` meets, in its epoch, that epoch's part of the
    bucket. Its rows (one per partner, location, epoch and top threshold) are reduced to one
    per supplier — for any location (``*``) and local, in one pass — and to one per supplier
    and destination for the destinations asked for, each with a hash aggregate
    (count(DISTINCT) would sort them)."""
    part = SpendPartnerSupplier
    members = union_all(*[
        select(literal(scope_id, Integer).label("scope_id"),
               literal(partner_id, Integer).label("partner_id"))
        for scope_id, scope in scopes.items() for partner_id in scope.partner_ids]).subquery()
    row = (select(members.c.scope_id, part.supplier_key, part.location, part.epoch,
                  part.quarters)
           .join(members, members.c.partner_id == part.partner_id)
           .where(part.threshold_pence >= _pence(threshold), part.epoch.in_(list(window)))
           ).subquery("partner_rows").c
    labels = _labels(window)
    hits = [case((or_(*(and_(row.epoch == epoch, row.quarters.op("&")(masks[label]) != 0)
                         for epoch, masks in window.items() if label in masks)), 1), else_=0)
            for label in labels]
    parts = []
    if ANY in classes or LOCAL in classes:
        by_lads = defaultdict(list)  # scopes sharing their local LADs test them once
        for scope_id, scope in scopes.items():
            if scope.local_codes:
                by_lads[tuple(scope.local_codes)].append(scope_id)
        local = or_(*(row.location.in_(lads) if len(ids) == len(scopes) else
                      and_(row.scope_id.in_(ids), row.location.in_(lads))
                      for lads, ids in by_lads.items()), literal(False))
        each = (select(row.scope_id,
                       *(func.max(hit).label(f"n{i}") for i, hit in enumerate(hits)),
                       *(func.max(case((local, hit), else_=0)).label(f"l{i}")
                         for i, hit in enumerate(hits)))
                .group_by(row.scope_id, row.supplier_key)
                .cte("each_supplier"))  # once for both classes
        for cls, prefix in ((ANY, "n"), (LOCAL, "l")):
            if cls in classes:
                parts.append(select(each.c.scope_id, literal(cls, String).label("cls"), *(
                    func.sum(each.c[f"{prefix}{i}"]).cast(Integer).label(f"n{i}")
                    for i in range(len(labels)))).group_by(each.c.scope_id))
    if destinations := [c for c in classes if c not in (ANY, LOCAL)]:
        cls = _destination(row, scopes)
        each = (select(row.scope_id, cls.label("cls"),
                       *(func.max(hit).label(f"n{i}") for i, hit in enumerate(hits)))
                .where(cls.in_(destinations))
                .group_by(row.scope_id, cls, row.supplier_key).subquery())
        parts.append(select(each.c.scope_id, cast(each.c.cls, String).label("cls"), *(
            func.sum(column).cast(Integer).label(column.name)
            for column in _numbers(each, labels))).group_by(each.c.scope_id, each.c.cls))
    return union_all(*parts).subquery()


def _destination(row, scopes: dict[int, SpendScope]):
    """A row's destination class: destinations are asked for scopes of one sub-region (a
    flow's, or a sub-region's places), so a location is one class in all of them."""
    regions = {tuple(scope.region_codes) for scope in scopes.values()}
    if len(regions) != 1:
        raise ValueError("destinations are counted for scopes of one sub-region")
    return destination(row.location, list(regions.pop()))


def _pence(threshold: Decimal) -> int:
    return int(Decimal(threshold) * 100)


def _labels(window: Window) -> list[str]:
    return list(dict.fromkeys(label for masks in window.values() for label in masks))


def _numbers(counted, labels: list[str]) -> list:
    return [counted.c[f"n{i}"] for i in range(len(labels))]


def _scopes(uow: UnitOfWork, signatures: list[str], threshold: Decimal
            ) -> dict[str, SpendScope] | None:
    """Signature -> scope, if every one is stored and built at ``threshold``."""
    pence = str(_pence(threshold))
    rows = uow.session.scalars(select(SpendScope).where(SpendScope.signature.in_(signatures)))
    found = {scope.signature: scope for scope in rows if pence in scope.thresholds.split(",")}
    return found if len(found) == len(set(signatures)) else None


def _count(uow: UnitOfWork, scopes: Iterable[SpendScope], threshold: Decimal, window: Window,
           classes: list[str]) -> dict[tuple[int, str, str], int]:
    """(scope id, bucket label, class) -> suppliers, one statement for all."""
    labels = _labels(window)
    counted = _counted(window, {scope.id: scope for scope in scopes}, threshold, classes)
    if len(window) > 1 and uow.session.get_bind().dialect.name == "postgresql":
        # Room to hash the scopes' suppliers (tens of thousands of groups) in memory: with
        # the default 4 MB PostgreSQL sorts them instead, twice as slow. This transaction only.
        uow.session.execute(text("SET LOCAL work_mem = '32MB'"))
    out = {}
    for scope_id, cls, *numbers in uow.session.execute(
            select(counted.c.scope_id, counted.c.cls, *_numbers(counted, labels))):
        for label, number in zip(labels, numbers, strict=True):
            out[(scope_id, label, cls)] = int(number or 0)
    return out


def supplier_counts(uow: UnitOfWork, partner_ids: Iterable[int], buckets: dict[str, str],
                    local: Iterable[str], region: Iterable[str], threshold: Decimal,
                    by_partner: bool) -> dict[tuple[str, int | None], tuple[int, int]] | None:
    """As ``spend._supplier_counts``: (label, partner id or None) -> (suppliers, local)."""
    window = _window(buckets)
    partner_ids, local, region = list(partner_ids), list(local), list(region)
    wanted = {None: signature(partner_ids, local, region)}
    if by_partner:
        wanted.update({p: signature([p], local, region) for p in partner_ids})
    scopes = _scopes(uow, list(wanted.values()), threshold)
    if scopes is None:
        return None
    counted = _count(uow, scopes.values(), threshold, window, [ANY, LOCAL])
    out = {}
    for key, sig in wanted.items():
        for label in set(buckets.values()):
            suppliers = counted.get((scopes[sig].id, label, ANY), 0)
            if suppliers:
                out[(label, key)] = (suppliers, counted.get((scopes[sig].id, label, LOCAL), 0))
    return out


def flow_supplier_counts(uow: UnitOfWork, partner_ids: Iterable[int], buckets: dict[str, str],
                         lads: Iterable[str], threshold: Decimal
                         ) -> dict[tuple[str, str], int] | None:
    """(label, destination) -> suppliers, destinations being ``lads``, outside and unknown."""
    window = _window(buckets)
    lads = list(lads)
    partners = ",".join(str(i) for i in sorted(set(partner_ids)))
    region = ",".join(sorted(set(lads)))
    sig = uow.session.scalar(select(SpendScope.signature).where(
        SpendScope.partners == partners, SpendScope.region_lads == region).limit(1))
    scopes = _scopes(uow, [sig], threshold) if sig else None
    if scopes is None:
        return None
    destinations = [*lads, OUTSIDE, UNKNOWN]
    counted = _count(uow, [scopes[sig]], threshold, window, destinations)
    return {(label, where): number for (_, label, where), number in counted.items()}


def group_counts(uow: UnitOfWork, groups: dict, buckets: dict[str, str], region: Iterable[str],
                 threshold: Decimal) -> dict | None:
    """For several scopes at once (``groups``: key -> (partner ids, local LADs), all in the
    same sub-region ``region``): key -> {(label, class): suppliers}, classes being ``*``,
    ``local``, each LAD of ``region``, ``outside`` and ``unknown``. One lookup, one count."""
    window = _window(buckets)
    region = list(region)
    wanted = {key: signature(ids, local, region) for key, (ids, local) in groups.items()}
    classes = [ANY, LOCAL, *region, OUTSIDE, UNKNOWN]
    scopes = _scopes(uow, list(wanted.values()), threshold)
    if scopes is None:
        return None
    counted = _count(uow, scopes.values(), threshold, window, classes)
    by_scope: dict[int, dict] = defaultdict(dict)
    for (scope_id, label, cls), number in counted.items():
        by_scope[scope_id][(label, cls)] = number
    return {key: by_scope.get(scopes[sig].id, {}) for key, sig in wanted.items()}
