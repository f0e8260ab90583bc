"""Comparisons that are fair: a partial year is labelled partial and set beside the same
quarters of the year before, on the partners present in both; the default range is the latest
complete financial year; windows not yet open are "not due", not "missing"."""

from datetime import UTC, datetime

from exchange.context import get_uow
from exchange.services.cycle.windows import WindowRules, latest_complete_year
from exchange.views.comparison import compare_with_year_before
from exchange.views.partnership import partnership_view
from tests.integration.views_support import A, B, spend_csv, submit

RULES = WindowRules.from_config()
# 15 August 2022: 2022-23-Q1's windows closed on 31 July; Q2 ends on 30 September.
NOW = datetime(2022, 8, 15, 12, 0, tzinfo=UTC)


def a_year_and_a_quarter():
    """2021-22: rmbc and trft every quarter. 2022-23-Q1: rmbc again, and rnn for the first
    time; trft has not sent it."""
    for n, month in zip(range(1, 5), ("04", "07", "10", "01"), strict=True):
        year = "2022" if month == "01" else "2021"
        submit(spend_csv([(f"06/{month}/{year}", "1000.00", A)]), "rmbc",
               period=f"2021-22-Q{n}")
        submit(spend_csv([(f"06/{month}/{year}", "30000.00", B)]), "trft",
               period=f"2021-22-Q{n}")
    submit(spend_csv([("06/04/2022", "1500.00", A), ("07/04/2022", "500.00", B)]), "rmbc",
           period="2022-23-Q1")
    submit(spend_csv([("06/05/2022", "9000.00", B)]), "rnn", period="2022-23-Q1")


def test_a_partial_year_is_compared_with_the_same_quarters_on_the_partners_in_both(app):
    a_year_and_a_quarter()

    found = compare_with_year_before(get_uow(), "rotherham", "2022-23", "2022-23",
                                     "as_submitted", NOW, RULES)

    assert found["partial"] is True
    assert [(q["period"], q["state"]) for q in found["quarters"]] == [
        ("2022-23-Q1", "closed"), ("2022-23-Q2", "not_due"), ("2022-23-Q3", "not_due"),
        ("2022-23-Q4", "not_due")]
    assert found["compared"] == {"from": "2022-23-Q1", "to": "2022-23-Q1"}
    assert found["previous"] == {"from": "2021-22-Q1", "to": "2021-22-Q1"}
    assert found["partners"] == {"both": ["rmbc"], "only_now": ["rnn"],
                                 "only_before": ["trft"], "same": False}
    # rmbc alone: 2,000 (1,500 local) now against 1,000 (all local) in 2021-22-Q1; not the
    # 11,000 of everyone now against the 124,000 of the whole year before
    assert found["kpis"]["now"]["total_spend"] == "2000.00"
    assert found["kpis"]["now"]["local_share"] == 0.75
    assert found["kpis"]["before"]["total_spend"] == "1000.00"
    assert found["kpis"]["before"]["local_share"] == 1.0
    assert found["text"] == (
        "Partial: 2022-23-Q1 to 2022-23-Q4 is not complete (2022-23-Q1 closed; 2022-23-Q2, "
        "2022-23-Q3, 2022-23-Q4 not due). Compared: 2022-23-Q1 with the same quarters a year "
        "earlier (2021-22-Q1), on the 1 partner with spend returns in both (rmbc); left out "
        "of the comparison: rnn only now; trft only a year earlier.")


def test_a_complete_year_with_the_same_partners_is_compared_whole(app):
    a_year_and_a_quarter()

    found = compare_with_year_before(get_uow(), "rotherham", "2021-22", "2021-22",
                                     "as_submitted", NOW, RULES)

    assert found["partial"] is False
    # nothing in 2020-21: no partner in both, nothing to compare
    assert found["kpis"] is None
    assert "nothing to compare" in found["text"]


def test_the_default_range_is_the_latest_complete_year_with_returns(app):
    # 2021-22's last windows closed on 31 May 2022 (Q4's deadline: end of April, midnight)
    assert str(latest_complete_year(RULES, NOW)) == "2021-22"
    assert str(latest_complete_year(RULES, NOW, ("2021-22-Q1", "2022-23-Q1"))) == "2021-22"
    # returns that stop in 2019-20 open on 2019-20
    assert str(latest_complete_year(RULES, NOW, ("2018-19-Q1", "2019-20-Q4"))) == "2019-20"
    # only a year under way has returns: it is shown, partial
    assert str(latest_complete_year(RULES, NOW, ("2022-23-Q1", "2022-23-Q1"))) == "2022-23"
    # on 30 April 2022 2021-22-Q4 is still open: 2020-21 is the latest complete year
    april = datetime(2022, 4, 30, 12, 0, tzinfo=UTC)
    assert str(latest_complete_year(RULES, april)) == "2020-21"


def test_windows_not_yet_open_are_not_due_and_open_ones_are_open(app):
    a_year_and_a_quarter()

    view = partnership_view(get_uow(), "rotherham", "2022-23-Q1", "2022-23-Q3", now=NOW,
                            rules=RULES)

    status = {(s["partner"], s["period"], s["kind"]): s["status"]
              for s in view["submission_status"]}
    assert status[("rmbc", "2022-23-Q1", "spend")] == "accepted"
    assert status[("trft", "2022-23-Q1", "spend")] == "missing"
    assert status[("trft", "2022-23-Q2", "spend")] == "not_due"
    assert status[("trft", "2022-23-Q3", "spend")] == "not_due"
    july = partnership_view(get_uow(), "rotherham", "2022-23-Q1", now=datetime(
        2022, 7, 10, tzinfo=UTC), rules=RULES)
    assert {(s["partner"], s["status"]) for s in july["submission_status"]
            if s["kind"] == "spend" and s["partner"] in ("trft", "rmbc")} == {
        ("trft", "open"), ("rmbc", "accepted")}
