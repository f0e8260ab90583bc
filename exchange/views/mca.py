"""The MCA view: the same spend KPIs per place and for the whole sub-region (each partner once),
and the flow of spend from each place's partners to each LAD of the sub-region, outside it, and
of unknown location."""

from exchange.unit_of_work import UnitOfWork
from exchange.views.common import current_returns, parse_window
from exchange.views.partnership import find_place, place_dict, subregion_places
from exchange.views.spend import flow_table, kpis, spend_table, threshold_for


def _flows(source: str, table: dict, label: str) -> list[dict]:
    return [{"from": source, "to": where, **cell} for where, cell in table[label].items()]


def mca_view(uow: UnitOfWork, ref: str, first: str | None, last: str | None = None,
             by: str | None = None, basis: str | None = None) -> dict:
    """KPIs per place and for the sub-region, and flows, for each period of the window."""
    window = parse_window(first, last, by, basis)
    with uow:
        subregion = find_place(uow, ref, "subregion")
        region = subregion.lad_codes
        places = subregion_places(uow, subregion)
        slugs = {x.id: x.slug for x in uow.partners.all()}
        members = {p.id: [x.id for x in uow.partners.for_place(p.id)] for p in places}
        direct = {x.id for x in uow.partners.for_place(subregion.id)}
        everyone = sorted({i for ids in members.values() for i in ids} | direct,
                          key=slugs.__getitem__)
        threshold = threshold_for(uow, everyone, window.basis)
        buckets = window.buckets
        place_kpis = {p.id: spend_table(uow, members[p.id], buckets, p.lad_codes, region,
                                        threshold, by_partner=False) for p in places}
        place_flows = {p.id: flow_table(uow, members[p.id], buckets, region, threshold)
                       for p in places}
        whole = spend_table(uow, everyone, buckets, region, region, threshold, by_partner=False)
        whole_flows = flow_table(uow, everyone, buckets, region, threshold)
        periods = []
        for label in window.labels:
            flows = [f for p in places for f in _flows(p.slug, place_flows[p.id], label)]
            periods.append({
                "period": label,
                "places": [{**place_dict(p), "partners": [slugs[i] for i in members[p.id]],
                            "kpis": place_kpis[p.id].get((label, None)) or kpis()}
                           for p in places],
                "subregion": {"partners": [slugs[i] for i in everyone],
                              "kpis": whole.get((label, None)) or kpis()},
                "flows": flows + _flows(subregion.slug, whole_flows, label),
            })
        returns = [{"id": r.id, "partner": slugs[r.partner_id], "kind": r.kind,
                    "period": r.period, "version": r.version}
                   for r in current_returns(uow, everyone, window.quarters, ("spend",))]
        view = {"subregion": place_dict(subregion), "from": window.first, "to": window.last,
                "by": window.by, "basis": window.basis, "periods": periods, "returns": returns}
        if window.basis == "comparable":
            view["threshold"] = str(threshold)
        return view
