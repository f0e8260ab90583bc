"""Figures are written one way everywhere: the formatting module, its Jinja filters, and no
template spelling money or counts by hand."""

import re
from datetime import datetime
from pathlib import Path

from exchange.charts.render import format_cell
from exchange.pages import formatting

TEMPLATES = Path(__file__).resolve().parents[2] / "exchange" / "templates"


def test_money_has_thousands_separators_and_pence_only_when_there_are_some():
    assert formatting.pounds("25000.00") == "£25,000"
    assert formatting.pounds("25000.5") == "£25,000.50"
    assert formatting.pounds("-12.00") == "−£12"
    assert formatting.whole_pounds("1234567.89") == "£1,234,568"


def test_an_unknown_figure_is_a_dash_never_zero():
    for spell in (formatting.pounds, formatting.percent, formatting.number):
        assert spell(None) == "–"


def test_words_agree_with_their_count():
    assert formatting.counted(1, "return") == "1 return"
    assert formatting.counted(2, "partner") == "2 partners"
    assert formatting.counted(0, "return") == "0 returns"
    assert formatting.counted(1204, "row") == "1,204 rows"
    assert formatting.counted(1, "return was", "returns were") == "1 return was"


def test_dates_are_written_out():
    assert formatting.day(datetime(2026, 12, 3, 14, 5)) == "3 December 2026"
    assert formatting.moment(datetime(2026, 12, 3, 14, 5)) == "3 December 2026 at 14:05 UTC"


def test_chart_tables_spell_figures_as_the_pages_do():
    assert format_cell("0.5123", "percent") == formatting.percent("0.5123") == "51.2%"
    assert format_cell("1234567.4", "money") == "£1,234,567"


def test_no_template_formats_money_or_counts_by_hand():
    by_hand = re.compile(r"£\{|\{:,|\"%s\"\|format|\.format\(")
    found = [str(path.relative_to(TEMPLATES)) for path in TEMPLATES.rglob("*.html")
             if by_hand.search(path.read_text(encoding="utf-8"))]
    assert found == []


def test_the_pages_register_the_filters(app):
    for name in ("money", "share", "number", "counted", "plural", "day", "moment"):
        assert name in app.jinja_env.filters
