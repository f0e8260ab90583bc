"""One field's rule: convert a raw cell to its value, or to a flag saying what is wrong."""

from collections.abc import Callable
from datetime import date, datetime
from functools import partial
from typing import Any, Protocol

from marshmallow import fields, validate

from exchange import normalise as n
from exchange.periods import Period
from schemas import fields as f
from schemas.issues import ERROR, WARNING

# Values finance systems write for "nothing here"; an empty typed cell, never an error itself.
NOT_GIVEN = frozenset({"N/A", "NA", "N.A.", "#N/A", "NULL", "NONE", "-", "--", "NOT APPLICABLE"})
# The same, as typed in a required text column, where it means the value is missing.
NOT_GIVEN_TEXT = NOT_GIVEN | {"n/a", "N/a", "na", "null", "None", "none", "#n/a"}
FORMULA_START = "=+-@"  # what spreadsheets execute when the text is opened again
CACHE_LIMIT = 50_000  # distinct raw values remembered per field before starting afresh
INVALID = object()  # stands in for a value that could not be read; the row is rejected
NO_FIELD = fields.Raw()
MISS = object()  # not in a cell's cache yet


def parse_postcode(s: str) -> str:
    """A postcode in its canonical form; ValueError where the text is none."""
    pc = n.canonical_postcode(s)
    if pc is None:
        raise ValueError("")
    return pc


def _known(s: Any) -> bool | None:
    """yes/no/unknown as stored: True, False, or None when the partner does not know."""
    return {"yes": True, "no": False}.get(n.parse_yes_no_unknown(s))


def _parse_date(s: Any) -> date:
    if isinstance(s, datetime):  # a spreadsheet date cell
        return s.date()
    return s if isinstance(s, date) else n.parse_uk_date(s)


# Field type -> (lenient converter, what to say when it fails). Looked up along the MRO.
_TYPES: dict[type, tuple[Callable, str]] = {
    f.Money: (n.parse_amount, "is not a number of pounds and pence"),
    fields.Decimal: (n.parse_decimal, "is not a number"),
    fields.Date: (_parse_date, "is not a date"),
    fields.Boolean: (n.parse_bool, "is not understood"),
    f.CapitalRevenue: (n.parse_capital_revenue, "is not understood"),
    f.YesNoUnknown: (_known, "is not understood"),
    f.Code: (n.parse_code, "is not a code"),
    f.Postcode: (parse_postcode, "is not a UK postcode"),
    f.CompanyNumber: (n.company_number, "is not a Companies House number"),
    f.CharityNumber: (n.charity_number, "is not a charity number"),
    f.VatNumber: (n.vat_number, "is not a UK VAT number"),
    fields.Url: (n.parse_url, "is not a web address"),
}


# Converters that take spreadsheet numbers, dates and booleans as they are.
_TYPED_INPUT = (n.parse_amount, n.parse_decimal, _parse_date, n.parse_bool, _known)


class ColumnLike(Protocol):
    """Where a field sits in the partner's file."""

    header: str | None
    letter: str | None


class Flag:
    """A converted cell that carries an issue; `value` is what goes in the row."""

    __slots__ = ("value", "severity", "code", "message")

    def __init__(self, value, severity: str, code: str, message: str):
        self.value, self.severity, self.code, self.message = value, severity, code, message


