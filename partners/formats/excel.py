"""Excel workbooks (.xlsx): after `xlsx_archive.check_archive` has found the zip safe to open,
read each sheet's rows as text.

Two readers give the same rows. python-calamine (Rust) reads a sheet ten to twenty times faster
than openpyxl's XML parsing, but holds the sheet's whole used range at once; openpyxl streams.
calamine reads a workbook when the archive check's measures allow it (`ArchiveShape.read_at_once`);
otherwise openpyxl does.
"""

import itertools
import zipfile
import zlib
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import BinaryIO
from xml.etree.ElementTree import ParseError

import python_calamine
from defusedxml import DefusedXmlException

from partners.formats.xlsx_archive import DAMAGED, check_archive
from partners.limits import ReadLimits, too_many_columns
from partners.table import UnreadableFile

_UNSAFE_XML = (
    "This Excel file contains XML that the hub does not open (a document type declaration or "
    "entities, which Excel itself never writes). Please open it in Excel, save it again as an "
    "Excel Workbook (.xlsx) and upload it again."
)
_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ParseError, OSError,
                DefusedXmlException, python_calamine.CalamineError)


def _unreadable(error: Exception, where: str = "", row: int | None = None) -> UnreadableFile:
    """The partner's message for an error met while opening or reading a workbook; defusedxml's
    refusals (openpyxl wraps them in ValueError while loading) get their own."""
    unsafe = isinstance(error, DefusedXmlException) or isinstance(
        error.__cause__, DefusedXmlException)
    return UnreadableFile((_UNSAFE_XML if unsafe else DAMAGED) + where, row=row)


def cell_text(value: object) -> str:
    """A cell's value as the text a person would type: 1240.0 -> '1240', dates as ISO."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(value, ".15g")  # Excel keeps 15 significant digits
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def open_workbook(stream: BinaryIO, limits: ReadLimits = ReadLimits()):
    """The workbook in read-only mode, after the checks of its size and shape; the caller
    closes it."""
    check_archive(stream, limits)
    return _load(stream)


def _load(stream: BinaryIO):
    # openpyxl is imported when a workbook is first streamed: imported with the module, it
    # cost every hub command and every worker's start 0.1 s.
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return openpyxl.load_workbook(stream, read_only=True, data_only=True, keep_links=False)
    except (InvalidFileException, ValueError, *_READ_ERRORS) as error:
        # openpyxl raises ValueError for worksheets whose XML it could not read
        raise _unreadable(error) from error


def worksheets(book) -> list:
    """Worksheets, visible ones first: a hidden lookup sheet should not win over the data."""
    return sorted(book.worksheets, key=lambda sheet: sheet.sheet_state != "visible")


def records(sheet, limits: ReadLimits = ReadLimits()) -> Iterator[list[str]]:
    """Rows of one openpyxl sheet as lists of text (see `_text_rows`)."""
    sheet.reset_dimensions()  # a stale "dimension" tag would otherwise cut rows off
    return _text_rows(lambda: sheet.iter_rows(values_only=True), sheet.title, limits)


def _text_rows(rows, title: str, limits: ReadLimits) -> Iterator[list[str]]:
    """The rows of values ``rows()`` gives as lists of text, gaps filled so row numbers match
    Excel's; a sheet of more rows than ``limits`` allow is refused at the first row past them,
    and a row of more cells (`check_archive` has refused rows far wider before they were
    built). A reader's error names the row it stopped at."""
    number = 0
    try:
        for values in rows():
            number += 1
            if number > limits.xlsx_rows:
                raise UnreadableFile(
                    f"The sheet '{title}' has more than {limits.xlsx_rows:,} rows, the most "
                    "the hub reads from a workbook (MAX_XLSX_ROWS). Please send the data as CSV.",
                    row=number)
            if len(values) > limits.columns:
                raise UnreadableFile(too_many_columns(len(values), limits.columns,
                                                      f"Row {number:,} of the sheet"), row=number)
            yield [cell_text(value) for value in values]
    except _READ_ERRORS as error:
        raise _unreadable(error, f" Reading stopped at row {number + 1}.", number + 1) from error


def read_workbook(stream: BinaryIO, limits: ReadLimits = ReadLimits()):
    """The workbook, after the checks of its size and shape, as ``titles()`` (its sheets,
    visible ones first), ``records(title, limits)`` and ``close()``: read by calamine when
    every sheet may be read at once, else streamed by openpyxl (see the module); ``reader``
    says which."""
    if check_archive(stream, limits).read_at_once():
        return _CalamineBook(stream)
    return _OpenpyxlBook(stream)


class _OpenpyxlBook:
    reader = "openpyxl"

    def __init__(self, stream: BinaryIO):
        self.book = _load(stream)

    def titles(self) -> list[str]:
        return [sheet.title for sheet in worksheets(self.book)]

    def records(self, title: str, limits: ReadLimits) -> Iterator[list[str]]:
        return records(self.book[title], limits)

    def close(self) -> None:
        self.book.close()


class _CalamineBook:
    reader = "calamine"

    def __init__(self, stream: BinaryIO):
        self.stream, self.start = stream, stream.tell()
        self.streamed = None  # openpyxl's reading, for a sheet calamine could not finish
        try:
            self.book = python_calamine.CalamineWorkbook.from_filelike(stream)
        except _READ_ERRORS as error:
            raise _unreadable(error) from error

    def titles(self) -> list[str]:
        sheets = [meta for meta in self.book.sheets_metadata
                  if meta.typ == python_calamine.SheetTypeEnum.WorkSheet]
        visible = python_calamine.SheetVisibleEnum.Visible
        return [meta.name for meta in sorted(sheets, key=lambda meta: meta.visible != visible)]

    def records(self, title: str, limits: ReadLimits) -> Iterator[list[str]]:
        return _text_rows(lambda: self._rows(title), title, limits)

    def _rows(self, title: str) -> Iterator[list]:
        """The sheet's rows; from the first that holds a value Python cannot (a duration of
        a million years, say), openpyxl's."""
        done = 0
        try:
            for values in self._placed_rows(title):
                yield values
                done += 1
        except (OverflowError, ValueError):
            self.stream.seek(self.start)
            self.streamed = self.streamed or _load(self.stream)
            sheet = self.streamed[title]
            sheet.reset_dimensions()
            yield from itertools.islice(sheet.iter_rows(values_only=True), done, None)

    def _placed_rows(self, title: str) -> Iterator[list]:
        """The sheet's rows from row 1 and column A (calamine starts its rows at the column of
        the leftmost cell), without the empty cells after a row's last value, as openpyxl
        gives them."""
        sheet = self.book.get_sheet_by_name(title)
        if sheet.start is None:
            return
        before = [""] * sheet.start[1]
        for values in sheet.iter_rows():
            while values and values[-1] == "":
                values.pop()
            yield before + values if values else values

    def close(self) -> None:
        self.book.close()
        if self.streamed is not None:
            self.streamed.close()
