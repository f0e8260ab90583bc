"""Charts: one Vega-Lite specification per chart, drawn to SVG on the server (reports) or by
vega-embed in the browser (pages), each with a data-table alternative."""

from exchange.charts.render import data_table, format_cell, to_svg
from exchange.charts.specs import (
    charter_scoreboard,
    local_share_by_partner_and_quarter,
    local_share_trend,
    social_value_by_measure,
    spend_flows,
)

__all__ = [
    "charter_scoreboard",
    "data_table",
    "format_cell",
    "local_share_by_partner_and_quarter",
    "local_share_trend",
    "social_value_by_measure",
    "spend_flows",
    "to_svg",
]
