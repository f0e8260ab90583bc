"""UK public-sector financial years (2021-22) and quarters (2021-22-Q3, Q1 = April to June)."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache, total_ordering

# Lenient on separators and case; str(Period) is always the canonical '2021-22-Q3'.
_PERIOD = re.compile(r"(\d{4})\s*[-/]\s*(\d{2}|\d{4})(?:\s*[-\s]?\s*Q(\d+))?", re.IGNORECASE)


@total_ordering
@dataclass(frozen=True)
class Period:
    """A financial year (quarter 0) or one quarter of it; `year` is the April it starts in."""

    year: int
    quarter: int = 0

    def __post_init__(self):
        if not 1900 <= self.year <= 2098:
            raise ValueError(f"the financial year starting in {self.year} is not plausible")
        if not 0 <= self.quarter <= 4:
            raise ValueError(f"there is no quarter {self.quarter}: quarters are Q1 to Q4")

    @classmethod
    def parse(cls, text: "str | Period") -> "Period":
        """A period from '2021-22-Q3' or '2021-22'; ValueError with the reason otherwise."""
        if isinstance(text, Period):
            return text
        return _parse(text)

    @classmethod
    def of(cls, day: date, *, quarterly: bool = True) -> "Period":
        """The quarter (or financial year) a date falls in."""
        year = day.year if day.month >= 4 else day.year - 1
        return cls(year, (day.month - 4) % 12 // 3 + 1 if quarterly else 0)

    @property
    def is_year(self) -> bool:
        return self.quarter == 0

    @property
    def financial_year(self) -> "Period":
        return Period(self.year)

    @property
    def start(self) -> date:
        """First day: 1 April for a year or Q1; 1 July, 1 October, 1 January for Q2 to Q4."""
        if self.is_year:
            return date(self.year, 4, 1)
        month = 3 * self.quarter + 1
        return date(self.year + (month > 12), (month - 1) % 12 + 1, 1)

    @property
    def end(self) -> date:
        """Last day of the period, inclusive."""
        return (self.next.start if not self.is_year else date(self.year + 1, 4, 1)) - timedelta(1)

    @property
    def next(self) -> "Period":
        if self.is_year or self.quarter == 4:
            return Period(self.year + 1, 1 if self.quarter else 0)
        return Period(self.year, self.quarter + 1)

    @property
    def previous(self) -> "Period":
        if self.is_year or self.quarter == 1:
            return Period(self.year - 1, 4 if self.quarter else 0)
        return Period(self.year, self.quarter - 1)

    @property
    def same_quarter_last_year(self) -> "Period":
        """The same quarter (or the whole year) a year earlier, for year-on-year comparison."""
        return Period(self.year - 1, self.quarter)

    def quarters(self) -> list["Period"]:
        """The four quarters of a year, or the quarter itself."""
        return [Period(self.year, q) for q in range(1, 5)] if self.is_year else [self]

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    def __lt__(self, other: "Period") -> bool:
        return (self.start, self.end) < (other.start, other.end)

    def __str__(self) -> str:
        years = f"{self.year}-{(self.year + 1) % 100:02d}"
        return f"{years}-Q{self.quarter}" if self.quarter else years

    def describe(self) -> str:
        """The period in words: 'October to December 2021' or 'April 2021 to March 2022'."""
        start, end = self.start, self.end
        same_year = start.year == end.year
        return f"{start:%B}{'' if same_year else f' {start.year}'} to {end:%B %Y}"


@lru_cache(maxsize=1024)
def _parse(text: str) -> Period:
    """Parse and check a period's text once; periods repeat on every row."""
    match = _PERIOD.fullmatch(text.strip()) if isinstance(text, str) else None
    if not match:
        raise ValueError(
            f"'{text}' is not a period: write a financial year like 2021-22 "
            "or a quarter like 2021-22-Q3"
        )
    first, second, quarter = int(match[1]), match[2], match[3]
    if int(second) != (first + 1 if len(second) == 4 else (first + 1) % 100):
        raise ValueError(
            f"the years in '{text}' must be consecutive: a financial year runs April to March, "
            f"like {first}-{(first + 1) % 100:02d}"
        )
    if quarter is not None and not 1 <= int(quarter) <= 4:
        raise ValueError(f"'{text}' has no quarter Q{quarter}: quarters are Q1 to Q4")
    return Period(first, int(quarter) if quarter else 0)


def quarter_of(day: date) -> str:
    """The financial quarter a date falls in: 2021-11-05 -> '2021-22-Q3'."""
    return str(Period.of(day))


def year_of(day: date) -> str:
    """The financial year a date falls in: 2022-02-01 -> '2021-22'."""
    return str(Period.of(day, quarterly=False))


def period_range(first: "str | Period", last: "str | Period") -> Iterator[Period]:
    """Every quarter (or every year) from first to last, inclusive."""
    start, stop = Period.parse(first), Period.parse(last)
    if start.is_year != stop.is_year:
        raise ValueError(f"{start} and {stop} must both be quarters or both be years")
    if stop < start:
        raise ValueError(f"{start} comes after {stop}")
    while start <= stop:
        yield start
        start = start.next
