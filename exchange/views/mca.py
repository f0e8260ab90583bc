"""The MCA view: the same spend KPIs per place and for the whole sub-region (each partner once),
and the flow of spend from each place's partners to each LAD of the sub-region, outside it, and
of unknown location."""

from datetime import datetime
from decimal import Decimal

from exchange.models.base import utcnow
from exchange.services.cycle.windows import WindowRules
from exchange.unit_of_work import UnitOfWork
from exchange.views import registry
from exchange.views.common import current_returns, parse_window
from exchange.views.completeness import completeness
from exchange.views.partnership import place_dict
from exchange.views.spend import group_tables, kpis

WHOLE = "subregion"


def _flows(source: str, table: dict, label: str) -> list[dict]:
    return [{"from": source, "to": where, **cell} for where, cell in table[label].items()]


def _memberships(uow: UnitOfWork, place_ids: list[int]) -> tuple[dict, dict, dict]:
    """The partners of the places: slugs and partners by id, and the partner ids of each place
    (by slug), in one statement."""
    slugs, partners = {}, {}
    links: dict[int, list[int]] = {p: [] for p in place_ids}
    for place_id, partner in registry.partners_of(uow, place_ids):
        slugs[partner.id], partners[partner.id] = partner.slug, partner
        links[place_id].append(partner.id)
    return slugs, partners, {p: sorted(ids, key=slugs.__getitem__) for p, ids in links.items()}


def mca_view(uow: UnitOfWork, ref: str, first: str | None, last: str | None = None,
             by: str | None = None, basis: str | None = None, *, now: datetime | None = None,
             rules: WindowRules | None = None, as_released: bool = False) -> dict:
    """KPIs per place and for the sub-region, and flows, for each period of the window, and
    who is counted in each place and quarter at ``now`` (``as_released``: as a release counts,
    returns awaiting approval left out)."""
    window = parse_window(first, last, by, basis)
    with uow:
        registered = registry.Places(uow)
        subregion = registered.find(ref, "subregion")
        region = list(subregion.lad_codes)
        places = registered.children(subregion)
        slugs, partners, links = _memberships(uow, [subregion.id, *(p.id for p in places)])
        members = {p.id: links[p.id] for p in places}
        direct = set(links[subregion.id])
        everyone = sorted({i for ids in members.values() for i in ids} | direct,
                          key=slugs.__getitem__)
        threshold = (registry.comparable_threshold([partners[i] for i in everyone])
                     if window.basis == "comparable" else Decimal("0.00"))
        buckets = window.buckets
        groups = {p.id: (members[p.id], p.lad_codes) for p in places}
        groups[WHOLE] = (everyone, region)
        tables, flow_tables = group_tables(uow, groups, buckets, region, threshold,
                                           band_checked=True)
        place_kpis = {p.id: tables[p.id] for p in places}
        place_flows = {p.id: flow_tables[p.id] for p in places}
        whole, whole_flows = tables[WHOLE], flow_tables[WHOLE]
        periods = []
        for label in window.labels:
            flows = [f for p in places for f in _flows(p.slug, place_flows[p.id], label)]
            periods.append({
                "period": label,
                "places": [{**place_dict(p), "partners": [slugs[i] for i in members[p.id]],
                            "kpis": place_kpis[p.id].get(label) or kpis()}
                           for p in places],
                "subregion": {"partners": [slugs[i] for i in everyone],
                              "kpis": whole.get(label) or kpis()},
                "flows": flows + _flows(subregion.slug, whole_flows, label),
            })
        returns = [{"id": r.id, "partner": slugs[r.partner_id], "kind": r.kind,
                    "period": r.period, "version": r.version}
                   for r in current_returns(uow, everyone, window.quarters, ("spend",))]
        groups = [(p.slug, p.name, members[p.id]) for p in places]
        groups.append((subregion.slug, subregion.name, everyone))
        view = {"subregion": place_dict(subregion), "from": window.first, "to": window.last,
                "by": window.by, "basis": window.basis, "periods": periods, "returns": returns,
                "completeness": completeness(uow, groups, window.quarters, now or utcnow(),
                                             rules, release=as_released)}
        if window.basis == "comparable":
            view["threshold"] = str(threshold)
        return view
