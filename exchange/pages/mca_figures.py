"""What the MCA dashboard shows, from mca_view and the published releases: KPIs per place and
for the sub-region, the flows of spend between places (a chart), and the releases the MCA pulls.
No Flask here; every figure is the view's own."""


from exchange.feeds import reading
from exchange.pages import formatting
from exchange.unit_of_work import UnitOfWork
from exchange.views.catalogue import demo_return_ids, lad_names
from exchange.views.common import parse_window
from exchange.views.mca import mca_view

PLACE_COLUMNS = (("total_spend", "money"), ("local_spend", "money"), ("local_share", "share"),
                 ("subregional_share", "share"), ("sme_share", "share"),
                 ("vcse_share", "share"), ("local_suppliers", "count"), ("coverage", "coverage"))


RELEASED = (("total_spend", "money"), ("local_spend", "money"), ("subregional_spend", "money"),
            ("sme_spend", "money"), ("vcse_spend", "money"), ("local_suppliers", "count"))
ROWS = 10_000


def mca_dashboard(uow: UnitOfWork, subregion: str, first: str, last: str, basis: str,
                  live: bool = True) -> dict:
    """Everything the page shows, for the range and basis asked for. ``live`` is for partners
    of every place; anyone else sees each place's figures only as the releases publish them,
    disclosure-controlled (exchange.views.audience)."""
    view = mca_view(uow, subregion, first, last, "total", basis, as_released=not live)
    if not live:
        view["periods"] = []
    [period] = view["periods"] or [None]
    releases = reading.list_releases(uow, subregion)
    lads = lad_names(uow)
    release_returns = [r["id"] for release in releases for r in release["returns"]]
    demo = demo_return_ids(uow, [r["id"] for r in view["returns"]] + release_returns)
    return {
        "view": view,
        "live": live,
        "places": place_rows(period) if live else [],
        "released": [] if live else released_rows(uow, subregion, releases, view),
        "lad_names": lads,
        "releases": [{**r, "demo": any(x["id"] in demo for x in r["returns"])}
                     for r in reversed(releases)],
        "returns": [{**r, "demo": r["id"] in demo} for r in view["returns"]],
        "demo": bool(demo),
    }


def place_rows(period: dict) -> list[dict]:
    """Each place's KPIs, then the sub-region's (each partner counted once)."""
    rows = [{"name": p["name"], "slug": p["slug"], "partners": p["partners"],
             "kpis": p["kpis"]} for p in period["places"]]
    rows.append({"name": "Whole sub-region (each partner once)", "slug": None,
                 "partners": period["subregion"]["partners"],
                 "kpis": period["subregion"]["kpis"]})
    return [{**row, "cells": [formatting.coverage(row["kpis"]) if kind == "coverage" else
                              formatting.figure(row["kpis"], key, kind)
                              for key, kind in PLACE_COLUMNS]} for row in rows]


def released_rows(uow: UnitOfWork, subregion: str, releases: list[dict], view: dict) -> list:
    """Each place's spend as the latest release of each quarter of the range publishes it:
    suppressed cells stay suppressed."""
    quarters = set(parse_window(view["from"], view["to"]).quarters)
    latest = {}
    for release in releases:
        if release["period"] in quarters:
            latest[release["period"]] = release
    rows = []
    for quarter, release in sorted(latest.items()):
        page = reading.dataset_page(uow, subregion, release["id"], "spend", None, ROWS)
        for row in page.rows:
            if row["partner_kind"] != "all":
                continue
            rows.append({"period": quarter, "version": release["version"], "place": row["place"],
                         "cells": [formatting.KINDS[kind](row[key]) if key not in
                                   row["suppressed"] else "suppressed"
                                   for key, kind in RELEASED]})
    return rows


