"""Amounts as partners type them (thousands separators, pound signs, accountants' negatives)."""

import re
from decimal import Decimal
from math import isfinite

_NUMBER = re.compile(r"(\d{1,3}(?:,\d{3})+|\d*)(?:\.(\d*))?")
# Most cells: the fast path. Plain, or with commas every three digits ('-1,234.5').
_PLAIN_AMOUNT = re.compile(r"-?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.(\d{1,2}))?")
_PENNY = Decimal("0.01")
_ZERO = Decimal("0.00")
_TOO_MUCH = Decimal(10) ** 12


def _split_number(s: str) -> tuple[bool, str, str]:
    """Sign, whole part and fraction of a typed number; ValueError if it is not one."""
    text = "".join(s.split()).upper().replace("£", "").replace("GBP", "")
    negative = False
    if text[:1] == "(" and text[-1:] == ")":  # accountants' negative
        negative, text = True, text[1:-1]
    if text[-1:] == "-":  # SAP-style trailing minus
        negative, text = True, text[:-1]
    elif text[:1] in "-+" and text:
        negative, text = text[0] == "-", text[1:]
    if text == "NIL":
        return False, "0", ""
    if text.endswith("%"):
        raise ValueError("write the number without the % sign")
    match = _NUMBER.fullmatch(text)
    if not match or not (match[1] or match[2]):
        if "," in text and re.fullmatch(r"[\d,]+(\.\d*)?", text):
            raise ValueError("the thousands separators are in the wrong places")
        raise ValueError("")
    return negative, match[1].replace(",", "") or "0", match[2] or ""


def parse_amount(s: str | int | float | Decimal) -> Decimal:
    """Pounds and pence as an exact Decimal with two places; ValueError if it is not money."""
    if s.__class__ is str and (plain := _PLAIN_AMOUNT.fullmatch(s)):
        value = Decimal(s.replace(",", "") if "," in s else s)
        if plain.end(1) - plain.start(1) != 2 or len(s) > 20:  # not simply pounds and pence
            value = value.quantize(_PENNY)  # (and too long a number fails here, as it should)
        value = value or _ZERO  # `or`: no negative zero
    elif not (s.is_finite() if isinstance(s, Decimal) else isinstance(s, str) or isfinite(s)):
        raise ValueError("")  # NaN or infinity
    elif isinstance(s, float):
        # Spreadsheet floats carry binary noise (1234.5600000000002); pence are what was meant.
        cents = round(s * 100)
        if abs(s * 100 - cents) > 1e-6:
            raise ValueError("it has more than two decimal places")
        value = Decimal(cents).scaleb(-2)
    elif isinstance(s, int | Decimal):
        value = Decimal(s).quantize(_PENNY)
        if value != s:
            raise ValueError("it has more than two decimal places")
    else:
        negative, whole, fraction = _split_number(s)
        if fraction[2:].strip("0"):
            raise ValueError("it has more than two decimal places")
        value = Decimal(f"{whole}.{fraction[:2]:0<2}")
        value = -value if negative and value else value
    if abs(value) >= _TOO_MUCH:  # also keeps it inside the database's NUMERIC(14, 2)
        raise ValueError("it is a trillion pounds or more")
    return value


def parse_decimal(s: str | int | float | Decimal) -> Decimal:
    """Any quantity (hours, tonnes, people) as an exact Decimal; ValueError if not a number."""
    if isinstance(s, int | float | Decimal):
        value = Decimal(repr(s) if isinstance(s, float) else s)
    else:
        negative, whole, fraction = _split_number(s)
        value = Decimal(f"{whole}.{fraction}" if fraction else whole)
        value = -value if negative and value else value
    if not value.is_finite() or abs(value) >= _TOO_MUCH:
        raise ValueError("it is not a number of a sensible size")
    return value
