"""Excel workbooks (.xlsx): check the zip is safe to open, then stream each sheet's rows as text.

openpyxl read-only mode streams rows, but the zip itself could be a "zip bomb" (a few kilobytes that
expand to gigabytes), so the declared sizes are checked first; Python's zipfile stops reading a
member at its declared size, so a member cannot lie its way past this check.
"""

import zipfile
import zlib
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import BinaryIO
from xml.etree.ElementTree import ParseError

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from partners.table import UnreadableFile, UnsupportedFormat

MAX_UNCOMPRESSED_BYTES = 1_000_000_000
MAX_RATIO = 100  # real sheets compress 5-20 times; bombs a thousand times or more
_RATIO_FROM_BYTES = 1_000_000  # tiny members (styles) may compress very well and harmlessly
_DAMAGED = (
    "This Excel file is damaged or incomplete (it may have been cut off while uploading). "
    "Please open it in Excel, save it again and upload it again."
)
_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ParseError, OSError)


def check_archive(stream: BinaryIO) -> None:
    """Raise unless the stream is an .xlsx zip that expands to a safe size."""
    start = stream.tell()
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, EOFError, OSError) as error:
        raise UnreadableFile(_DAMAGED) from error
    finally:
        stream.seek(start)
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


def open_workbook(stream: BinaryIO):
    """The workbook in read-only mode, after the zip-bomb check; the caller closes it."""
    check_archive(stream)
    try:
        return openpyxl.load_workbook(stream, read_only=True, data_only=True, keep_links=False)
    except (InvalidFileException, *_READ_ERRORS) as error:
        raise UnreadableFile(_DAMAGED) from error


def worksheets(book) -> list:
    """Worksheets, visible ones first: a hidden lookup sheet should not win over the data."""
    return sorted(book.worksheets, key=lambda sheet: sheet.sheet_state != "visible")


def records(sheet) -> Iterator[list[str]]:
    """Rows of one sheet as lists of text, gaps filled so row numbers match Excel's."""
    sheet.reset_dimensions()  # a stale "dimension" tag would otherwise cut rows off
    number = 0
    try:
        for values in sheet.iter_rows(values_only=True):
            number += 1
            yield [cell_text(value) for value in values]
    except _READ_ERRORS as error:
        where = f" Reading stopped at row {number + 1}."
        raise UnreadableFile(_DAMAGED + where, row=number + 1) from error
