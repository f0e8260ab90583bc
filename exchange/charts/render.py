"""Drawing a chart specification on the server, and its data-table alternative."""

import vl_convert

from exchange.pages import formatting

# The Vega-Lite vl-convert draws with: the one the browser loads (package.json pins it), so a
# chart is one specification drawn by one library, on the page and in the PDF.
VEGA_LITE = "5.21"


def to_svg(spec: dict) -> str:
    """The chart as an SVG document, drawn without a browser. Specs carry their data inline:
    loading data from any URL is refused."""
    return vl_convert.vegalite_to_svg(spec, vl_version=VEGA_LITE, allowed_base_urls=[],
                                      format_locale="en-GB")


def format_cell(value, fmt: str) -> str:
    """A table cell as a reader expects it: 51.2%, £1,234, 1,234.5; a dash when there is none
    (exchange.pages.formatting, as on every page)."""
    spell = {"percent": formatting.percent, "money": formatting.whole_pounds,
             "number": formatting.number}.get(fmt)
    if value is None or value == "":
        return formatting.NONE
    return spell(value) if spell else str(value)


def data_table(spec: dict) -> dict:
    """The table alternative of a chart: ``{"caption", "headers", "rows"}``, rows of formatted
    strings, from exactly the data the chart draws."""
    columns = spec.get("usermeta", {}).get("table") or [
        {"field": name, "title": name, "format": "text"}
        for name in (spec["data"]["values"][0] if spec["data"]["values"] else {})]
    rows = [[format_cell(row.get(c["field"]), c["format"]) for c in columns]
            for row in spec["data"]["values"]]
    return {"caption": spec.get("title", ""), "headers": [c["title"] for c in columns],
            "numeric": [c["format"] != "text" for c in columns], "rows": rows}
