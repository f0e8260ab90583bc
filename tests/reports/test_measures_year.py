"""A year of outcome measures worked by hand: a stock (people employed at a quarter's end) is the
average of its quarters, never their sum; a flow (apprenticeship starts) is summed; social value
follows what the proxy value is per; the report's headline is the sum worked by hand."""

from datetime import UTC, datetime

from sqlalchemy import update

from exchange.context import get_uow
from exchange.models import MeasureDefinition
from exchange.services.reports.generation import build_report
from exchange.views.partnership import partnership_view
from tests.integration.views_support import submit

YEAR = "2021-22"
QUARTERS = [f"{YEAR}-Q{n}" for n in range(1, 5)]
NOW = datetime(2022, 6, 20, 9, 0, tzinfo=UTC)
LOCAL_EMPLOYEE_YEAR, START = 32424, 2414  # config/measures.toml, £ per person-year and per start


def measures(text: str, partner: str, period: str):
    return submit("Measure,Value,Unit\n" + text, partner, "measures", period)


def a_year_of_rmbc():
    for quarter in QUARTERS:
        measures("local_employees,100,people\napprenticeship_starts,5,starts\n", "rmbc", quarter)


def by_code(view: dict) -> dict:
    return {m["code"]: m for m in view["measures"]}


def test_100_local_employees_each_quarter_are_100_for_the_year_and_valued_once(app):
    a_year_of_rmbc()

    found = by_code(partnership_view(get_uow(), "rotherham", YEAR))

    employees = found["local_employees"]
    assert (employees["nature"], employees["year_figure"]) == ("stock", "average")
    assert employees["value"] == "100.00"
    assert employees["by_quarter"] == {q: "100.00" for q in QUARTERS}
    assert employees["valued_units"] == "100.00"  # person-years
    assert employees["social_value"] == f"{100 * LOCAL_EMPLOYEE_YEAR}.00"  # £3,242,400.00
    assert "average of the quarter-end counts" in employees["how"]
    assert "£3,242,400.00 = 100 person-years" in employees["how"]


def test_four_quarters_of_5_apprenticeship_starts_are_20_starts(app):
    a_year_of_rmbc()

    starts = by_code(partnership_view(get_uow(), "rotherham", YEAR))["apprenticeship_starts"]

    assert (starts["nature"], starts["value"]) == ("flow", "20.00")
    assert starts["social_value"] == f"{20 * START}.00"  # £48,280.00
    assert starts["how"] == ("What happened in each quarter: 20 starts is the sum of the 4 "
                             "quarters reported. Social value £48,280.00 = 20 × £2,414.00 per "
                             "start.")


def test_a_stock_is_averaged_per_partner_so_a_missing_quarter_is_not_a_count_of_zero(app):
    a_year_of_rmbc()
    # trft: 40 in Q1 and 60 in Q2, nothing after: 50 on average, 25 person-years reported
    measures("local_employees,40,people\n", "trft", QUARTERS[0])
    measures("local_employees,25,people\nlocal_employees,35,people\n", "trft", QUARTERS[1])

    employees = by_code(partnership_view(get_uow(), "rotherham", YEAR))["local_employees"]

    assert employees["value"] == "150.00"  # 100 + 50
    assert employees["by_quarter"][QUARTERS[1]] == "160.00"
    assert employees["valued_units"] == "125.00"  # (4 x 100 + 40 + 60) / 4
    assert employees["social_value"] == f"{125 * LOCAL_EMPLOYEE_YEAR}.00"


def test_a_stock_configured_as_latest_takes_each_partners_latest_quarter(app):
    for quarter, count in zip(QUARTERS, (300, 320, 340, 360), strict=True):
        measures(f"living_wage_employees,{count},people\n", "rmbc", quarter)
    measures("living_wage_employees,50,people\n", "trft", QUARTERS[1])
    with get_uow() as uow:
        uow.session.execute(update(MeasureDefinition)
                            .where(MeasureDefinition.code == "living_wage_employees")
                            .values(year_figure="latest"))
        uow.commit()

    living = by_code(partnership_view(get_uow(), "rotherham", YEAR))["living_wage_employees"]

    assert living["value"] == "410.00"  # rmbc's Q4 360 + trft's Q2 50
    assert living["social_value"] is None  # no proxy value configured
    assert "the latest quarter-end count" in living["how"]


def test_the_reports_social_value_headline_is_the_sum_worked_by_hand(app):
    a_year_of_rmbc()
    measures("volunteering_hours,30,hours\n", "trft", QUARTERS[2])

    report = build_report(get_uow(), "rotherham", "annual", YEAR, NOW)

    # 100 person-years x £32,424 + 20 starts x £2,414 + 30 hours x £17
    assert report["measures"]["social_value_total"] == "3291190.00"
    assert 100 * 32424 + 20 * 2414 + 30 * 17 == 3291190
    rows = {m["code"]: m["value"] for m in report["measures"]["rows"]}
    assert rows == {"local_employees": "100.00", "apprenticeship_starts": "20.00",
                    "volunteering_hours": "30.00"}
