"""Flags, choices, codes and web addresses as people type them."""

import re

from exchange.normalise.names import NON_WORD, ascii_upper

_TRUE = frozenset({"Y", "YES", "TRUE", "T", "1", "ON"})
_FALSE = frozenset({"N", "NO", "FALSE", "F", "0", "OFF"})
_UNKNOWN = frozenset({"U", "UNKNOWN", "NOT KNOWN", "DONT KNOW", "DON'T KNOW", "?", "UNSURE"})
_CAPITAL_REVENUE = {
    "C": "capital", "CAP": "capital", "CAPITAL": "capital", "CAPITAL EXPENDITURE": "capital",
    "R": "revenue", "REV": "revenue", "REVENUE": "revenue", "REVENUE EXPENDITURE": "revenue",
}


def parse_bool(s: str | bool) -> bool:
    """Yes/No, Y/N, True/False, 1/0 as a bool."""
    if isinstance(s, bool):
        return s
    text = str(s).strip().upper()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError("write Yes or No")


def parse_yes_no_unknown(s: str | bool) -> str:
    """'yes', 'no' or 'unknown' from the ways people write them."""
    if isinstance(s, bool):
        return "yes" if s else "no"
    text = " ".join(str(s).strip().upper().split())
    if text in _UNKNOWN:
        return "unknown"
    try:
        return "yes" if parse_bool(text) else "no"
    except ValueError:
        raise ValueError("write Yes, No or Unknown") from None


def parse_capital_revenue(s: str) -> str:
    """'capital' or 'revenue' from C/R, CAP/REV or the words."""
    text = " ".join(s.strip().upper().split())
    try:
        return _CAPITAL_REVENUE[text]
    except KeyError:
        raise ValueError("write Capital or Revenue (or C or R)") from None


def parse_choice(s: str, choices: tuple[str, ...]) -> str:
    """One of a fixed list of codes, forgiving case, spaces and hyphens ('In progress')."""
    text = parse_code(s)
    if text in choices:
        return text
    raise ValueError("it must be one of " + ", ".join(choices))


def parse_code(s: str) -> str:
    """A snake_case code from how people type it: 'Living Wage' -> 'living_wage'."""
    text = NON_WORD.sub("_", ascii_upper(s.strip())).strip("_").lower()
    if not text:
        raise ValueError("a code needs letters or digits")
    return text


def parse_url(s: str) -> str:
    """A web address starting http:// or https://, as written."""
    text = s.strip()
    if re.fullmatch(r"https?://[^\s/$.?#][^\s]*", text, flags=re.IGNORECASE):
        return text
    raise ValueError("a web address starts with https://")
