"""One Vega-Lite specification per chart, built from view data by plain functions.

Each specification carries its own data inline and, under ``usermeta.table``, the columns of its
data-table alternative (:func:`exchange.charts.render.data_table`), so the picture and the table
always show the same figures. The browser embeds the same dict with vega-embed; the server draws it
to SVG for reports (:func:`exchange.charts.render.to_svg`)."""

import re
from decimal import Decimal

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
STATUSES = ("achieved", "in_progress", "not_started", "not_reported")
STATUS_LABELS = {"achieved": "Achieved", "in_progress": "In progress",
                 "not_started": "Not started", "not_reported": "Not reported"}
STATUS_COLOURS = ("#00703c", "#1d70b8", "#f47738", "#b1b4b6")
PARTNERSHIP = "All partners"
# Metric-compatible with Arial: text measured when the chart is drawn fits when it is printed.
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
_QUARTER = re.compile(r"(\d{4}-\d{2})-(Q[1-4])")
# Colours that stay distinguishable for the common kinds of colour blindness (Okabe-Ito).
# Text a board member reads at a glance, on the screen and in print (Vega's default is 10px).
READABLE = {"title": {"fontSize": 17, "anchor": "start"},
            "axis": {"labelFontSize": 13, "titleFontSize": 14, "labelOverlap": True},
            "legend": {"labelFontSize": 13, "titleFontSize": 14},
            "header": {"labelFontSize": 13, "titleFontSize": 14}}
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#000000"]


def column(field: str, title: str, fmt: str = "text") -> dict:
    """One column of a chart's table alternative: ``fmt`` is text, percent, money or number."""
    return {"field": field, "title": title, "format": fmt}


def chart(title: str, description: str, values: list[dict], columns: list[dict],
          **body) -> dict:
    """A Vega-Lite spec with inline data, a description for screen readers and the table's
    columns."""
    return {
        "$schema": SCHEMA,
        "title": title,
        "description": description,
        "data": {"values": values},
        **body,
        "config": {"font": FONT, "view": {"stroke": None},
                   "range": {"category": PALETTE}, **READABLE},
        "usermeta": {"table": columns},
    }


def share_scale(values: list[dict], field: str) -> dict:
    """A share axis from 0 to 100%, or further when a share is above 1 (credit notes can make a
    located part exceed a small total), so every bar stays inside its axis."""
    top = max([1.0] + [float(v[field]) for v in values if v.get(field) is not None])
    low = min([0.0] + [float(v[field]) for v in values if v.get(field) is not None])
    return {"domain": [low, top], "nice": False}


def _float(value) -> float | None:
    return None if value is None else float(Decimal(str(value)))


def _period_parts(label: str) -> tuple[str, str]:
    """'2025-26-Q3' -> ('2025-26', 'Q3'); any other label stands alone."""
    match = _QUARTER.fullmatch(label)
    return (match[1], match[2]) if match else (label, label)


def local_share_by_partner_and_quarter(view: dict) -> dict:
    """Grouped bars: each partner's share of spend that is local, per period of a partnership
    view (``by=quarter``), beside the partnership's combined share."""
    place = view["place"]["name"]
    values = []
    for period in view["periods"]:
        for entry in period["partners"]:
            values.append(_share_row(period["period"], entry["name"], entry["kpis"]))
        values.append(_share_row(period["period"], PARTNERSHIP, period["combined"]["kpis"]))
    return chart(
        f"Share of spend with {place} suppliers, by partner",
        f"Bar chart: for each period, each partner's share of its spend paid to suppliers in "
        f"{place}, and the share for all partners together.",
        values,
        [column("period", "Period"), column("partner", "Partner"),
         column("local_share", "Local share of located spend", "percent"),
         column("located_share", "Spend located", "percent"),
         column("note", "Note"),
         column("local_spend", "Local spend", "money"),
         column("total_spend", "Total spend", "money")],
        width={"step": 16}, height=260, mark=_mark("bar", values),
        encoding={
            "x": {"field": "period", "type": "ordinal", "title": "Period",
                  "axis": {"labelAngle": 0}},
            "xOffset": {"field": "partner", "type": "nominal"},
            "y": {"field": "local_share", "type": "quantitative", "title": "Local share",
                  "axis": {"format": ".0%"}, "scale": share_scale(values, "local_share")},
            "color": {"field": "partner", "type": "nominal", "title": "Partner",
                      "legend": {"orient": "bottom", "columns": 1, "labelLimit": 400}},
        },
    )


