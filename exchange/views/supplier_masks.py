"""Distinct supplier counts from the maintained quarter masks (``spend_scope_mask_count``).

A count is a sum over the distinct masks of a scope, threshold and class: the suppliers of
each mask that meets the bucket's quarters. Each function returns ``None`` when it cannot
answer exactly (no stored scope for those partners and LADs, a threshold it was not built at,
or a window spanning two mask epochs), and the caller then counts from
``spend_supplier_aggregate``."""

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import Integer, and_, case, func, select

from exchange.models.aggregates import OUTSIDE, UNKNOWN, SpendScope, SpendScopeMaskCount
from exchange.services.supplier_scopes import ANY, LOCAL, quarter_bit, signature
from exchange.unit_of_work import UnitOfWork


def _bucket_masks(buckets: dict[str, str]) -> tuple[int, dict[str, int]] | None:
    """The one epoch the quarters fall in and each bucket label's mask, or None."""
    epochs, out = set(), defaultdict(int)
    for quarter, label in buckets.items():
        epoch, bit = quarter_bit(quarter)
        epochs.add(epoch)
        out[label] |= bit
    return (epochs.pop(), dict(out)) if len(epochs) == 1 else None


def _scopes(uow: UnitOfWork, signatures: list[str], threshold: Decimal) -> dict[str, int] | None:
    """Signature -> scope id, if every one is stored and built at ``threshold``."""
    pence = str(int(Decimal(threshold) * 100))
    rows = uow.session.execute(select(SpendScope.signature, SpendScope.id, SpendScope.thresholds)
                               .where(SpendScope.signature.in_(signatures))).all()
    found = {sig: scope_id for sig, scope_id, levels in rows if pence in levels.split(",")}
    return found if len(found) == len(set(signatures)) else None


def _count(uow: UnitOfWork, scope_ids: list[int], threshold: Decimal, epoch: int,
           labels: dict[str, int], classes: list[str]) -> dict[tuple[int, str, str], int]:
    """(scope id, bucket label, class) -> suppliers, one statement for all."""
    row = SpendScopeMaskCount
    names = list(labels)
    sums = [func.sum(case((row.quarters.op("&")(labels[n]) != 0, row.suppliers),
                          else_=0)).cast(Integer) for n in names]
    stmt = (select(row.scope_id, row.cls, *sums)
            .where(row.scope_id.in_(scope_ids),
                   row.threshold_pence == int(Decimal(threshold) * 100),
                   row.epoch == epoch, row.cls.in_(classes))
            .group_by(row.scope_id, row.cls))
    out = {}
    for scope_id, cls, *numbers in uow.session.execute(stmt):
        for name, number in zip(names, numbers, strict=True):
            out[(scope_id, name, cls)] = int(number or 0)
    return out


def _scoped_count(uow: UnitOfWork, signatures: list[str], threshold: Decimal, epoch: int,
                  labels: dict[str, int], classes: list[str]
                  ) -> tuple[dict[str, int], dict[tuple[int, str, str], int]] | None:
    """:func:`_scopes` and :func:`_count` of those scopes in one statement: signature -> scope
    id, and (scope id, bucket label, class) -> suppliers; None unless every signature is
    stored and built at ``threshold``."""
    scope, row = SpendScope, SpendScopeMaskCount
    pence = int(Decimal(threshold) * 100)
    names = list(labels)
    sums = [func.sum(case((row.quarters.op("&")(labels[n]) != 0, row.suppliers),
                          else_=0)).cast(Integer) for n in names]
    stmt = (select(scope.signature, scope.id, scope.thresholds, row.cls, *sums)
            .outerjoin(row, and_(row.scope_id == scope.id, row.threshold_pence == pence,
                                 row.epoch == epoch, row.cls.in_(classes)))
            .where(scope.signature.in_(signatures))
            .group_by(scope.signature, scope.id, scope.thresholds, row.cls))
    found, out = {}, {}
    for sig, scope_id, levels, cls, *numbers in uow.session.execute(stmt):
        if str(pence) not in levels.split(","):
            continue
        found[sig] = scope_id
        if cls is None:
            continue
        for name, number in zip(names, numbers, strict=True):
            out[(scope_id, name, cls)] = int(number or 0)
    if len(found) != len(set(signatures)):
        return None
    return found, out


def supplier_counts(uow: UnitOfWork, partner_ids: Iterable[int], buckets: dict[str, str],
                    local: Iterable[str], region: Iterable[str], threshold: Decimal,
                    by_partner: bool) -> dict[tuple[str, int | None], tuple[int, int]] | None:
    """As ``spend._supplier_counts``: (label, partner id or None) -> (suppliers, local)."""
    window = _bucket_masks(buckets)
    if window is None:
        return None
    epoch, labels = window
    partner_ids, local, region = list(partner_ids), list(local), list(region)
    wanted = {None: signature(partner_ids, local, region)}
    if by_partner:
        wanted.update({p: signature([p], local, region) for p in partner_ids})
    scoped = _scoped_count(uow, list(wanted.values()), threshold, epoch, labels, [ANY, LOCAL])
    if scoped is None:
        return None
    scopes, counted = scoped
    out = {}
    for key, sig in wanted.items():
        for label in labels:
            suppliers = counted.get((scopes[sig], label, ANY), 0)
            if suppliers:
                out[(label, key)] = (suppliers, counted.get((scopes[sig], label, LOCAL), 0))
    return out


def flow_supplier_counts(uow: UnitOfWork, partner_ids: Iterable[int], buckets: dict[str, str],
                         lads: Iterable[str], threshold: Decimal
                         ) -> dict[tuple[str, str], int] | None:
    """(label, destination) -> suppliers, destinations being ``lads``, outside and unknown."""
    window = _bucket_masks(buckets)
    if window is None:
        return None
    epoch, labels = window
    lads = list(lads)
    partners = ",".join(str(i) for i in sorted(set(partner_ids)))
    region = ",".join(sorted(set(lads)))
    sig = uow.session.scalar(select(SpendScope.signature).where(
        SpendScope.partners == partners, SpendScope.region_lads == region).limit(1))
    scopes = _scopes(uow, [sig], threshold) if sig else None
    if scopes is None:
        return None
    destinations = [*lads, OUTSIDE, UNKNOWN]
    counted = _count(uow, [scopes[sig]], threshold, epoch, labels, destinations)
    return {(label, where): number for (_, label, where), number in counted.items()}


def group_counts(uow: UnitOfWork, groups: dict, buckets: dict[str, str], region: Iterable[str],
                 threshold: Decimal) -> dict | None:
    """For several scopes at once (``groups``: key -> (partner ids, local LADs), all in the
    same sub-region ``region``): key -> {(label, class): suppliers}, classes being ``*``,
    ``local``, each LAD of ``region``, ``outside`` and ``unknown``. One lookup, one count."""
    window = _bucket_masks(buckets)
    if window is None:
        return None
    epoch, labels = window
    region = list(region)
    wanted = {key: signature(ids, local, region) for key, (ids, local) in groups.items()}
    classes = [ANY, LOCAL, *region, OUTSIDE, UNKNOWN]
    scoped = _scoped_count(uow, list(wanted.values()), threshold, epoch, labels, classes)
    if scoped is None:
        return None
    scopes, counted = scoped
    by_scope: dict[int, dict] = defaultdict(dict)
    for (scope_id, label, cls), number in counted.items():
        by_scope[scope_id][(label, cls)] = number
    return {key: by_scope.get(scopes[sig], {}) for key, sig in wanted.items()}
