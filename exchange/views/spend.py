"""Spend KPIs and flows, read from the maintained aggregates (never from ``spend_line``).

Shared by the partnership and MCA views and by the releases/feeds. The two entry points for
other modules are :func:`spend_kpis` and :func:`spend_flows`; :func:`spend_table` and
:func:`flow_table` give the same figures for many periods and partners in one go.

Which returns count: the *current* accepted returns of ``partner_ids`` whose period is one of the
quarters asked for — or, with ``return_ids``, exactly those returns (a release's lineage).
A line's period is its return's period."""

import re
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import case, distinct, func, literal_column, select

from exchange.models import Partner, PartnerReturn
from exchange.models.aggregates import (
    OUTSIDE,
    UNKNOWN,
    SpendAggregate,
    SpendShareAggregate,
    SpendSupplierAggregate,
)
from exchange.periods import Period
from exchange.services.aggregates.spend_totals import band_thresholds
from exchange.unit_of_work import UnitOfWork
from exchange.views import supplier_masks as masks
from exchange.views.coverage import ShareSums, money, share, share_kpis

__all__ = ["money", "share", "kpis", "spend_kpis", "spend_flows", "spend_table", "flow_table"]

BASES = ("as_submitted", "comparable")
TOTAL = "total"
_LABEL = re.compile(r"[0-9A-Za-z_ -]{1,40}")
MONEY = ("total_spend", "local_spend", "subregional_spend", "unknown_location_spend",
         "sme_spend", "vcse_spend", "credit_notes")


def quarters_of(periods: Iterable[str | Period]) -> list[str]:
    """Every quarter of the periods given (a year stands for its four quarters), in order."""
    found = {q for p in periods for q in Period.parse(p).quarters()}
    return [str(q) for q in sorted(found)]


def comparable_threshold(uow: UnitOfWork, partner_ids: Iterable[int]) -> Decimal:
    """The highest spend threshold among the partners compared (0 when none has one)."""
    ids = list(partner_ids)
    if not ids:
        return Decimal("0.00")
    found = uow.session.scalar(select(func.max(Partner.spend_threshold))
                               .where(Partner.id.in_(ids)))
    return Decimal(found or 0).quantize(Decimal("0.01"))


def threshold_for(uow: UnitOfWork, partner_ids: Iterable[int], basis: str) -> Decimal:
    if basis not in BASES:
        raise ValueError(f"basis must be one of {', '.join(BASES)}, not '{basis}'")
    return comparable_threshold(uow, partner_ids) if basis == "comparable" else Decimal("0.00")


def _check_band(uow: UnitOfWork, threshold: Decimal) -> None:
    """Bands exist only at the partners' thresholds: any other would silently cut wrongly."""
    if threshold and Decimal(threshold) not in band_thresholds(uow):
        raise ValueError(f"{threshold} is not a partner's spend threshold; the aggregates are "
                         "banded at those only (run `hub aggregates rebuild` after changing one)")


def _returns_filter(stmt, model, partner_ids, quarters, return_ids, threshold: Decimal):
    pence = int(threshold * 100)
    # shares are netted at each threshold; the other aggregates are banded
    cut = (model.threshold_pence == pence if model is SpendShareAggregate
           else model.band_pence >= pence)
    stmt = stmt.join(PartnerReturn, PartnerReturn.id == model.return_id).where(
        PartnerReturn.partner_id.in_(list(partner_ids)), PartnerReturn.period.in_(quarters),
        cut)
    if return_ids is None:
        return stmt.where(PartnerReturn.is_current.is_(True))
    return stmt.where(PartnerReturn.id.in_(list(return_ids)))


def _bucket(buckets: dict[str, str]):
    """The label each return's period is reported under, as a SQL expression (inlined: they
    are canonical period strings)."""
    def text(value: str):
        if not _LABEL.fullmatch(value):
            raise ValueError(f"'{value}' is not a period label")
        return literal_column(f"'{value}'")

    labels = set(buckets.values())
    if len(labels) == 1:
        return text(labels.pop())
    return case(*[(PartnerReturn.period == text(q), text(label)) for q, label in buckets.items()])


def _positions(count: int) -> list:
    """GROUP BY 1, 2, ...: PostgreSQL refuses to group by a constant, and the bucket label may
    be one."""
    return [literal_column(str(n)) for n in range(1, count + 1)]


class _Sums:
    """Money sums in pence (every line, as paid) and ``shares``: the nets shares come from."""

    __slots__ = ("total", "local", "subregional", "unknown", "sme", "vcse", "credit", "shares")

    def __init__(self):
        for name in self.__slots__:
            setattr(self, name, 0)
        self.shares = ShareSums()