def _mark(kind: str, values: list[dict]) -> dict:
    """A share chart's mark. With every share withheld or missing there is nothing to draw: the
    empty mark is then hidden from assistive technology (axe: an <svg> img needs its text),
    and the description and the table say why."""
    mark = {"type": kind, "tooltip": True}
    if all(v.get("local_share") is None for v in values):
        mark["aria"] = False
    return mark


def _coverage(kpis: dict) -> dict:
    """The located share beside a local share, and why the share is missing when it is
    withheld (too little spend located): no bar is drawn then, and the table says why."""
    return {"located_share": (kpis.get("coverage") or {}).get("located_share"),
            "note": (kpis.get("withheld") or {}).get("local_share", "")}


def _share_row(period: str, partner: str, kpis: dict) -> dict:
    return {"period": period, "partner": partner, "local_share": kpis.get("local_share"),
            **_coverage(kpis),
            "local_spend": _float(kpis.get("local_spend")),
            "total_spend": _float(kpis.get("total_spend"))}


def local_share_trend(view: dict, previous: dict | None = None) -> dict:
    """Lines: the partnership's combined local share per quarter of ``view`` (``by=quarter``),
    with ``previous`` (the same quarters a year earlier) as a second line to compare."""
    place = view["place"]["name"]
    values = []
    for source in (previous, view):
        for period in (source or {}).get("periods", []):
            year, quarter = _period_parts(period["period"])
            kpis = period["combined"]["kpis"]
            values.append({"year": year, "quarter": quarter, "period": period["period"],
                           "local_share": kpis.get("local_share"), **_coverage(kpis),
                           "total_spend": _float(kpis.get("total_spend"))})
    return chart(
        f"Share of the partnership's spend with {place} suppliers, quarter by quarter",
        f"Line chart of the share of all partners' spend paid to suppliers in {place} in each "
        "quarter" + (", this year against the year before." if previous else "."),
        values,
        [column("period", "Period"),
         column("local_share", "Local share of located spend", "percent"),
         column("located_share", "Spend located", "percent"), column("note", "Note"),
         column("total_spend", "Total spend", "money")],
        width=420, height=240, mark={**_mark("line", values), "point": True},
        encoding={
            "x": {"field": "quarter", "type": "ordinal", "title": "Quarter",
                  "axis": {"labelAngle": 0}},
            "y": {"field": "local_share", "type": "quantitative", "title": "Local share",
                  "axis": {"format": ".0%"}, "scale": share_scale(values, "local_share")},
            "color": {"field": "year", "type": "nominal", "title": "Financial year",
                      "legend": {"orient": "bottom"}},
            "strokeDash": {"field": "year", "type": "nominal", "legend": None,
                           "sort": "descending"},
        },
    )


