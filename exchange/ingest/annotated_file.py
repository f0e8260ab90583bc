"""The partner's own file as a workbook with its issues marked where they are.

The first sheet lists every issue, each with a link to its cell; then comes the file as sent: a
CSV or JSON file as one sheet (JSON: the keys on row 1, item N on row N + 1), a workbook with
all its sheets and values (values only: formulas are not copied). Where an issue goes:

- an issue with a row and a column marks that cell: filled (red for an error, amber for a
  warning) with every message about it in one comment;
- an issue with a row but no column (a skipped row, a file cut short) marks the row's first
  cell (column A) the same way;
- an issue with neither (about the whole file) is only listed on the first sheet.

Text is written as text, never as a formula, so a cell such as ``=HYPERLINK(...)`` from a
partner's file stays inert. Rows are streamed from the stored bytes into a write-only workbook,
so memory stays flat however long the file; at most ``MARK_LIMIT`` issues are marked and
listed (the first sheet says when there were more), and an Excel sheet stops at its
1,048,576 rows and 16,384 columns. Writing a cell costs far more than reading it, so a long
file is copied whole for its first ``COPY_ROWS`` rows and, below them, only where a row has an
issue (every row keeps its own number); the first sheet says so.
"""

import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import PurePath
from typing import IO, BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink

import partners
from exchange.blobs import BlobStore
from exchange.ingest.return_file import FileLayout
from exchange.models.returns import PartnerReturn, ReturnIssue
from partners import sniff
from partners.formats import excel, jsonrows, text
from schemas.issues import ERROR

MARK_LIMIT = 20_000
COPY_ROWS = 100_000  # rows copied whole; below them, only rows with an issue keep their values
MAX_ROWS, MAX_COLUMNS = 1_048_576, 16_384
ISSUES_SHEET = "Issues"
AUTHOR = "Anchor Exchange"
FILLS = {ERROR: PatternFill("solid", start_color="FFC7CE"),
         "warning": PatternFill("solid", start_color="FFEB9C")}
BOLD = Font(bold=True)
RULE = ("A cell with an issue is filled (red: error, amber: warning) and its comment says what "
        "to do. An issue about a whole row is marked on the row's first cell (column A); one "
        "about the whole file is listed here only.")
_UNSAFE_TITLE = re.compile(r"[\[\]:*?/\\]")


class _Marks:
    """The issues to mark, by sheet row and column number (1-based)."""

    def __init__(self):
        self.by_row: dict[int, dict[int, list[ReturnIssue]]] = {}

    def add(self, row: int, column: int, issue: ReturnIssue) -> None:
        self.by_row.setdefault(row, {}).setdefault(column, []).append(issue)

    def pop(self, row: int) -> dict[int, list[ReturnIssue]]:
        return self.by_row.pop(row, {})


def _text(value: str) -> str:
    """Text a workbook can hold (no control characters, at most 32,767 characters)."""
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)[:32_767]


def _cell(sheet, value):
    """A value for a write-only row: text is forced to stay text (a partner's '=...' must not
    become a live formula); numbers, dates and yes/no keep their type."""
    if isinstance(value, str):
        value = _text(value)
        if not value.startswith("=") and value not in ERROR_CODES:
            return value  # plain text stays text; one shared cell object writes it
        cell = WriteOnlyCell(sheet, value)
        cell.data_type = "s"  # not a formula, nor an error value such as #N/A
        return cell
    if value is None or isinstance(value, int | float | bool):
        return value
    try:
        return WriteOnlyCell(sheet, value)
    except (ValueError, TypeError):
        return _cell(sheet, str(value))