def spend_table(uow: UnitOfWork, partner_ids: Iterable[int], buckets: dict[str, str],
                lads_local: Iterable[str], lads_subregion: Iterable[str],
                threshold: Decimal = Decimal(0), *, return_ids: Iterable[int] | None = None,
                by_partner: bool = True, band_checked: bool = False
                ) -> dict[tuple[str, int | None], dict]:
    """KPIs keyed by (bucket, partner_id) and (bucket, None) for all partners combined.

    ``buckets`` maps each quarter wanted to the label of the period it is reported under
    (itself, its year, or one label for a total). Buckets without data are absent.
    ``band_checked``: the caller took ``threshold`` from a partner's (or it is 0), so it is a
    band without asking."""
    partner_ids, local, region = list(partner_ids), list(lads_local), list(lads_subregion)
    if not partner_ids or not buckets:
        return {}
    if not band_checked:
        _check_band(uow, threshold)
    rows = _sum_rows(uow, partner_ids, buckets, threshold, return_ids)
    shared = _share_rows(uow, partner_ids, buckets, threshold, return_ids)
    sums = _kpi_sums(rows, shared, None, local, region, by_partner)
    counts = None
    if return_ids is None:
        counts = masks.supplier_counts(uow, partner_ids, buckets, local, region, threshold,
                                       by_partner)
    if counts is None:
        counts = _supplier_counts(uow, partner_ids, buckets, local, threshold, return_ids,
                                  by_partner)
    return {key: kpis(acc, *counts.get(key, (0, 0))) for key, acc in sums.items()}


def _sum_rows(uow: UnitOfWork, partner_ids: list[int], buckets: dict[str, str],
              threshold: Decimal, return_ids: Iterable[int] | None) -> list[tuple]:
    """(label, partner id, location, amount, credit, sme amount, vcse amount, lines) from the
    aggregates, one row per label, partner and location."""
    agg, bucket = SpendAggregate, _bucket(buckets)
    stmt = select(bucket, PartnerReturn.partner_id, agg.location,
                  func.sum(agg.amount_pence), func.sum(agg.credit_pence),
                  func.sum(case((agg.sme.is_(True), agg.amount_pence), else_=0)),
                  func.sum(case((agg.vcse.is_(True), agg.amount_pence), else_=0)),
                  func.sum(agg.lines)).select_from(agg)
    stmt = _returns_filter(stmt, agg, partner_ids, list(buckets), return_ids, threshold)
    return list(uow.session.execute(stmt.group_by(*_positions(3))))


def _share_rows(uow: UnitOfWork, partner_ids: list[int], buckets: dict[str, str],
                threshold: Decimal, return_ids: Iterable[int] | None) -> list[tuple]:
    """(label, partner id, location, source, counted, amount, sme amount, vcse amount,
    suppliers) from the nets per supplier (the glossary's method)."""
    agg, bucket = SpendShareAggregate, _bucket(buckets)
    stmt = select(bucket, PartnerReturn.partner_id, agg.location, agg.location_source,
                  agg.counted, func.sum(agg.amount_pence),
                  func.sum(case((agg.sme.is_(True), agg.amount_pence), else_=0)),
                  func.sum(case((agg.vcse.is_(True), agg.amount_pence), else_=0)),
                  func.sum(agg.suppliers)).select_from(agg)
    stmt = _returns_filter(stmt, agg, partner_ids, list(buckets), return_ids, threshold)
    return list(uow.session.execute(stmt.group_by(*_positions(5))))


def _kpi_sums(rows: list[tuple], shared: list[tuple], partner_ids: set[int] | None,
              local: list[str], region: list[str], by_partner: bool = False
              ) -> dict[tuple, "_Sums"]:
    """Sums keyed (label, None) and, with ``by_partner``, (label, partner id), over the rows of
    ``partner_ids`` (all rows with None); ``shared``: the share rows of the same."""
    sums: dict[tuple, _Sums] = defaultdict(_Sums)
    local, region = set(local), set(region)
    for label, partner_id, location, source, counted, amount, sme, vcse, suppliers in shared:
        if partner_ids is not None and partner_id not in partner_ids:
            continue
        for key in [(label, None)] + ([(label, partner_id)] if by_partner else []):
            sums[key].shares.add(location, source, bool(counted), int(amount), int(sme),
                                 int(vcse), int(suppliers), local, region, UNKNOWN)
    for label, partner_id, location, amount, credit, sme, vcse, _ in rows:
        if partner_ids is not None and partner_id not in partner_ids:
            continue
        keys = [(label, None)] + ([(label, partner_id)] if by_partner else [])
        for key in keys:
            acc = sums[key]
            acc.total += amount
            acc.credit += credit
            acc.local += amount if location in local else 0
            acc.subregional += amount if location in region else 0
            acc.unknown += amount if location == UNKNOWN else 0
            acc.sme += sme
            acc.vcse += vcse
    return sums


