"""What the partnership dashboard shows, assembled from partnership_view and nothing else: the
range's KPIs beside the same range a year earlier, local share by partner and quarter, the
charter, measures, contributions, who has submitted what, and the returns behind it all.
No Flask here; every figure is the view's own."""

from datetime import datetime

from exchange.pages import formatting
from exchange.pages.dashboard_range import year_earlier
from exchange.services.cycle.windows import WindowRules
from exchange.unit_of_work import UnitOfWork
from exchange.views.catalogue import demo_return_ids
from exchange.views.comparison import compare_with_year_before
from exchange.views.partnership import partnership_view

# (key in the view's kpis, label, how it is written)
KPIS = (
    ("total_spend", "Total spend", "money"),
    ("local_spend", "Spent with local suppliers", "money"),
    ("local_share", "Local share of located spend", "share"),
    ("subregional_share", "Share of located spend in the sub-region", "share"),
    ("sme_share", "Share spent with SMEs", "share"),
    ("vcse_share", "Share spent with VCSE organisations", "share"),
    ("local_suppliers", "Local suppliers", "count"),
    ("unknown_location_spend", "Spend of unknown location", "money"),
)
PARTNER_COLUMNS = ("total_spend", "local_share", "sme_share", "vcse_share", "suppliers",
                   "coverage")


def partnership_dashboard(uow: UnitOfWork, place: str, first: str, last: str, basis: str,
                          viewer: str | None, at: datetime, rules: WindowRules) -> dict:
    """Everything the page shows at ``at``; ``viewer`` is the signed-in person's partner slug,
    whose own returns link to their history."""
    view = partnership_view(uow, place, first, last, "total", basis, now=at, rules=rules)
    quarterly = partnership_view(uow, place, first, last, "quarter", basis, now=at, rules=rules)
    earlier = year_earlier(view["from"], view["to"])
    comparison = compare_with_year_before(uow, place, first, last, basis, at, rules)
    compare = earlier is not None and comparison["kpis"] is not None
    [now] = view["periods"]
    names = {p["slug"]: p["name"] for p in now["partners"]}
    demo = demo_return_ids(uow, _return_ids(view))
    return {
        "view": view,
        "earlier": {"from": earlier[0], "to": earlier[1]} if earlier else None,
        "comparison": {**comparison, "restricted": compare and (
            comparison["partial"] or not comparison["partners"]["same"])},
        "kpis": kpi_cards(now["combined"]["kpis"], comparison["kpis"] if compare else None),
        "partners": partner_rows(now),
        "quarterly": quarterly,
        "quarterly_before": partnership_view(uow, place, *earlier, "quarter", basis, now=at,
                                             rules=rules) if compare else None,
        "partner_names": names,
        "commitments": view["commitments"],
        "measures": view["measures"],
        "contributions": view["contributions"],
        "status": status_rows(view["submission_status"], names),
        "lineage": lineage_rows(now, viewer, demo),
        "demo": bool(demo),
    }


def kpi_cards(now: dict, compared: dict | None) -> list[dict]:
    """Each headline KPI with its value, and the like-for-like comparison (``compared``: the
    same quarters and partners now and a year earlier) with the change, written out."""
    cards = []
    for key, label, kind in KPIS:
        then = compared["before"].get(key) if compared else None
        same = compared["now"].get(key) if compared else None
        cards.append({"key": key, "label": label, "value": now[key],
                      "text": formatting.figure(now, key, kind),
                      "compared": formatting.figure(compared["now"], key, kind)
                      if compared else None,
                      "before": formatting.figure(compared["before"], key, kind)
                      if compared else None,
                      "change": formatting.change(kind, same if compared else now[key], then)})
    located = now["coverage"]["located_share"]
    cards.append({"key": "located_share", "label": "Spend located", "value": located,
                  "text": formatting.coverage(now),
                  "compared": formatting.coverage(compared["now"]) if compared else None,
                  "before": formatting.coverage(compared["before"]) if compared else None,
                  "change": formatting.change(
                      "share", compared["now"]["coverage"]["located_share"] if compared
                      else located, compared["before"]["coverage"]["located_share"]
                      if compared else None)})
    return cards


def partner_rows(period: dict) -> list[dict]:
    """Each partner's KPIs, then the partnership's, for the table beside the cards."""
    rows = [{"slug": p["slug"], "name": p["name"], "kpis": p["kpis"]} for p in period["partners"]]
    rows.append({"slug": None, "name": "Partnership (each supplier once)",
                 "kpis": period["combined"]["kpis"]})
    return [{**row, "cells": _cells(row["kpis"])} for row in rows]


def _cells(kpis: dict) -> list[str]:
    kinds = {"total_spend": "money", "suppliers": "count"}
    return [formatting.coverage(kpis) if key == "coverage" else
            formatting.figure(kpis, key, kinds.get(key, "share")) for key in PARTNER_COLUMNS]


def status_rows(status: list[dict], names: dict[str, str]) -> list[dict]:
    """One row per partner and kind of return, one cell per quarter."""
    quarters = list(dict.fromkeys(s["period"] for s in status))
    rows: dict[tuple[str, str], dict] = {}
    for entry in status:
        row = rows.setdefault((entry["partner"], entry["kind"]), {
            "partner": names.get(entry["partner"], entry["partner"]), "kind": entry["kind"],
            "cells": {}})
        row["cells"][entry["period"]] = entry
    return [{**row, "cells": [row["cells"][q] for q in quarters]} for row in rows.values()]


def lineage_rows(period: dict, viewer: str | None, demo: set[int]) -> list[dict]:
    """Each partner's returns behind the figures; the viewer's own are theirs to open."""
    return [{"slug": p["slug"], "name": p["name"], "own": p["slug"] == viewer,
             "returns": [{**r, "demo": r["id"] in demo} for r in p["returns"]]}
            for p in period["partners"]]


def _return_ids(view: dict) -> list[int]:
    ids = {r["id"] for period in view["periods"] for p in period["partners"]
           for r in p["returns"]}
    ids |= {s["return_id"] for s in view["submission_status"] if s["return_id"]}
    return sorted(ids)
