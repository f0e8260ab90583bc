"""The small pieces of the dashboards: a chart's data block, how figures are written, and the
range form's reading of the query string."""

import json

from werkzeug.datastructures import MultiDict

from exchange.pages import formatting
from exchange.pages.dashboard_charts import json_data_block
from exchange.pages.dashboard_range import canonical, read_range, year_earlier


def test_a_chart_data_block_cannot_close_its_script_element_whatever_the_names_say():
    spec = {"title": "</script><script>alert(1)</script>", "note": "<!-- & \u2028"}

    block = str(json_data_block(spec))

    assert "<" not in block and ">" not in block and "&" not in block and "\u2028" not in block
    assert json.loads(block) == spec


def test_figures_are_written_as_people_read_them():
    assert formatting.pounds("106000.00") == "£106,000"
    assert formatting.pounds("-25100.50") == "−£25,100.50"
    assert formatting.pounds(None) == "–"
    assert formatting.percent(0.6689) == "66.9%"
    assert formatting.percent(None) == "–"
    assert formatting.number("2470.00") == "2,470"


def test_a_change_says_which_way_and_by_how_much():
    assert formatting.change("share", 0.6689, 1.0) == {
        "direction": "down", "text": "down 33.1 percentage points"}
    assert formatting.change("money", "106000.00", "50000.00") == {
        "direction": "up", "text": "up £56,000"}
    assert formatting.change("count", 3, 3)["direction"] == "same"
    assert formatting.change("share", None, 0.5)["direction"] == "none"


def test_a_first_visit_shows_the_default_and_a_form_sent_is_checked_as_typed():
    assert read_range(MultiDict(), "2025-26").first == "2025-26"
    choice = read_range(MultiDict({"from": " 2025-26-q2 ", "to": ""}), "2025-26")
    assert choice.valid and canonical(choice) == ("2025-26-Q2", "2025-26-Q2")
    wrong = read_range(MultiDict({"from": "2025-26", "basis": "everything"}), "2025-26")
    assert set(wrong.errors) == {"basis"} and wrong.first == "2025-26"


def test_the_comparison_is_the_same_range_a_year_earlier():
    assert year_earlier("2025-26-Q2", "2025-26-Q4") == ("2024-25-Q2", "2024-25-Q4")
    assert year_earlier("2025-26", "2025-26") == ("2024-25", "2024-25")
    assert year_earlier("1900-01", "1900-01") is None