def _flow_sums(rows: list[tuple], partner_ids: set[int], lads: list[str],
               labels: Iterable[str]) -> dict[str, dict[str, dict]]:
    """Per label and destination: amount and lines of ``partner_ids``; suppliers left at 0."""
    out = {label: {d: {"amount": 0, "lines": 0, "suppliers": 0}
                   for d in [*lads, OUTSIDE, UNKNOWN]} for label in labels}
    inside = set(lads)
    for label, partner_id, location, amount, _, _, _, lines in rows:
        if partner_id in partner_ids:
            where = location if location in inside else (
                UNKNOWN if location == UNKNOWN else OUTSIDE)
            cell = out[label][where]
            cell["amount"] += amount
            cell["lines"] += int(lines)
    for cells in out.values():
        for cell in cells.values():
            cell["amount"] = money(cell["amount"])
    return out


def group_tables(uow: UnitOfWork, groups: dict, buckets: dict[str, str], region: list[str],
                 threshold: Decimal = Decimal(0), *, band_checked: bool = False
                 ) -> tuple[dict, dict]:
    """KPIs and flows of several partner sets at once (``groups``: key -> (partner ids, local
    LADs), flows to each LAD of ``region``, outside and unknown), for the current returns:
    key -> {label: kpis} and key -> {label: {destination: cell}}. The same figures as
    :func:`spend_table` and :func:`flow_table` per group, in two statements when the supplier
    masks cover every group."""
    labels = list(dict.fromkeys(buckets.values()))
    everyone = sorted({i for ids, _ in groups.values() for i in ids})
    if not everyone or not buckets:
        return ({key: {} for key in groups},
                {key: flow_table(uow, [], buckets, region) for key in groups})
    if not band_checked:
        _check_band(uow, threshold)
    rows = _sum_rows(uow, everyone, buckets, threshold, None)
    shared = _share_rows(uow, everyone, buckets, threshold, None)
    counted = masks.group_counts(uow, groups, buckets, region, threshold)
    rows_of, shared_of = defaultdict(list), defaultdict(list)
    for row in rows:
        rows_of[row[1]].append(row)
    for row in shared:
        shared_of[row[1]].append(row)
    tables, flows = {}, {}
    for key, (ids, local) in groups.items():
        if counted is None:
            tables[key] = {label: cell for (label, _), cell in spend_table(
                uow, ids, buckets, local, region, threshold, by_partner=False).items()}
            flows[key] = flow_table(uow, ids, buckets, region, threshold)
            continue
        found, members = counted[key], set(ids)
        mine = [row for i in members for row in rows_of.get(i, ())]
        mine_shared = [row for i in members for row in shared_of.get(i, ())]
        tables[key] = {label: kpis(acc, found.get((label, masks.ANY), 0),
                                   found.get((label, masks.LOCAL), 0))
                       for (label, _), acc in _kpi_sums(mine, mine_shared, None, local,
                                                        region).items()}
        flows[key] = _flow_sums(mine, members, region, labels)
        for label, cells in flows[key].items():
            for where, cell in cells.items():
                cell["suppliers"] = found.get((label, where), 0)
    return tables, flows


def _supplier_counts(uow, partner_ids, buckets, local, threshold, return_ids, by_partner):
    sup, bucket = SpendSupplierAggregate, _bucket(buckets)
    local_key = case((sup.location.in_(local), sup.supplier_key))
    counts = {}
    groupings = [(bucket, PartnerReturn.partner_id)] if by_partner else []
    groupings.append((bucket,))
    for grouping in groupings:
        stmt = select(*grouping, func.count(distinct(sup.supplier_key)),
                      func.count(distinct(local_key))).select_from(sup)
        stmt = _returns_filter(stmt, sup, partner_ids, list(buckets), return_ids, threshold)
        for row in uow.session.execute(stmt.group_by(*_positions(len(grouping)))):
            key = (row[0], row[1]) if len(grouping) == 2 else (row[0], None)
            counts[key] = (row[-2], row[-1])
    return counts