def spend_flows(mca_view: dict, names: dict[str, str] | None = None) -> dict:
    """Stacked bars: where each place's partners' spend went over the whole window of an MCA
    view — each district of the sub-region, outside it, or of unknown location."""
    subregion = mca_view["subregion"]
    labels = {"outside": f"Outside {subregion['name']}", "unknown": "Unknown location"}
    places = {}
    for period in mca_view["periods"]:
        for place in period["places"]:
            places[place["slug"]] = place["name"]
            labels.setdefault(place["code"], place["name"])
    labels.update(names or {})
    totals: dict[tuple[str, str], Decimal] = {}
    for period in mca_view["periods"]:
        for flow in period["flows"]:
            if flow["from"] not in places:
                continue
            key = (places[flow["from"]], labels.get(flow["to"], flow["to"]))
            totals[key] = totals.get(key, Decimal(0)) + Decimal(flow["amount"])
    values = [{"from": source, "to": dest, "amount": float(amount)}
              for (source, dest), amount in totals.items()]
    return chart(
        f"Where each place's anchor spend went, {mca_view['from']} to {mca_view['to']}",
        f"Stacked bar chart: for each place partnership of {subregion['name']}, its partners' "
        "spend by where the supplier is.",
        values,
        [column("from", "From the partners of"), column("to", "To suppliers in"),
         column("amount", "Spend", "money")],
        width=360, height={"step": 28}, mark={"type": "bar", "tooltip": True},
        encoding={
            "y": {"field": "from", "type": "nominal", "title": "Partners of"},
            "x": {"field": "amount", "type": "quantitative", "title": "Spend (£)",
                  "axis": {"format": "~s"}},
            "color": {"field": "to", "type": "nominal", "title": "Supplier in",
                      "legend": {"orient": "bottom", "columns": 1, "labelLimit": 400}},
        },
    )


def charter_scoreboard(view: dict) -> dict:
    """A grid: each charter commitment x partner, coloured by status."""
    names = {e["slug"]: e["name"] for p in view["periods"][:1] for e in p["partners"]}
    values = []
    for commitment in view["commitments"]:
        for entry in commitment["partners"]:
            values.append({"commitment": commitment["title"],
                           "partner": names.get(entry["partner"], entry["partner"]),
                           "status": STATUS_LABELS.get(entry["status"], entry["status"]),
                           "target": _float(entry["target"]), "actual": _float(entry["actual"]),
                           "unit": entry["unit"] or ""})
    return chart(
        "Social Value Charter: progress of each partner on each commitment",
        "Grid of the charter's commitments against the partners, each cell showing whether the "
        "commitment is achieved, in progress, not started or not reported.",
        values,
        [column("commitment", "Commitment"), column("partner", "Partner"),
         column("status", "Status"), column("target", "Target", "number"),
         column("actual", "Actual", "number"), column("unit", "Unit")],
        width={"step": 36}, height={"step": 22}, mark={"type": "rect", "tooltip": True,
                                                         "stroke": "white"},
        encoding={
            "x": {"field": "partner", "type": "nominal", "title": "Partner",
                  "axis": {"labelAngle": -40, "labelLimit": 180}},
            "y": {"field": "commitment", "type": "nominal", "title": None,
                  "axis": {"labelLimit": 320}},
            "color": {"field": "status", "type": "nominal", "title": "Status",
                      "scale": {"domain": [STATUS_LABELS[s] for s in STATUSES],
                                "range": list(STATUS_COLOURS)},
                      "legend": {"orient": "bottom"}},
        },
    )


def social_value_by_measure(measures: list[dict]) -> dict:
    """Bars: social value in pounds of each measure that has a proxy value."""
    values = [{"measure": m["name"] or m["code"], "quantity": _float(m["value"]),
               "unit": m["unit"] or "", "proxy_value": _float(m["proxy_value"]),
               "social_value": _float(m["social_value"])}
              for m in measures if m.get("social_value") is not None]
    return chart(
        "Social value in pounds, by measure",
        "Bar chart of the social value of each outcome measure: the quantity reported times the "
        "proxy value per unit.",
        values,
        [column("measure", "Measure"), column("quantity", "Quantity", "number"),
         column("unit", "Unit"), column("proxy_value", "Proxy value per unit", "money"),
         column("social_value", "Social value", "money")],
        width=360, height={"step": 24}, mark={"type": "bar", "tooltip": True},
        encoding={
            "y": {"field": "measure", "type": "nominal", "title": None, "sort": "-x",
                  "axis": {"labelLimit": 320}},
            "x": {"field": "social_value", "type": "quantitative", "title": "Social value (£)",
                  "axis": {"format": "~s"}},
        },
    )
