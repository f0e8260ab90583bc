"""The one row validator every adapter's rows go through: convert, check and flag each cell."""

from collections.abc import Callable, Mapping
from datetime import date, datetime
from functools import partial
from typing import Any, Protocol

from marshmallow import fields, validate

from exchange import normalise as n
from exchange.periods import Period
from schemas import fields as f
from schemas.issues import ERROR, WARNING, Issue
from schemas.returns import schema_for

# Values finance systems write for "nothing here"; an empty typed cell, never an error itself.
_NOT_GIVEN = frozenset({"N/A", "NA", "N.A.", "#N/A", "NULL", "NONE", "-", "--", "NOT APPLICABLE"})
# The same, as typed in a required text column, where it means the value is missing.
_NOT_GIVEN_TEXT = _NOT_GIVEN | {"n/a", "N/a", "na", "null", "None", "none", "#n/a"}
_FORMULA_START = "=+-@"  # what spreadsheets execute when the text is opened again
_CACHE_LIMIT = 50_000  # distinct raw values remembered per field before starting afresh
_INVALID = object()  # stands in for a value that could not be read; the row is rejected
_NO_FIELD = fields.Raw()
_MISS = object()  # not in a cell's cache yet


def _postcode(s: str) -> str:
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
    f.Postcode: (_postcode, "is not a UK postcode"),
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


class _Flag:
    """A converted cell that carries an issue; `value` is what goes in the row."""

    __slots__ = ("value", "severity", "code", "message")

    def __init__(self, value, severity: str, code: str, message: str):
        self.value, self.severity, self.code, self.message = value, severity, code, message


def _shown(raw: Any) -> str:
    """A cell as the partner would see it in their spreadsheet."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return raw.isoformat() if isinstance(raw, date) else str(raw)


class _Cell:
    """The compiled rule for one field: converts a raw cell to a value or a `_Flag`."""

    def __init__(self, name: str, field: fields.Field, period: Period | None):
        self.name, self.label, self.required = name, field.metadata["label"], field.required
        # 'Amount (GBP)' reads better as 'Amount' inside a sentence.
        self.name_in_text = self.label.split(" (")[0]
        self.max_length = min([v.max for v in field.validators
                               if isinstance(v, validate.Length) and v.max] or [10_000])
        self.soft = getattr(field, "soft", False)
        self.period = period if field.metadata.get("in_period") else None
        self.warn_if_zero = field.metadata.get("warn_if_zero", False)
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
        given = f" ('{_shown(raw)}')" if raw is not None and _shown(raw).strip() else ""
        return f"{self.name_in_text} is missing{given}; every row needs one{self.hint}."

    def convert(self, raw: Any) -> Any:
        """The cell's value, None when empty, or a `_Flag` saying what is wrong with it."""
        if len(self.cache) >= _CACHE_LIMIT:
            self.cache.clear()
        if raw is None:
            return None
        if not isinstance(raw, str) and self.parse not in _TYPED_INPUT:
            raw = _shown(raw)  # a spreadsheet number in a code or identifier column
        if isinstance(raw, str):
            text = raw.strip()
            if not text or text.upper() in _NOT_GIVEN:
                return _Flag(_INVALID, ERROR, f"{self.name}.missing", self.missing(raw)) \
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
            return _Flag(value, WARNING, f"{self.name}.outside_period", (
                f"{self.name_in_text} {value:%d/%m/%Y} is outside the return's period "
                f"{self.period} ({self.period.describe()})."
            ))
        if self.warn_if_zero and not value:
            return _Flag(value, WARNING, f"{self.name}.zero", (
                f"{self.name_in_text} is £0.00; check whether this line belongs in the return."
            ))
        return value

    def _unreadable(self, raw: Any, reason: str) -> _Flag:
        shown = _shown(raw)
        serial = n.excel_serial_date(shown) if self.period is not None else None
        if serial is not None and serial in self.period:
            # An Excel day number that lands inside the return's own quarter is unambiguous.
            return _Flag(serial, WARNING, f"{self.name}.excel_serial", (
                f"{self.name_in_text} '{shown}' was read as the Excel date {serial:%d/%m/%Y}; "
                "please format the column as a date."
            ))
        message = f"{self.name_in_text} '{shown}' {self.complaint}"
        message += f": {reason}" if reason else ""
        if self.soft:
            return _Flag(None, WARNING, f"{self.name}.invalid", message + "; it has been left out.")
        return _Flag(_INVALID, ERROR, f"{self.name}.invalid", message + ".")


