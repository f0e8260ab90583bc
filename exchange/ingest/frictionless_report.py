"""A return's issues as a Frictionless v5 validation report, the JSON `frictionless validate`
writes, so data tools that read those reports read ours.

Errors (issues that block acceptance) are the task's ``errors``, each with the Frictionless
``type`` that fits our code, ``rowNumber``, ``fieldNumber`` (the column's position in the
partner's own file), ``fieldName`` (its heading there), ``cell``, ``message`` and ``note`` (our
message) plus two extra properties: ``code`` (ours, e.g. ``amount.invalid``) and
``columnLetter``. Warnings do not make a table invalid, so, as in Frictionless, they are the
task's ``warnings``: one line of text each. ``cells`` (the whole row) is empty: the hub keeps
the row's place and the one cell at fault, not the rest of a row it refused.
"""

from collections.abc import Iterable

from exchange.models.returns import ACCEPTED, PartnerReturn, ReturnIssue
from schemas import table_schema
from schemas.issues import ERROR, column_number

# Issues listed at most; the stats count every one. Issues are already capped per code when
# stored (exchange.ingest.receipts), this keeps the answer a few megabytes at worst.
REPORT_LIMIT = 10_000

CELL, ROW, TABLE = ("#table", "#row", "#cell"), ("#table", "#row"), ("#table",)
HEADER = ("#table", "#header")
# Frictionless's own titles, descriptions and tags of the error types we use.
TYPES = {
    "type-error": ("Type Error", "The value does not match the schema type and format for "
                   "this field.", CELL),
    "constraint-error": ("Constraint Error", "A field value does not conform to a constraint.",
                         CELL),
    "cell-error": ("Cell Error", "Cell Error", CELL),
    "row-constraint": ("Row Constraint", "The value does not conform to the row constraint.",
                       ROW),
    "blank-row": ("Blank Row", "This row is empty. A row should contain at least one value.",
                  ROW),
    "row-error": ("Row Error", "Row Error", ROW),
    "table-dimensions": ("Table dimensions error",
                         "This error can happen if the data is corrupted.", TABLE),
    "header-error": ("Header Error", "Cell Error", HEADER),  # sic, in frictionless 5
    "table-error": ("Table Error", "There is a table error.", TABLE),
    "source-error": ("Source Error", "Data reading error because of not supported or "
                     "inconsistent contents.", ()),
    "format-error": ("Format Error", "Data reading error because of incorrect format.", ()),
}
# Our codes whose Frictionless type does not depend on the field: exact codes, then endings.
BY_CODE = {"file.unreadable": "source-error", "file.unsupported": "format-error",
           "file.no_rows": "table-dimensions", "row.skipped": "blank-row",
           "columns.not_in_file": "header-error"}
BY_ENDING = {"missing": "constraint-error", "too_long": "constraint-error",
             "outside_period": "constraint-error", "zero": "constraint-error",
             "excel_serial": "type-error"}


def frictionless_type(code: str, field_types: dict[str, str], *, row: bool, cell: bool) -> str:
    """The Frictionless error type for one of our codes, at the place the issue has.

    ``{field}.invalid`` is a type-error for a typed field (date, number, yes/no) and a
    constraint-error for text, whose rule is a pattern or a list of choices; a required cell
    left empty is a constraint-error ("required"), and "give one of these" a row-constraint.
    An issue without a row and column cannot be a cell's error: it becomes its row's, or the
    table's."""
    field, _, ending = code.partition(".")
    if code in BY_CODE:
        wanted = BY_CODE[code]
    elif "_or_" in field:
        wanted = "row-constraint"
    elif ending == "invalid":
        wanted = "constraint-error" if field_types.get(field, "string") == "string" \
            else "type-error"
    else:
        wanted = BY_ENDING.get(ending, "cell-error")
    tags = TYPES[wanted][2]
    if "#cell" in tags and not cell:
        return "row-error" if row else "table-error"
    if "#row" in tags and not row:
        return "table-error"
    return wanted


def _error(issue: ReturnIssue, field_types: dict[str, str], labels: list[str]) -> dict:
    row, cell = issue.row is not None, issue.row is not None and bool(issue.column_letter)
    kind = frictionless_type(issue.code, field_types, row=row, cell=cell)
    title, description, tags = TYPES[kind]
    out = {"type": kind, "title": title, "description": description, "message": issue.message,
           "tags": list(tags), "note": issue.message, "code": issue.code}
    if "#header" in tags:
        out.update(labels=labels, rowNumbers=[issue.row] if issue.row is not None else [])
    if "#row" in tags:
        out.update(rowNumber=issue.row, cells=[])
    if "#cell" in tags:
        out.update(fieldName=issue.column or "", cell=issue.value or "",
                   fieldNumber=column_number(issue.column_letter),
                   columnLetter=issue.column_letter)
    return out


def _warning(issue: ReturnIssue) -> str:
    where = ", ".join(part for part in (
        f"row {issue.row}" if issue.row is not None else "",
        f"column {issue.column_letter} ({issue.column})" if issue.column_letter else
        (f"column {issue.column}" if issue.column else "")) if part)
    return f"{where[:1].upper() + where[1:] + ': ' if where else ''}{issue.message} [{issue.code}]"


def validation_report(ret: PartnerReturn, issues: Iterable[ReturnIssue],
                      labels: list[str]) -> dict:
    """The report of one stored return: ``issues`` in the order found (at most REPORT_LIMIT
    are read), ``labels`` the headings of its file (empty when they cannot be found)."""
    field_types = {field["name"]: field["type"] for field in table_schema(ret.kind)["fields"]}
    errors, warnings, listed = [], [], 0
    for issue in issues:
        if listed == REPORT_LIMIT:
            break
        listed += 1
        if issue.severity == ERROR:
            errors.append(_error(issue, field_types, labels))
        else:
            warnings.append(_warning(issue))
    total = ret.error_count + ret.warning_count
    if listed == REPORT_LIMIT and total > listed:
        warnings.append(f"Only the first {REPORT_LIMIT:,} issues are listed here; the return "
                        f"has {total:,}. The issues CSV lists them all.")
    valid = ret.status == ACCEPTED and ret.error_count == 0
    stats = {"errors": ret.error_count, "warnings": ret.warning_count, "seconds": 0.0}
    task_stats = {**stats, "sha256": ret.sha256, "bytes": ret.byte_size,
                  "fields": len(labels), "rows": ret.row_count}
    task = {"name": f"return-{ret.id}", "type": "table", "valid": valid,
            "place": ret.filename or f"return-{ret.id}", "labels": labels,
            "stats": task_stats, "warnings": warnings, "errors": errors}
    return {"valid": valid, "stats": {"tasks": 1, **stats}, "warnings": [], "errors": [],
            "tasks": [task]}