def _marked(sheet, value, issues: list[ReturnIssue], whole_row: bool):
    cell = _cell(sheet, value)
    if not isinstance(cell, Cell):
        cell = WriteOnlyCell(sheet, cell)
    worst = ERROR if any(i.severity == ERROR for i in issues) else "warning"
    cell.fill = FILLS[worst]
    lines = [f"{'Row ' + str(i.row) + ': ' if whole_row else ''}{i.severity.capitalize()} "
             f"({i.code}): {i.message}" for i in issues]
    body = _text("\n".join(lines))
    cell.comment = Comment(body, AUTHOR, height=min(60 + 15 * (len(body) // 40), 400),
                           width=320)
    return cell


def _write_rows(sheet, records: Iterable[list], marks: _Marks, notes: list[str]) -> None:
    """The records as rows 1, 2, …, with the marked cells filled and commented."""
    number = left_empty = 0
    for number, values in enumerate(records, 1):
        if number > MAX_ROWS:
            notes.append(f"The file has more than {MAX_ROWS:,} rows; the rest are not shown.")
            break
        marked = marks.pop(number)
        if number > COPY_ROWS and not marked:
            sheet.append([])  # keeps the rows below at their own numbers
            left_empty += 1
            continue
        if len(values) > MAX_COLUMNS:
            notes.append(f"Row {number} has more than {MAX_COLUMNS:,} cells; the rest are not "
                         "shown.")
            values = values[:MAX_COLUMNS]
        sheet.append(_row(sheet, list(values), marked))
    if left_empty:
        notes.append(f"Below row {COPY_ROWS:,}, only the rows with an issue are copied, each at "
                     f"its own row number; {left_empty:,} rows without one are left empty.")
    if number > MAX_ROWS:
        return
    # Issues below the last row of the file (e.g. "no rows of data" on the row after the
    # headings) still get their cell.
    for row in sorted(marks.by_row):
        if number < row <= MAX_ROWS:
            while number < row - 1:
                sheet.append([])
                number += 1
            sheet.append(_row(sheet, [], marks.pop(row)))
            number = row


def _row(sheet, values: list, marked: dict[int, list[ReturnIssue]]) -> list:
    if not marked:
        return [_cell(sheet, value) for value in values]
    width = max(len(values), max(marked))
    values = values + [None] * (width - len(values))
    out = []
    for column, value in enumerate(values, 1):
        issues = marked.get(column)
        if issues:
            whole_row = column == 1 and all(not i.column_letter for i in issues)
            out.append(_marked(sheet, value, issues, whole_row))
        else:
            out.append(_cell(sheet, value))
    return out


def _title(name: str, taken: set[str]) -> str:
    """A sheet title Excel accepts (31 characters, none of []:*?/\\) and not already used."""
    title = _UNSAFE_TITLE.sub("_", name).strip("'")[:31] or "File"
    base, count = title, 1
    while title.lower() in taken:
        count += 1
        title = f"{base[:31 - len(str(count)) - 3]} ({count})"
    taken.add(title.lower())
    return title


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _link(sheet_title: str, row: int, column: int) -> str:
    quoted = sheet_title.replace("'", "''")
    return f"'{quoted}'!{get_column_letter(column)}{row}"


def _place(issue: ReturnIssue, row_offset: int) -> tuple[int, int] | None:
    """(sheet row, column number) of an issue, or None for one about the whole file."""
    if issue.row is None:
        return None
    column = column_index_from_string(issue.column_letter) if issue.column_letter else 1
    row = issue.row + row_offset
    return (row, column) if 1 <= row <= MAX_ROWS and column <= MAX_COLUMNS else None


def _issues_sheet(sheet, ret: PartnerReturn, issues: list[ReturnIssue], more: bool,
                  places: list[tuple[int, int] | None], target: str | None,
                  notes: list[str]) -> None:
    name = ret.filename or f"return {ret.id}"
    sheet.column_dimensions["F"].width = 80
    sheet.freeze_panes = "A5"
    head = WriteOnlyCell(sheet, _text(f"Issues found in {name} ({ret.kind} return for "
                                      f"{ret.period}, return {ret.id}): "
                                      f"{_count(ret.error_count, 'error')}, "
                                      f"{_count(ret.warning_count, 'warning')}"))
    head.data_type, head.font = "s", BOLD
    sheet.append([head])
    sheet.append([_cell(sheet, " ".join([RULE, *notes]))])
    sheet.append([])
    header = []
    for label in ("Severity", "Row", "Column", "Column letter", "Value", "What to do", "Code",
                  "Cell"):
        cell = WriteOnlyCell(sheet, label)
        cell.font = BOLD
        header.append(cell)
    sheet.append(header)
    for issue, place in zip(issues, places, strict=True):
        link = None
        if place is not None and target is not None:
            link = WriteOnlyCell(sheet, f"Go to {get_column_letter(place[1])}{place[0]}")
            link.hyperlink = Hyperlink(ref="", location=_link(target, *place))
            link.font = Font(color="0563C1", underline="single")
        sheet.append([issue.severity, issue.row, _cell(sheet, issue.column or ""),
                      issue.column_letter, _cell(sheet, issue.value or ""),
                      _cell(sheet, issue.message), issue.code, link])
    if more:
        sheet.append([])
        sheet.append([_cell(sheet, f"Only the first {MARK_LIMIT:,} issues are listed and "
                                   "marked; the issues CSV lists them all.")])


def _records(stream: BinaryIO, fmt: str) -> Iterator[list]:
    """The file's records as the submission read them, so row numbers match; a file that turns
    out unreadable part-way ends there."""
    try:
        if fmt == "json":
            yield from jsonrows.records(stream)
        else:
            yield from text.records(stream, sniff.peek(stream), [])
    except partners.UnreadableFile:
        return


def _workbook_sheets(stream: BinaryIO) -> Iterator[tuple[str, str, Iterator[list]]]:
    """(title, state, rows of values) of each sheet of a workbook, in its own order."""
    book = excel.open_workbook(stream)
    try:
        for sheet in book.worksheets:
            sheet.reset_dimensions()
            rows = (list(values) for values in sheet.iter_rows(values_only=True))
            yield sheet.title, sheet.sheet_state, rows
    finally:
        book.close()


def _workbook_sheets_titles(stream: BinaryIO) -> Iterator[tuple[str, str]]:
    """(title, state) of each sheet of a workbook, without reading its rows."""
    for title, state, _ in _workbook_sheets(stream):
        yield title, state


def write_annotated(ret: PartnerReturn, issues: list[ReturnIssue], more: bool,
                    layout: FileLayout, blobs: BlobStore, out: IO[bytes]) -> None:
    """Write the annotated workbook of ``ret`` to ``out``; ``issues`` are the first
    ``MARK_LIMIT`` in the order found, ``more`` whether there are others."""
    book = Workbook(write_only=True)
    taken = {ISSUES_SHEET.lower()}
    front = book.create_sheet(ISSUES_SHEET)
    notes: list[str] = []
    with blobs.open(ret.sha256) as stream:
        if layout.format == "xlsx":
            try:
                sheets = list(_workbook_sheets_titles(stream))
            except (partners.UnreadableFile, partners.UnsupportedFormat):
                sheets = []
            titles = {theirs: _title(theirs, taken) for theirs, _ in sheets}
            visible = [theirs for theirs, state in sheets if state == "visible"]
            read = layout.sheet if layout.sheet in titles else next(iter(visible), None)
            target, offset = (titles[read] if read else None), 0
        elif layout.format in ("csv", "json"):
            stem = PurePath(ret.filename or f"return-{ret.id}").stem
            target, offset = _title(stem, taken), (1 if layout.format == "json" else 0)
        else:
            target, offset = None, 0
            notes.append("The file is not a CSV, Excel or JSON file, so only its issues are "
                         "shown.")
        places = [_place(issue, offset) if target else None for issue in issues]
        marks = _Marks()
        for issue, place in zip(issues, places, strict=True):
            if place is not None:
                marks.add(*place, issue)
        stream.seek(0)
        if layout.format == "xlsx":
            try:
                for theirs, state, rows in _workbook_sheets(stream):
                    sheet = book.create_sheet(titles[theirs])
                    sheet.sheet_state = state
                    _write_rows(sheet, rows, marks if titles[theirs] == target else _Marks(),
                                notes)
            except (partners.UnreadableFile, partners.UnsupportedFormat):
                notes.append("The workbook could not be read to the end.")
        elif target is not None:
            _write_rows(book.create_sheet(target), _records(stream, layout.format), marks,
                        notes)
    _issues_sheet(front, ret, issues, more, places, target, notes)
    book.save(out)


def annotated_file(ret: PartnerReturn, issues: list[ReturnIssue], more: bool,
                   layout: FileLayout, blobs: BlobStore) -> tuple[IO[bytes], str]:
    """The annotated workbook in a temporary file (read from the start) and its file name."""
    # Not a context manager: the response sends it, then closes it (and the system deletes it).
    out = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        write_annotated(ret, issues, more, layout, blobs, out)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    stem = PurePath(ret.filename or f"return-{ret.id}").stem
    return out, f"{stem}-annotated.xlsx"
