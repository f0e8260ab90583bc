"""A report's figures as HTML (one body, for the page and for print) and as PDF (WeasyPrint).

Rendering runs without Flask, so the scheduler can produce reports: the templates are read from
exchange/templates with a Jinja environment of their own, and the page embeds the same body."""

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from exchange import charts
from exchange.pages import formatting

PACKAGE = Path(__file__).resolve().parents[2]  # exchange/
TEMPLATES = PACKAGE / "templates"
STATIC = PACKAGE / "static"
BODY = "pages/reports/_body.html"
DOCUMENT = "pages/reports/print.html"
KIND_NAMES = {"spend": "Spend", "suppliers": "Suppliers", "commitments": "Charter commitments",
              "measures": "Outcome measures", "contributions": "Contributions"}
STATUS_NAMES = {"achieved": "Achieved", "in_progress": "In progress",
                "not_started": "Not started", "not_reported": "Not reported",
                "not_due": "Not due", "open": "Open", "submitted": "Submitted",
                "approved": "Approved", "late": "Late", "missing": "Missing"}


def points(value) -> str:
    """A change in percentage points: +1.2 points."""
    return "–" if value is None else f"{value:+.1f} points"


def pounds_change(value) -> str:
    if value is None:
        return "–"
    amount = Decimal(str(value)).quantize(Decimal(1), ROUND_HALF_UP)
    return f"+£{amount:,}" if amount >= 0 else f"-£{-amount:,}"


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(formatting.FILTERS)
    env.filters.update(money=formatting.whole_pounds, points=points,
                       pounds_change=pounds_change,
                       kind_name=lambda k: KIND_NAMES.get(k, k),
                       status_name=lambda s: STATUS_NAMES.get(s, s))
    return env


def report_charts(report: dict) -> dict[str, dict]:
    """The report's charts, each with its SVG drawn on the server and its table alternative."""
    views = report["views"]
    specs = {
        "trend": charts.local_share_trend(views["quarters"], views["previous_quarters"]),
        "by_partner": charts.local_share_by_partner_and_quarter(views["quarters"]),
        "scoreboard": charts.charter_scoreboard(views["total"]),
    }
    if any(m["social_value"] is not None for m in report["measures"]["rows"]):
        specs["social_value"] = charts.social_value_by_measure(report["measures"]["rows"])
    # Vega escapes every text it draws, and the specs load no data from anywhere: the SVG is
    # markup made by the hub from its own figures.
    return {name: {"id": f"chart-{name.replace('_', '-')}", "title": spec["title"],
                   "description": spec["description"],
                   "svg": Markup(decorative(charts.to_svg(untitled(spec)))),  # noqa: S704
                   "table": charts.data_table(spec)}
            for name, spec in specs.items()}


def decorative(svg: str) -> str:
    """The SVG hidden from assistive technology: the figure around it is role="img" with a label,
    and the table beside it carries the figures, so screen readers do not walk Vega's marks."""
    return svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)


def untitled(spec: dict) -> dict:
    """The spec without its title: in a report the figure's caption carries it."""
    return {key: value for key, value in spec.items() if key != "title"}


def render_body(report: dict) -> Markup:
    """The report's content: the same markup in the page and in the PDF."""
    html = environment().get_template(BODY).render(report=report, charts=report_charts(report))
    return Markup(html)  # noqa: S704 (rendered by an autoescaping environment)


def render_document(report: dict, body: Markup | None = None) -> str:
    """A standalone HTML document of the report, for print: the PDF is made from exactly this."""
    return environment().get_template(DOCUMENT).render(
        report=report, body=body if body is not None else render_body(report))


def render_pdf(document: str) -> bytes:
    """The PDF of a document from :func:`render_document`. Its stylesheet is read from disk
    (exchange/static/reports.css); nothing is fetched from the network."""
    import weasyprint

    return weasyprint.HTML(string=document, base_url=STATIC.as_uri() + "/").write_pdf()
