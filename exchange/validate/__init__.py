"""The one row validator every adapter's rows go through: convert, check and flag each cell.

`cells` holds each field's rule, `compiled` the code generated from them for a file's layout.
"""

from collections.abc import Callable, Mapping, Sequence
from operator import itemgetter
from typing import Any

from exchange import normalise as n
from exchange.periods import Period
from exchange.validate import cells
from exchange.validate.cells import (
    FORMULA_START,
    NO_FIELD,
    NOT_GIVEN_TEXT,
    Cell,
    ColumnLike,
    Flag,
    as_shown,
    is_number,
)
from exchange.validate.compiled import compile_reader
from partners.formats.jsonrows import Nested
from schemas.issues import ERROR, WARNING, Issue
from schemas.returns import schema_for

__all__ = ["REDACTED", "ColumnLike", "RowValidator"]
REDACTED = "supplier_name.redacted"  # the code of the warning on each redacted payment


class RowValidator:
    """Validates and normalises the rows of one return, compiled once from the kind's schema.

    ``validate`` takes a row as a mapping of field names and gives a dict; ``validate_values``
    takes the cells as a tuple in the order of ``fields`` (given, or the schema's) and gives a
    tuple in the order of ``columns``, without a dict for each row."""

    def __init__(self, kind: str, columns: Mapping[str, ColumnLike], period: str | None = None,
                 fields: Sequence[str] | None = None):
        self.kind = kind
        self.period = Period.parse(period) if period else None
        schema = schema_for(kind)()
        self.cells = {
            name: Cell(name, field, self.period) for name, field in schema.fields.items()
        }
        self.where = {name: _where(columns.get(name), name) for name in self.cells}
        self._required = [name for name, cell in self.cells.items() if cell.required]
        self._missing_columns = [name for name in self._required if name not in columns]
        self.groups = schema.at_least_one
        self._index = {name: i for i, name in enumerate(self.cells)}
        self._derived: dict[tuple, tuple] = {}  # supplier cells -> derived columns
        self.redactable = schema.fields.get("supplier_name", NO_FIELD).metadata.get("redactable")
        # A payment with its supplier name left blank is a name withheld, as real files write it.
        self.blanks = {"supplier_name": n.WITHHELD_NAME} if self.redactable else {}
        derived: tuple[str, ...] = ()
        self._finish = None
        if {"supplier_name", "company_number", "charity_number"} <= self.cells.keys():
            self._finish = self._finish_supplier
            self._supplier_cells = itemgetter(*(self._index[name] for name in (
                "supplier_name", "company_number", "charity_number")))
            derived = ("supplier_name_normalised", "org_id")
        if self.redactable:
            derived += ("redacted",)
        # Without the supplier's numbers to derive from, a row is simply not redacted.
        self._plain_end = (False,) if self.redactable else ()
        self.columns: tuple[str, ...] = (*self.cells, *derived)
        self.fields = tuple(self.cells) if fields is None else tuple(fields)
        self._read = self._compile(self.fields)
        self._own_order = self._read if fields is None else self._compile(tuple(self.cells))
        self._name_at = {id(self._read): _position(self.fields, "supplier_name"),
                         id(self._own_order): _position(tuple(self.cells), "supplier_name")}

    def _compile(self, fields: tuple[str, ...]) -> Callable[[int, Sequence, list], tuple]:
        hooks = {"check_text": self.check_text, "shown": self.shown, "flagged": self.flagged,
                 "check_required": self.check_required}
        return compile_reader(self.kind, self.cells, fields, self._required,
                              bool(self.groups), hooks, self.blanks)

    def missing_columns(self) -> list[str]:
        """Required fields that no column of the file was mapped to."""
        return list(self._missing_columns)

    def validate(self, row_number: int, values: Mapping[str, Any]) -> tuple[dict | None, list]:
        """The normalised row (None if it has errors) and every issue found in it."""
        cells = tuple(map(values.get, self.cells))
        out, issues = self._validate(self._own_order, row_number, cells)
        return (None if out is None else dict(zip(self.columns, out, strict=True))), issues

    def validate_values(self, row_number: int, values: Sequence) -> tuple[tuple | None, list]:
        """The same for cells in the order of ``fields``: the row's values in the order of
        ``columns`` (None if it has errors) and every issue found in it."""
        return self._validate(self._read, row_number, values)

    def _validate(self, read, row_number: int, values: Sequence) -> tuple[tuple | None, list]:
        issues: list[Issue] = []
        out = read(row_number, values, issues)
        if issues and any(issue.severity == ERROR for issue in issues):
            return None, issues
        if self._finish is not None:
            derived = self._finish(out)
            if self.redactable and derived[-1]:
                at = self._name_at[id(read)]
                issues.append(self.redacted_issue(row_number, None if at is None else values[at]))
            return out + derived, issues
        return out + self._plain_end, issues

    def text_value(self, name: str, text: str | None) -> str | None:
        """The value a text field keeps for a stripped cell, as the compiled reader keeps it:
        None when empty, or what an empty cell stands for (a supplier name withheld)."""
        cell = self.cells[name]
        if not text or (cell.required and text in NOT_GIVEN_TEXT):
            return self.blanks.get(name)
        return text

    def redacted_issue(self, row_number: int, raw: Any) -> Issue:
        """The warning of a payment counted as redacted: the name blank, or saying withheld."""
        header, letter = self.where["supplier_name"]
        shown = "" if raw is None else as_shown(raw).strip()
        said = f"'{shown}' reads as a name withheld" if shown else "No supplier name"
        return Issue(WARNING, REDACTED, (
            f"{said}: counted as a redacted payment. It stays in every total and is never "
            "matched to a supplier."), row_number, header, letter, shown)

    def flagged(self, row_number: int, name: str, raw: Any, flag: Flag, issues: list) -> Any:
        """Record a converted cell's issue; return the value the row keeps."""
        header, letter = self.where[name]
        issues.append(Issue(flag.severity, flag.code, flag.message, row_number, header, letter,
                            as_shown(raw)))
        return flag.value

    def check_required(self, row_number: int, out: tuple, values: Sequence,
                        fields: tuple[str, ...], issues: list) -> None:
        index = self._index
        for name in self._required:
            if out[index[name]] is None:
                header, letter = self.where[name]
                raw = values[fields.index(name)] if name in fields else None
                shown = "" if raw is None else as_shown(raw)
                issues.append(Issue(ERROR, f"{name}.missing", self.cells[name].missing(raw),
                                    row_number, header, letter, shown))
        for group in self.groups:
            if all(out[index[name]] is None for name in group):
                names = " or ".join(self.cells[name].name_in_text for name in group)
                header, letter = self.where[group[0]]
                issues.append(Issue(ERROR, "_or_".join(group) + ".missing",
                                    f"Give a {names} (or both); this row has neither.",
                                    row_number, header, letter, ""))

    def _finish_supplier(self, out: tuple) -> tuple:
        """What matching needs: the normalised name, the org id and (when the kind has it)
        whether the name is redacted, in the order of the derived ``columns``. Suppliers repeat,
        so each (name, company number, charity number) is worked out once."""
        return self.derived(self._supplier_cells(out))

    def derived(self, key: tuple) -> tuple:
        """The derived columns of a supplier given as (name, company number, charity number)."""
        try:
            return self._derived[key]
        except KeyError:
            pass
        name, company, charity = key
        redacted = n.is_redacted(name)
        normalised = None if redacted else (n.normalise_supplier_name(name) or None)
        org = "GB-COH-" + company if company else (n.org_id(charity=charity) if charity else None)
        derived = (normalised, org, redacted) if self.redactable else (normalised, org)
        if len(self._derived) >= cells.CACHE_LIMIT:
            self._derived.clear()
        self._derived[key] = derived
        return derived

    def shown(self, row_number: int, name: str, raw: Any, issues: list) -> str:
        """The text of a text field's cell that is not a str: a spreadsheet's number or date as
        it shows it. A JSON list or object is an error, and no text."""
        if raw.__class__ is Nested:
            header, letter = self.where[name]
            issues.append(Issue(
                ERROR, f"{name}.invalid",
                f"{self.cells[name].name_in_text} is a list or object ({raw[:200]}); it must be "
                "one value, such as a name in quotes.", row_number, header, letter, str(raw)))
            return ""
        return as_shown(raw).strip()

    def check_text(self, row_number: int, name: str, text: str, issues: list) -> None:
        """Text too long to store, or that a spreadsheet would run as a formula."""
        header, letter = self.where[name]
        cell = self.cells[name]
        if len(text) > cell.max_length:
            issues.append(Issue(
                ERROR, f"{name}.too_long",
                f"{cell.name_in_text} is {len(text)} characters long; the most allowed is "
                f"{cell.max_length}.", row_number, header, letter, text,
            ))
        if text[0] in FORMULA_START and len(text) > 1 and not is_number(text):
            issues.append(Issue(
                WARNING, "formula.suspicious",
                f"{cell.name_in_text} '{text}' starts with '{text[0]}', so a spreadsheet could run "
                "it as a formula; it is stored as text and made safe when exported.",
                row_number, header, letter, text,
            ))


def _position(fields: tuple[str, ...], name: str) -> int | None:
    return fields.index(name) if name in fields else None


def _where(column: ColumnLike | None, name: str) -> tuple[str, str | None]:
    """The header and letter to report a field's issues under; JSON rows have only the name."""
    if column is None:
        return name, None
    return getattr(column, "header", None) or name, getattr(column, "letter", None)