def kpis(acc: _Sums | None = None, suppliers: int = 0, local_suppliers: int = 0) -> dict:
    """The spend KPIs of one cell, JSON-ready; ``kpis()`` gives the empty cell. Money is every
    line as paid; the shares, their coverage and the net credits left out of them follow the
    glossary's method (``exchange.views.coverage``)."""
    acc = acc or _Sums()
    return {
        "total_spend": money(acc.total), "local_spend": money(acc.local),
        "subregional_spend": money(acc.subregional),
        "unknown_location_spend": money(acc.unknown),
        "sme_spend": money(acc.sme), "vcse_spend": money(acc.vcse),
        **share_kpis(acc.shares),
        "local_suppliers": local_suppliers, "suppliers": suppliers,
        "credit_notes": money(acc.credit),
    }


def spend_kpis(uow: UnitOfWork, partner_ids: Iterable[int], periods: Iterable[str | Period],
               lads_local: Iterable[str], lads_subregion: Iterable[str],
               basis: str = "as_submitted", *, threshold: Decimal | None = None,
               return_ids: Iterable[int] | None = None) -> dict:
    """The spend KPIs of ``partner_ids`` combined over ``periods`` (quarters or years).

    ``basis="comparable"`` keeps lines at or above the highest threshold of ``partner_ids``;
    pass ``threshold`` to impose one (e.g. the threshold of a wider comparison). With
    ``return_ids``, exactly those returns count instead of the current ones."""
    partner_ids = list(partner_ids)
    if threshold is None:
        threshold = threshold_for(uow, partner_ids, basis)
    buckets = dict.fromkeys(quarters_of(periods), TOTAL)
    table = spend_table(uow, partner_ids, buckets, lads_local, lads_subregion, threshold,
                        return_ids=return_ids, by_partner=False)
    return table.get((TOTAL, None)) or kpis()


def flow_table(uow: UnitOfWork, partner_ids: Iterable[int], buckets: dict[str, str],
               lads: Iterable[str], threshold: Decimal = Decimal(0), *,
               return_ids: Iterable[int] | None = None) -> dict[str, dict[str, dict]]:
    """Per bucket: spend to suppliers in each of ``lads``, ``outside`` them and ``unknown``,
    each ``{"amount", "lines", "suppliers"}``; every destination is present."""
    partner_ids, lads = list(partner_ids), list(lads)
    empty = {d: {"amount": "0.00", "lines": 0, "suppliers": 0} for d in [*lads, OUTSIDE, UNKNOWN]}
    out = {label: {d: dict(v) for d, v in empty.items()} for label in dict.fromkeys(
        buckets.values())}
    if not partner_ids or not buckets:
        return out
    _check_band(uow, threshold)
    agg, sup, bucket = SpendAggregate, SpendSupplierAggregate, _bucket(buckets)
    counted = None
    if return_ids is None:
        counted = masks.flow_supplier_counts(uow, partner_ids, buckets, lads, threshold)
    if counted is not None:
        for (label, where), number in counted.items():
            out[label][where]["suppliers"] = number
    measured = [(agg, (func.sum(agg.amount_pence), func.sum(agg.lines)))]
    if counted is None:
        measured.append((sup, (func.count(distinct(sup.supplier_key)),)))
    for model, measures in measured:
        dest = case((model.location.in_(lads), model.location),
                    (model.location == UNKNOWN, UNKNOWN), else_=OUTSIDE)
        stmt = select(bucket, dest, *measures).select_from(model)
        stmt = _returns_filter(stmt, model, partner_ids, list(buckets), return_ids, threshold)
        for label, where, *values in uow.session.execute(stmt.group_by(*_positions(2))):
            cell = out[label][where]
            if model is agg:
                cell["amount"], cell["lines"] = money(values[0]), int(values[1])
            else:
                cell["suppliers"] = int(values[0])
    return out


def spend_flows(uow: UnitOfWork, partner_ids: Iterable[int], periods: Iterable[str | Period],
                lads_subregion: Iterable[str], basis: str = "as_submitted", *,
                threshold: Decimal | None = None,
                return_ids: Iterable[int] | None = None) -> dict[str, dict]:
    """Spend of ``partner_ids`` over ``periods`` by destination: each LAD of
    ``lads_subregion``, ``outside`` and ``unknown`` -> ``{"amount", "lines", "suppliers"}``."""
    partner_ids = list(partner_ids)
    if threshold is None:
        threshold = threshold_for(uow, partner_ids, basis)
    buckets = dict.fromkeys(quarters_of(periods), TOTAL)
    return flow_table(uow, partner_ids, buckets, lads_subregion, threshold,
                      return_ids=return_ids)[TOTAL]
