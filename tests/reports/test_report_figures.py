"""A report's figures are the partnership view's for the same periods: built from returns
submitted through the real submission service (tests/integration/views_support.py)."""

from datetime import UTC, datetime

import pytest

from exchange.context import get_uow
from exchange.errors import BadRequest, NotFound
from exchange.services.reports.generation import build_report
from exchange.views.partnership import partnership_view
from tests.reports.conftest import BEFORE_Q1, PREVIOUS, Q1, Q2, YEAR, submit_demo

NOW = datetime(2022, 5, 20, 9, 0, tzinfo=UTC)


def test_the_headline_and_every_partner_equal_the_partnership_view_for_the_same_periods(world):
    report = build_report(get_uow(), "rotherham", "mid-year", YEAR, NOW)

    view = partnership_view(get_uow(), "rotherham", Q1, Q2)
    [period] = view["periods"]
    assert (report["from"], report["to"]) == (Q1, Q2)
    assert report["headline"]["current"] == period["combined"]["kpis"]
    # 106200 (views_support's Q1 + Q2) + syp's 800 in Q2
    assert report["headline"]["current"]["total_spend"] == "107000.00"
    assert {p["slug"]: p["kpis"] for p in report["partners"]} == {
        p["slug"]: p["kpis"] for p in period["partners"]}
    assert report["scoreboard"] == view["commitments"]
    assert report["measures"]["rows"][0]["social_value"] == view["measures"][0]["social_value"]
    assert report["contributions"]["rows"] == view["contributions"]


def test_the_trend_is_the_view_by_quarter_and_the_comparison_is_the_year_before(world):
    report = build_report(get_uow(), "rotherham", "annual", YEAR, NOW)

    by_quarter = partnership_view(get_uow(), "rotherham", Q1, f"{YEAR}-Q4", by="quarter")
    before = partnership_view(get_uow(), "rotherham", BEFORE_Q1, f"{PREVIOUS}-Q4")
    assert (report["from"], report["to"]) == (Q1, f"{YEAR}-Q4")
    assert [p["combined"]["kpis"] for p in report["views"]["quarters"]["periods"]] == [
        p["combined"]["kpis"] for p in by_quarter["periods"]]
    assert [p["period"] for p in report["views"]["quarters"]["periods"]] == [
        Q1, Q2, f"{YEAR}-Q3", f"{YEAR}-Q4"]
    assert report["headline"]["previous"] == before["periods"][0]["combined"]["kpis"]
    # 2020-21: rmbc's 4000 (A, local) + 6000 (B, Sheffield): local share 40%
    assert report["headline"]["previous"]["local_share"] == 0.4
    rmbc = next(p for p in report["partners"] if p["slug"] == "rmbc")
    # rmbc 2021-22: local 30900 + 200 of its 60600 - 1000 unknown = 59600 located = .52181
    # against .40: +12.2 points
    assert rmbc["kpis"]["local_share"] == 0.5218
    assert rmbc["change"]["local_share_points"] == 12.2


def test_each_aim_of_the_policy_is_evidenced_by_its_commitments_and_measures_or_says_no_data(
        world):
    report = build_report(get_uow(), "rotherham", "mid-year", YEAR, NOW)

    aims = {a["code"]: a for a in report["aims"]}
    assert list(aims) == ["living_wage", "local_spend", "social_value_contracts", "co_design"]
    living = aims["living_wage"]
    assert [c["code"] for c in living["commitments"]] == ["living_wage", "local_recruitment"]
    assert living["commitments"][0]["achieved"] == 1
    assert [m["code"] for m in living["measures"]] == ["living_wage_employees"]
    assert living["has_data"]
    local = aims["local_spend"]
    assert local["kpis"]["local_share"] == report["headline"]["current"]["local_share"]
    assert "went to suppliers in Rotherham" in local["summary"]
    contracts = aims["social_value_contracts"]
    assert {m["code"] for m in contracts["measures"]} == {"apprenticeship_starts",
                                                          "volunteering_hours"}
    assert contracts["commitments"][0]["code"] == "apprenticeships"
    assert contracts["commitments"][0]["not_started"] == 1
    assert not aims["co_design"]["has_data"]
    assert aims["co_design"]["summary"].startswith("No data")