# The per-cell work of `RowValidator`, generated once per validator with one block per field:
# a loop over fields costs twice as much, and a million-line file runs this a million times.
_TEXT_BLOCK = """
    raw = get({name!r})
    if raw is not None and raw != "":
        text = (raw if raw.__class__ is str else shown(raw)).strip()
        if text:
            if text[0] in FORMULA_START and len(text) > 1 or len(text) > {max_length}:
                check_text(row_number, {name!r}, text, issues)
{not_given}            row[{name!r}] = text
"""
_NOT_GIVEN_LINE = """            if text in NOT_GIVEN_TEXT:  # a required column saying 'N/A'
                text = None
"""
_TYPED_BLOCK = """
    raw = get({name!r})
    try:  # empty and absent cells are in the cache too, as None
        value = cached_{i}(raw, MISS)
    except TypeError:  # an unhashable JSON value, such as a list
        value = convert_{i}(raw)
    else:
        if value is MISS:  # .get and a marker: most amounts are new, and raising costs more
            value = cache_{i}[raw] = convert_{i}(raw)
    if value.__class__ is Flag:
        value = flagged(row_number, {name!r}, raw, value, issues)
    row[{name!r}] = value
"""


class RowValidator:
    """Validates and normalises the rows of one return, compiled once from the kind's schema."""

    def __init__(self, kind: str, columns: Mapping[str, ColumnLike], period: str | None = None):
        self.kind = kind
        self.period = Period.parse(period) if period else None
        schema = schema_for(kind)()
        self._cells = {
            name: _Cell(name, field, self.period) for name, field in schema.fields.items()
        }
        self._where = {name: _where(columns.get(name), name) for name in self._cells}
        self._required = [name for name, cell in self._cells.items() if cell.required]
        self._missing_columns = [name for name in self._required if name not in columns]
        self._groups = schema.at_least_one
        self._read = self._compile()
        self._blank = dict.fromkeys(self._cells)
        self._name_memo: dict[str, tuple[bool, str | None]] = {}
        self._finish = None
        if {"supplier_name", "company_number", "charity_number"} <= self._cells.keys():
            self._finish = self._finish_supplier
            self._blank.update(supplier_name_normalised=None, org_id=None)
        self._redactable = schema.fields.get("supplier_name", _NO_FIELD).metadata.get("redactable")
        if self._redactable:
            self._blank["redacted"] = False

    def _compile(self) -> Callable[[int, Mapping, dict, list], bool]:
        """Generate `read(row_number, values, row, issues) -> whether a required cell is empty`."""
        scope: dict[str, Any] = {
            "Flag": _Flag, "shown": _shown, "FORMULA_START": _FORMULA_START,
            "NOT_GIVEN_TEXT": _NOT_GIVEN_TEXT, "check_text": self._check_text,
            "flagged": self._flagged, "MISS": _MISS,
        }
        body = ["def read(row_number, values, row, issues):", "    get = values.get"]
        for i, (name, cell) in enumerate(self._cells.items()):
            if not name.isidentifier():  # names come from our schema; this keeps it that way
                raise ValueError(f"field name {name!r} is not an identifier")
            if cell.parse is None:
                body.append(_TEXT_BLOCK.format(name=name, max_length=cell.max_length,
                                               not_given=_NOT_GIVEN_LINE if cell.required else ""))
            else:
                scope[f"cache_{i}"], scope[f"convert_{i}"] = cell.cache, cell.convert
                scope[f"cached_{i}"] = cell.cache.get
                body.append(_TYPED_BLOCK.format(name=name, i=i))
        # `is None`, not `None in (...)`: comparing None with a Decimal is slow.
        missing = " or ".join(f"row[{name!r}] is None" for name in self._required) or "False"
        body.append(f"    return {missing}")
        exec(compile("\n".join(body), f"<validator {self.kind}>", "exec"), scope)  # noqa: S102
        return scope["read"]

    def missing_columns(self) -> list[str]:
        """Required fields that no column of the file was mapped to."""
        return list(self._missing_columns)

    def validate(self, row_number: int, values: Mapping[str, Any]) -> tuple[dict | None, list]:
        """The normalised row (None if it has errors) and every issue found in it."""
        row = self._blank.copy()
        issues: list[Issue] = []
        if self._read(row_number, values, row, issues) or self._groups:
            self._check_required(row_number, row, values, issues)
        if issues and any(issue.severity == ERROR for issue in issues):
            return None, issues
        if self._finish is not None:
            self._finish(row)
        return row, issues

    def _flagged(self, row_number: int, name: str, raw: Any, flag: _Flag, issues: list) -> Any:
        """Record a converted cell's issue; return the value the row keeps."""
        header, letter = self._where[name]
        issues.append(Issue(flag.severity, flag.code, flag.message, row_number, header, letter,
                            _shown(raw)))
        return flag.value

    def _check_required(self, row_number: int, row: dict, values: Mapping, issues: list) -> None:
        for name in self._required:
            if row[name] is None:
                header, letter = self._where[name]
                raw = values.get(name)
                issues.append(Issue(ERROR, f"{name}.missing", self._cells[name].missing(raw),
                                    row_number, header, letter, "" if raw is None else _shown(raw)))
        for group in self._groups:
            if all(row[name] is None for name in group):
                names = " or ".join(self._cells[name].name_in_text for name in group)
                header, letter = self._where[group[0]]
                issues.append(Issue(ERROR, "_or_".join(group) + ".missing",
                                    f"Give a {names} (or both); this row has neither.",
                                    row_number, header, letter, ""))

    def _finish_supplier(self, row: dict) -> None:
        """Derive what matching needs: redaction, the normalised name and the org id."""
        try:
            redacted, row["supplier_name_normalised"] = self._name_memo[row["supplier_name"]]
        except KeyError:
            redacted, row["supplier_name_normalised"] = self._derive_names(row["supplier_name"])
        if self._redactable:
            row["redacted"] = redacted
        company = row["company_number"]
        row["org_id"] = "GB-COH-" + company if company else (
            n.org_id(charity=row["charity_number"]) if row["charity_number"] else None)

    def _derive_names(self, name: str) -> tuple[bool, str | None]:
        """Whether a name is redacted (kept in totals, never matched), else its matching form."""
        redacted = n.is_redacted(name)
        derived = redacted, None if redacted else (n.normalise_supplier_name(name) or None)
        if len(self._name_memo) >= _CACHE_LIMIT:
            self._name_memo.clear()
        self._name_memo[name] = derived
        return derived

    def _check_text(self, row_number: int, name: str, text: str, issues: list) -> None:
        """Text too long to store, or that a spreadsheet would run as a formula."""
        header, letter = self._where[name]
        cell = self._cells[name]
        if len(text) > cell.max_length:
            issues.append(Issue(
                ERROR, f"{name}.too_long",
                f"{cell.name_in_text} is {len(text)} characters long; the most allowed is "
                f"{cell.max_length}.", row_number, header, letter, text,
            ))
        if text[0] in _FORMULA_START and len(text) > 1 and not _is_number(text):
            issues.append(Issue(
                WARNING, "formula.suspicious",
                f"{cell.name_in_text} '{text}' starts with '{text[0]}', so a spreadsheet could run "
                "it as a formula; it is stored as text and made safe when exported.",
                row_number, header, letter, text,
            ))


def _where(column: ColumnLike | None, name: str) -> tuple[str, str | None]:
    """The header and letter to report a field's issues under; JSON rows have only the name."""
    if column is None:
        return name, None
    return getattr(column, "header", None) or name, getattr(column, "letter", None)


def _is_number(text: str) -> bool:
    try:
        n.parse_decimal(text)
    except ValueError:
        return False
    return True
