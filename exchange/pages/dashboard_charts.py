"""The dashboards' charts: one specification each from exchange.charts (the same functions the
PDF reports draw on the server), with the table alternative made from the same data. The page
puts each spec in a JSON data block that static/js/charts.js hands to vega-embed."""

import json

from markupsafe import Markup

from exchange.charts import specs
from exchange.charts.render import data_table


def embed(chart_id: str, spec: dict) -> dict:
    """What a template needs to show a chart: its id, its spec as JSON safe to put inside a
    <script type="application/json"> element, and its data table."""
    return {"id": chart_id, "title": spec.get("title", ""),
            "description": spec.get("description", ""),
            "json": json_data_block(spec), "table": data_table(spec)}


def json_data_block(value) -> Markup:
    """JSON that cannot end its <script> element early or open a comment in it."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)  # noqa: S704 (every character that could close the element is escaped)


def partnership_charts(figures: dict) -> list[dict]:
    charts = [
        embed("chart-local-share", specs.local_share_by_partner_and_quarter(
            figures["quarterly"])),
        embed("chart-local-share-trend", specs.local_share_trend(
            figures["quarterly"], figures["quarterly_before"])),
    ]
    if figures["commitments"]:
        charts.append(embed("chart-charter", specs.charter_scoreboard(figures["view"])))
    if any(m.get("social_value") is not None for m in figures["measures"]):
        charts.append(embed("chart-social-value",
                            specs.social_value_by_measure(figures["measures"])))
    return charts


def mca_charts(figures: dict, lad_names: dict[str, str]) -> list[dict]:
    return [embed("chart-flows", specs.spend_flows(figures["view"], lad_names))]