def test_social_value_is_in_pounds_with_the_proxy_values_used(world):
    report = build_report(get_uow(), "rotherham", "mid-year", YEAR, NOW)

    measures = report["measures"]
    # 4 starts x £2,414 + 120 hours x £17 = 9656 + 2040; living wage employees have no proxy
    assert measures["social_value_total"] == "11696.00"
    assert measures["any_indicative"] is True
    proxies = {p["code"]: p["proxy_value"] for p in measures["proxies"]}
    assert proxies["apprenticeship_starts"] == "2414.00"
    assert "living_wage_employees" not in proxies
    assert report["contributions"]["count"] == 2
    assert report["contributions"]["total_value"] == "100.00"


def test_data_quality_shows_unknown_location_late_and_missing_returns_and_warnings(world):
    report = build_report(get_uow(), "rotherham", "mid-year", YEAR, NOW)

    quality = report["data_quality"]
    # rmbc's redacted 300 and unlocated 700 in Q1
    assert quality["unknown_location"]["amount"] == "1000.00"
    # of the spend counted in shares (positive nets): Q1 131000 (trft's net credit to B left
    # out, see tests/integration/test_views_partnership.py) + Q2 200 + 800 = 132000
    assert quality["unknown_location"]["share"] == round(1000 / 132000, 4)
    missing = {(r["partner"], r["kind"], r["period"]) for r in quality["submissions"]["missing"]}
    assert ("rnn", "spend", Q1) in missing and ("trft", "spend", Q2) in missing
    assert ("rmbc", "spend", Q1) not in missing
    # every return here reached the hub in 2026, long after its deadline
    late = {(r["partner"], r["kind"], r["period"]) for r in quality["submissions"]["late"]}
    assert ("rmbc", "spend", Q1) in late
    warnings = quality["warnings"]
    assert warnings["total"] >= 1
    # syp's line dated outside its quarter, and rmbc's redacted payment
    assert {r["id"] for r in warnings["by_return"]} == {world["syp_q2"], world["rmbc_q1"]}
    assert {(w["partner"], w["code"]) for w in warnings["listed"]} == {
        ("syp", "payment_date.outside_period"), ("rmbc", "supplier_name.redacted")}


def test_the_lineage_names_every_return_counted_with_its_version(world):
    report = build_report(get_uow(), "rotherham", "mid-year", YEAR, NOW)

    counted = {(r["id"], r["version"]) for r in report["lineage"]["returns"]}
    assert (world["rmbc_q1"], 2) in counted and (world["rmbc_q1_v1"], 1) not in counted
    assert {r["id"] for r in report["lineage"]["previous"]} == {world["before_q1"]}
    assert report["is_demo"] is False


def test_a_report_from_demo_returns_is_marked_as_demo(app):
    submit_demo("Payment date,Amount (GBP),Supplier name\n06/04/2021,10.00,Someone Ltd\n",
                "rmbc", "spend", Q1)

    report = build_report(get_uow(), "rotherham", "annual", YEAR, NOW)

    assert report["is_demo"] is True
    assert report["lineage"]["returns"][0]["is_demo"] is True


@pytest.mark.parametrize("kind, year", [("quarterly", YEAR), ("annual", "2021"),
                                        ("annual", "2021-22-Q1"), ("mid-year", "2021-23"),
                                        ("annual", "1900-01"), ("annual", "2021/22")])
def test_a_bad_kind_or_year_is_a_bad_request_saying_why(app, kind, year):
    with pytest.raises(BadRequest) as bad:
        build_report(get_uow(), "rotherham", kind, year, NOW)
    assert bad.value.message


def test_an_unknown_place_is_not_found(app):
    with pytest.raises(NotFound):
        build_report(get_uow(), "atlantis", "annual", YEAR, NOW)
