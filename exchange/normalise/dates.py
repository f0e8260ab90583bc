"""Dates as partners type them: day-first UK, ISO, month names and Excel serials."""

import re
from datetime import date, timedelta
from functools import lru_cache

from exchange.normalise.memo import MEMO as _MEMO

# English whatever the locale, unlike the calendar module's names.
_MONTH_NAMES = ("", "January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")
_MONTHS = {name.upper()[:k]: i for i, name in enumerate(_MONTH_NAMES) if name
           for k in (3, len(name))} | {"SEPT": 9}
_TIME_ONLY = re.compile(r"\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?")
_TIME_SUFFIX = re.compile(
    r"(?:T|\s+)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:AM|PM|Z|[+-]\d{2}:?\d{2})?$"
)
_YMD = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})|(\d{4})(\d{2})(\d{2})")
_DMY = re.compile(r"(\d{1,2})([-/.\s])(\d{1,2})\2(\d{4}|\d{2})")
_D_MON_Y = re.compile(r"(\d{1,2})(?:ST|ND|RD|TH)?[-/.\s]*([A-Z]{3,9})[-/.,\s]*(\d{4}|\d{2})")
_EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0, after its 1900 leap-year bug


def _year(text: str) -> int:
    """A year from 4 digits, or from 2 with the pivot strptime uses (69 -> 2069, 70 -> 1970)."""
    year = int(text)
    return year if len(text) == 4 else year + (2000 if year < 70 else 1900)


def _make_date(year: int, month: int, day: int, day_first: bool = False) -> date:
    """A date from its parts, with a reason a person understands when it does not exist."""
    if not 1 <= month <= 12:
        if day_first and 1 <= day <= 12 and 1 <= month <= 31:
            raise ValueError(f"there is no month {month}: dates must be day first, like 20/06/2013")
        raise ValueError(f"there is no month {month}")
    if not 1900 <= year <= 2099:
        raise ValueError(f"the year {year} is not plausible")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"{day} {_MONTH_NAMES[month]} {year} does not exist") from None


@lru_cache(maxsize=_MEMO)
def parse_uk_date(s: str) -> date:
    """A day-first UK date or an ISO date (time of day ignored); ValueError if it is neither."""
    text = s.strip().upper()
    if _TIME_ONLY.fullmatch(text):
        raise ValueError(f"it has a time ({text}) but no date")
    text = _TIME_SUFFIX.sub("", text)
    if m := _YMD.fullmatch(text):
        parts = (m[1], m[3], m[4]) if m[1] else (m[5], m[6], m[7])
        return _make_date(*map(int, parts))
    if m := _DMY.fullmatch(text):
        return _make_date(_year(m[4]), int(m[3]), int(m[1]), day_first=True)
    if (m := _D_MON_Y.fullmatch(text)) and m[2] in _MONTHS:
        return _make_date(_year(m[3]), _MONTHS[m[2]], int(m[1]), day_first=True)
    if serial := excel_serial_date(text):
        raise ValueError(
            f"it looks like an Excel date serial number ({text} would be "
            f"{serial:%d/%m/%Y}); format the column as a date before exporting"
        )
    raise ValueError("")


def excel_serial_date(s: str) -> date | None:
    """The date an Excel serial day number stands for (41445 -> 2013-06-20), if it is one."""
    text = s.strip()
    whole = text.split(".")[0] if text.endswith(".0") or "." not in text else ""
    # 5 digits covers 1954-2173; we only take 1990-2099 so an ordinary number is not misread.
    if len(whole) == 5 and whole.isdigit() and 32_874 <= int(whole) <= 73_050:
        return _EXCEL_EPOCH + timedelta(days=int(whole))
    return None