def as_shown(raw: Any) -> str:
    """A cell as the partner would see it in their spreadsheet."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return raw.isoformat() if isinstance(raw, date) else str(raw)


class Cell:
    """The compiled rule for one field: converts a raw cell to a value or a `Flag`."""

    def __init__(self, name: str, field: fields.Field, period: Period | None):
        self.name, self.label, self.required = name, field.metadata["label"], field.required
        # 'Amount (GBP)' reads better as 'Amount' inside a sentence.
        self.name_in_text = self.label.split(" (")[0]
        self.max_length = min([v.max for v in field.validators
                               if isinstance(v, validate.Length) and v.max] or [10_000])
        self.soft = getattr(field, "soft", False)
        self.period = period if field.metadata.get("in_period") else None
        self.warn_if_zero = field.metadata.get("warn_if_zero", False)
        self.minimum = next((v.min for v in field.validators
                             if isinstance(v, validate.Range) and v.min is not None), None)
        self.hint = field.metadata.get("missing_hint", "")
        self.parse, self.complaint = next(
            (_TYPES[cls] for cls in type(field).__mro__ if cls in _TYPES), (None, "")
        )
        if isinstance(field, f.Choice) and not isinstance(field, f.CapitalRevenue | f.YesNoUnknown):
            self.parse = partial(n.parse_choice, choices=field.choices)
            self.complaint = "is not one of the allowed values"
        self.cache: dict = {}

    def missing(self, raw: Any = None) -> str:
        """What to say when a required cell is empty."""
        given = f" ('{as_shown(raw)}')" if raw is not None and as_shown(raw).strip() else ""
        return f"{self.name_in_text} is missing{given}; every row needs one{self.hint}."

    def convert(self, raw: Any) -> Any:
        """The cell's value, None when empty, or a `Flag` saying what is wrong with it."""
        if len(self.cache) >= CACHE_LIMIT:
            self.cache.clear()
        if raw is None:
            return None
        if not isinstance(raw, str) and self.parse not in _TYPED_INPUT:
            raw = as_shown(raw)  # a spreadsheet number in a code or identifier column
        if isinstance(raw, str):
            text = raw.strip()
            if not text or text.upper() in NOT_GIVEN:
                return Flag(INVALID, ERROR, f"{self.name}.missing", self.missing(raw)) \
                    if self.required and text else None
        try:
            value = self.parse(raw)
        except (ValueError, TypeError, AttributeError, ArithmeticError) as exc:
            # Only our own ValueErrors explain themselves in words a finance officer reads.
            return self._unreadable(raw, str(exc) if isinstance(exc, ValueError) else "")
        if value is None:
            return None
        if value.__class__ is str and len(value) > self.max_length:
            return self._unreadable(raw, f"it is longer than {self.max_length} characters")
        if self.period is not None and value not in self.period:
            return Flag(value, WARNING, f"{self.name}.outside_period", (
                f"{self.name_in_text} {value:%d/%m/%Y} is outside the return's period "
                f"{self.period} ({self.period.describe()})."
            ))
        if self.minimum is not None and value < self.minimum:
            return Flag(INVALID, ERROR, f"{self.name}.negative", (
                f"{self.name_in_text} '{as_shown(raw)}' is negative; it counts people, hours or "
                f"pounds given, which cannot be below zero."
            ))
        if self.warn_if_zero and not value:
            return Flag(value, WARNING, f"{self.name}.zero", (
                f"{self.name_in_text} is £0.00; check whether this line belongs in the return."
            ))
        return value

    def _unreadable(self, raw: Any, reason: str) -> Flag:
        shown = as_shown(raw)
        serial = n.excel_serial_date(shown) if self.period is not None else None
        if serial is not None and serial in self.period:
            # An Excel day number that lands inside the return's own quarter is unambiguous.
            return Flag(serial, WARNING, f"{self.name}.excel_serial", (
                f"{self.name_in_text} '{shown}' was read as the Excel date {serial:%d/%m/%Y}; "
                "please format the column as a date."
            ))
        message = f"{self.name_in_text} '{shown}' {self.complaint}"
        message += f": {reason}" if reason else ""
        if self.soft:
            return Flag(None, WARNING, f"{self.name}.invalid", message + "; it has been left out.")
        return Flag(INVALID, ERROR, f"{self.name}.invalid", message + ".")


def is_number(text: str) -> bool:
    try:
        n.parse_decimal(text)
    except ValueError:
        return False
    return True
