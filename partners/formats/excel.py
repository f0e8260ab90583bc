"""Excel workbooks (.xlsx): check the zip is safe to open, then stream each sheet's rows as text.

openpyxl read-only mode streams rows, but the zip itself could be a "zip bomb" (a few kilobytes that
expand to gigabytes), so the declared sizes are checked first; Python's zipfile stops reading a
member at its declared size, so a member cannot lie its way past this check.

openpyxl also builds a whole row (and the whole shared-strings table) before handing anything
out: a row of 200,000 cells cost 160 MB and 11 s. So the XML of the sheets and shared strings is
first scanned as bytes, a block at a time, for rows wider or longer and cells longer than the
limits (`partners.limits`); only then does openpyxl open the workbook.
"""

import re
import zipfile
import zlib
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import BinaryIO
from xml.etree.ElementTree import ParseError

import openpyxl
from defusedxml import DefusedXmlException
from openpyxl.utils.exceptions import InvalidFileException

from partners.limits import ReadLimits, too_long, too_many_columns
from partners.table import UnreadableFile, UnsupportedFormat

MAX_UNCOMPRESSED_BYTES = 1_000_000_000
MAX_RATIO = 100  # real sheets compress 5-20 times; bombs a thousand times or more
_RATIO_FROM_BYTES = 1_000_000  # tiny members (styles) may compress very well and harmlessly
_DAMAGED = (
    "This Excel file is damaged or incomplete (it may have been cut off while uploading). "
    "Please open it in Excel, save it again and upload it again."
)
_UNSAFE_XML = (
    "This Excel file contains XML that the hub does not open (a document type declaration or "
    "entities, which Excel itself never writes). Please open it in Excel, save it again as an "
    "Excel Workbook (.xlsx) and upload it again."
)
_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ParseError, OSError,
                DefusedXmlException)


def _unreadable(error: Exception, where: str = "", row: int | None = None) -> UnreadableFile:
    """The partner's message for an error met while opening or reading a workbook; defusedxml's
    refusals (openpyxl wraps them in ValueError while loading) get their own."""
    unsafe = isinstance(error, DefusedXmlException) or isinstance(
        error.__cause__, DefusedXmlException)
    return UnreadableFile((_UNSAFE_XML if unsafe else _DAMAGED) + where, row=row)


def check_archive(stream: BinaryIO, limits: ReadLimits = ReadLimits()) -> None:
    """Raise unless the stream is an .xlsx zip that expands to a safe size, and whose sheets
    and shared strings keep within ``limits``."""
    start = stream.tell()
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
            _check_sizes(members)
            for member in members:
                if _SHEET.fullmatch(member.filename) or member.filename == _SHARED:
                    with archive.open(member) as xml:
                        _scan(xml, member.filename, limits)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
        raise UnreadableFile(_DAMAGED) from error
    finally:
        stream.seek(start)


def _check_sizes(members: list[zipfile.ZipInfo]) -> None:
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names:
        if "content.xml" in names:
            what = "an OpenDocument spreadsheet (.ods)"
        elif any(name.lower().endswith(".csv") for name in names):
            what = "a zip archive of CSV files; please unzip it and upload the CSV file"
        else:
            what = "a zip archive, not an Excel workbook"
        raise UnsupportedFormat(
            f"This file is {what}. Please upload a CSV file or an Excel Workbook (.xlsx)."
        )
    total = sum(member.file_size for member in members)
    bomb = any(
        member.file_size > _RATIO_FROM_BYTES
        and member.file_size > MAX_RATIO * max(member.compress_size, 1)
        for member in members
    )
    if total > MAX_UNCOMPRESSED_BYTES or bomb:
        raise UnreadableFile(
            f"This Excel file would expand to {total / 1e6:,.0f} MB when opened, far more than "
            "its size suggests, so it was not opened. Please save the data as CSV and upload that."
        )


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


_SHEET = re.compile(r"xl/worksheets/[^/]+\.xml")
_SHARED = "xl/sharedStrings.xml"
_SCAN_BLOCK = 1 << 20
_ROOT = re.compile(rb"<(\w+:)?(?:worksheet|sst)[\s>]")
# A cell at column AAA (703) or beyond; `records` counts the cells of narrower rows exactly.
_FAR_CELL = re.compile(rb'r="([A-Z]{3,})[0-9]')
_SMALLEST_CELL = 4  # bytes: <c/>


