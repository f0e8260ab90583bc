"""UK public-sector financial quarters and years."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exchange.periods import Period, period_range, quarter_of, year_of

DAYS = st.dates(min_value=date(1950, 4, 1), max_value=date(2090, 3, 31))


@pytest.mark.parametrize(("text", "start", "end"), [
    ("2021-22-Q1", date(2021, 4, 1), date(2021, 6, 30)),
    ("2021-22-Q2", date(2021, 7, 1), date(2021, 9, 30)),
    ("2021-22-Q3", date(2021, 10, 1), date(2021, 12, 31)),
    ("2021-22-Q4", date(2022, 1, 1), date(2022, 3, 31)),
    ("2021-22", date(2021, 4, 1), date(2022, 3, 31)),
    ("1999-00-Q4", date(2000, 1, 1), date(2000, 3, 31)),
])
def test_quarters_run_april_to_march(text, start, end):
    period = Period.parse(text)
    assert (period.start, period.end) == (start, end)
    assert str(period) == text


def test_lenient_spellings_give_the_canonical_period():
    assert str(Period.parse("2021/22 q3")) == "2021-22-Q3"
    assert str(Period.parse("2021-2022-Q3")) == "2021-22-Q3"
    assert str(Period.parse(" 2021-22 ")) == "2021-22"


@pytest.mark.parametrize(("text", "reason"), [
    ("2021-23-Q1", "must be consecutive.*like 2021-22"),
    ("2021-22-Q5", "no quarter Q5"),
    ("2021-22-Q0", "no quarter Q0"),
    ("Q3 2021", "is not a period"),
    ("2021", "is not a period"),
    ("", "is not a period"),
])
def test_wrong_periods_are_rejected_with_a_clear_message(text, reason):
    with pytest.raises(ValueError, match=reason):
        Period.parse(text)


def test_a_date_belongs_to_the_quarter_and_year_of_the_financial_calendar():
    assert quarter_of(date(2021, 11, 5)) == "2021-22-Q3"
    assert quarter_of(date(2022, 3, 31)) == "2021-22-Q4"
    assert quarter_of(date(2022, 4, 1)) == "2022-23-Q1"
    assert year_of(date(2022, 2, 1)) == "2021-22"


def test_neighbouring_periods_and_last_year():
    q3 = Period.parse("2021-22-Q3")
    assert str(q3.previous) == "2021-22-Q2"
    assert str(q3.next) == "2021-22-Q4"
    assert str(Period.parse("2021-22-Q4").next) == "2022-23-Q1"
    assert str(Period.parse("2021-22-Q1").previous) == "2020-21-Q4"
    assert str(q3.same_quarter_last_year) == "2020-21-Q3"
    assert str(Period.parse("2021-22").previous) == "2020-21"
    assert str(q3.financial_year) == "2021-22"


def test_a_year_holds_four_quarters_and_describes_itself_in_words():
    year = Period.parse("2021-22")
    assert [str(q) for q in year.quarters()] == [f"2021-22-Q{i}" for i in range(1, 5)]
    assert year.describe() == "April 2021 to March 2022"
    assert Period.parse("2021-22-Q3").describe() == "October to December 2021"
    assert Period.parse("2021-22-Q4").describe() == "January to March 2022"


def test_a_range_of_quarters_crosses_the_year_end():
    got = [str(p) for p in period_range("2021-22-Q3", "2022-23-Q2")]
    assert got == ["2021-22-Q3", "2021-22-Q4", "2022-23-Q1", "2022-23-Q2"]
    assert [str(p) for p in period_range("2019-20", "2021-22")] == ["2019-20", "2020-21", "2021-22"]


def test_a_range_must_run_forwards_and_not_mix_quarters_with_years():
    with pytest.raises(ValueError, match="comes after"):
        list(period_range("2022-23-Q1", "2021-22-Q1"))
    with pytest.raises(ValueError, match="both be quarters or both be years"):
        list(period_range("2021-22", "2022-23-Q1"))


def test_periods_sort_by_time_and_are_usable_as_keys():
    periods = [Period.parse(t) for t in ("2022-23-Q1", "2021-22-Q4", "2021-22-Q3")]
    assert [str(p) for p in sorted(periods)] == ["2021-22-Q3", "2021-22-Q4", "2022-23-Q1"]
    assert len({Period.parse("2021-22-Q3"), Period.parse("2021/22 Q3")}) == 1


@given(DAYS)
def test_every_day_lies_within_its_own_quarter_and_year(day):
    quarter = Period.parse(quarter_of(day))
    assert quarter.start <= day <= quarter.end
    assert day in quarter
    assert day in Period.parse(year_of(day))
    assert quarter.financial_year == Period.parse(year_of(day))


@given(DAYS)
def test_quarters_tile_time_without_gaps_or_overlaps(day):
    quarter = Period.of(day)
    assert quarter.next.start == quarter.end + timedelta(days=1)
    assert quarter.previous.end == quarter.start - timedelta(days=1)
    assert quarter.next.previous == quarter
    assert Period.parse(str(quarter)) == quarter


@given(DAYS)
def test_the_same_quarter_last_year_is_four_quarters_back(day):
    quarter = Period.of(day)
    assert quarter.same_quarter_last_year == quarter.previous.previous.previous.previous
    assert len(list(period_range(quarter.same_quarter_last_year, quarter))) == 5