def _scan(xml: BinaryIO, name: str, limits: ReadLimits) -> None:
    """Read a member's XML a block at a time, refusing a sheet with a row of more than
    ``limits.columns`` cells or more than ``limits.line_bytes`` bytes, or a shared string of
    more than ``limits.cell_bytes`` bytes (of XML, so a few more than its text). A cell written
    in its row (an inline string) is held to its row's limit. The work is done by bytes
    methods (split, count) in C: a sheet of a million cells takes well under a second."""
    sheet = name != _SHARED
    longest = limits.line_bytes if sheet else limits.cell_bytes
    too_big = UnreadableFile(too_long("A row of the sheet", longest, "MAX_LINE_BYTES") if sheet
                             else too_long("A cell's text", longest, "MAX_CELL_BYTES"))
    carry, tags, length, cells = b"", None, None, 0  # length, cells: of the open element
    while block := xml.read(_SCAN_BLOCK):
        data = carry + block
        if tags is None:
            root = _ROOT.search(data)
            tags = _Tags(root.group(1) if root and root.group(1) else b"", sheet)
        end = data.find(tags.end)
        cut = end if end >= 0 else data.rfind(b"<")  # a tag may go on in the next block
        cut = len(data) if cut <= 0 else cut
        pieces = data[:cut].split(tags.start)  # what lies between the elements' starts
        if length is not None:  # the first piece is the rest of the element left open
            length += len(pieces[0])
            cells += tags.cells(pieces[0]) if sheet else 0
        last = len(pieces) - 1
        for index in range(1, len(pieces)):
            _check(length, cells, longest, limits.columns, too_big)  # the one before it
            piece = pieces[index]
            length = len(tags.start) + len(piece)
            wide = index == last or len(piece) > _SMALLEST_CELL * limits.columns
            cells = tags.cells(piece) if sheet and wide else 0
        _check(length, cells, longest, limits.columns, too_big)
        if len(data) - cut > _SCAN_BLOCK:  # a tag that never ends
            raise too_big
        if sheet:
            for far in _FAR_CELL.finditer(data, 0, cut):
                if (column := _column_number(far.group(1))) > limits.columns:
                    raise UnreadableFile(too_many_columns(column, limits.columns,
                                                          "A row of the sheet"))
        if end >= 0:
            return
        carry = data[cut:]


def _check(length: int | None, cells: int, longest: int, columns: int,
           too_big: UnreadableFile) -> None:
    """Refuse an element (a row, a shared string) of more cells or bytes than allowed."""
    if cells > columns:
        raise UnreadableFile(too_many_columns(cells, columns, "A row of the sheet"))
    if length is not None and length > longest:
        raise too_big


class _Tags:
    """The tags a scan looks for, with the document's namespace prefix (often none)."""

    def __init__(self, prefix: bytes, sheet: bool):
        self.start = b"<" + prefix + (b"row" if sheet else b"si")
        self.end = b"</" + prefix + (b"sheetData>" if sheet else b"sst>")
        self._cell = [b"<" + prefix + b"c" + after for after in (b" ", b">", b"/")]

    def cells(self, piece: bytes) -> int:
        return sum(piece.count(tag) for tag in self._cell)


def _column_number(letters: bytes) -> int:
    """A column's number from its letters: A is 1, Z 26, AA 27."""
    number = 0
    for letter in letters[:8]:
        number = number * 26 + letter - 64
    return number


def open_workbook(stream: BinaryIO, limits: ReadLimits = ReadLimits()):
    """The workbook in read-only mode, after the checks of its size and shape; the caller
    closes it."""
    check_archive(stream, limits)
    try:
        return openpyxl.load_workbook(stream, read_only=True, data_only=True, keep_links=False)
    except (InvalidFileException, ValueError, *_READ_ERRORS) as error:
        # openpyxl raises ValueError for worksheets whose XML it could not read
        raise _unreadable(error) from error


def worksheets(book) -> list:
    """Worksheets, visible ones first: a hidden lookup sheet should not win over the data."""
    return sorted(book.worksheets, key=lambda sheet: sheet.sheet_state != "visible")


def records(sheet, limits: ReadLimits = ReadLimits()) -> Iterator[list[str]]:
    """Rows of one sheet as lists of text, gaps filled so row numbers match Excel's; a sheet
    of more rows than ``limits`` allow is refused at the first row past them, and a row of
    more cells (`check_archive` has refused rows far wider before openpyxl built them)."""
    sheet.reset_dimensions()  # a stale "dimension" tag would otherwise cut rows off
    number = 0
    try:
        for values in sheet.iter_rows(values_only=True):
            number += 1
            if number > limits.xlsx_rows:
                raise UnreadableFile(
                    f"The sheet '{sheet.title}' has more than {limits.xlsx_rows:,} rows, the most "
                    "the hub reads from a workbook (MAX_XLSX_ROWS). Please send the data as CSV.",
                    row=number)
            if len(values) > limits.columns:
                raise UnreadableFile(too_many_columns(len(values), limits.columns,
                                                      f"Row {number:,} of the sheet"), row=number)
            yield [cell_text(value) for value in values]
    except _READ_ERRORS as error:
        raise _unreadable(error, f" Reading stopped at row {number + 1}.", number + 1) from error
