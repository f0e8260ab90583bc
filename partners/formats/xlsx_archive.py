"""Whether an .xlsx may be opened, and what its sheets hold: checked on the zip and its XML as
bytes, before either reader (`partners.formats.excel`) opens it.

The zip could be a "zip bomb" (a few kilobytes that expand to gigabytes), so the declared sizes
are checked first; Python's zipfile stops reading a member at its declared size, so a member
cannot lie its way past this check.

openpyxl builds a whole row (and the whole shared-strings table) before handing anything out:
a row of 200,000 cells cost 160 MB and 11 s. So the XML of the sheets and shared strings is
scanned as bytes, a block at a time, for rows wider or longer and cells longer than the limits
(`partners.limits`). The same scan measures each sheet (`SheetShape`), for choosing a reader:
calamine holds a sheet's whole used range at once, so it reads a workbook only when every
sheet's range is at most `CALAMINE_CELLS` cells, every cell says where it is, no cell holds an
error (calamine gives an error cell as empty, where openpyxl gives its text, #DIV/0! say), no
text would come out otherwise (`_rewritten`) and no XML declares a document type (which
openpyxl, through defusedxml, refuses).
"""

import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import BinaryIO

from partners.limits import ReadLimits, too_long, too_many_columns
from partners.table import UnreadableFile, UnsupportedFormat
from schemas.issues import column_number

MAX_UNCOMPRESSED_BYTES = 1_000_000_000
MAX_RATIO = 100  # real sheets compress 5-20 times; bombs a thousand times or more
_RATIO_FROM_BYTES = 1_000_000  # tiny members (styles) may compress very well and harmlessly
DAMAGED = (
    "This Excel file is damaged or incomplete (it may have been cut off while uploading). "
    "Please open it in Excel, save it again and upload it again."
)
CALAMINE_CELLS = 3_000_000  # a sheet's used range read at once: about 250 MB at most


@dataclass
class SheetShape:
    """What the scan saw of one sheet (or of the shared strings): enough to bound its used
    range, and whether calamine would read its cells as openpyxl does."""

    rows: int = 0  # <row> elements
    last_row: int = 0  # the number the last of them gives itself
    width: int = 0  # columns up to the rightmost cell's (26 when all are A to Z)
    unplaced: bool = False  # a row or cell that does not say first where it is (r="…")
    errors: bool = False  # a cell holding an error
    rewritten: bool = False  # text calamine gives otherwise (see `_rewritten`)

    def read_at_once(self) -> bool:
        """Whether calamine may read it (see the module)."""
        return (not self.unplaced and not self.errors and not self.rewritten
                and max(self.rows, self.last_row) * self.width <= CALAMINE_CELLS)


@dataclass
class ArchiveShape:
    """What the scan saw of a whole workbook."""

    sheets: list[SheetShape]
    strings: SheetShape  # the shared strings' (empty when there are none)
    doctype: bool  # an XML member declares a document type (openpyxl refuses it)

    def read_at_once(self) -> bool:
        """Whether calamine may read the workbook: every sheet and the shared strings fit,
        and no member declares a document type (calamine would not refuse it as openpyxl's
        defusedxml does)."""
        return not self.doctype and all(
            shape.read_at_once() for shape in (*self.sheets, self.strings))


def check_archive(stream: BinaryIO, limits: ReadLimits = ReadLimits()) -> ArchiveShape:
    """Raise unless the stream is an .xlsx zip that expands to a safe size, and whose sheets
    and shared strings keep within ``limits``; what it saw of them."""
    start = stream.tell()
    shape = ArchiveShape([], SheetShape(), False)
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
            _check_sizes(members)
            for member in members:
                if member.filename.endswith((".xml", ".rels")):
                    with archive.open(member) as xml:
                        shape.doctype = shape.doctype or _declares_doctype(xml)
                if _SHEET.fullmatch(member.filename) or member.filename == _SHARED:
                    with archive.open(member) as xml:
                        part = _scan(xml, member.filename, limits)
                    if member.filename == _SHARED:
                        shape.strings = part
                    else:
                        shape.sheets.append(part)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
        raise UnreadableFile(DAMAGED) from error
    finally:
        stream.seek(start)
    return shape


_ROOT_START = re.compile(rb"<[A-Za-z_]")
_PROLOG_BYTES = 65_536


def _declares_doctype(xml: BinaryIO) -> bool:
    """Whether the XML's prolog (before its root element) declares a document type; a prolog
    longer than `_PROLOG_BYTES` counts as one."""
    head = xml.read(_PROLOG_BYTES)
    root = _ROOT_START.search(head)
    return root is None or b"<!DOCTYPE" in head[:root.start()]


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


_SHEET = re.compile(r"xl/worksheets/[^/]+\.xml")
_SHARED = "xl/sharedStrings.xml"
_SCAN_BLOCK = 1 << 20
_ROOT = re.compile(rb"<(\w+:)?(?:worksheet|sst)[\s>]")
# A cell at column AAA (703) or beyond; `records` counts the cells of narrower rows exactly.
_FAR_CELL = re.compile(rb'r="([A-Z]{3,})[0-9]')
_SMALLEST_CELL = 4  # bytes: <c/>
_TWO_LETTER_CELL = re.compile(rb' r="([A-Z]{2})[0-9]')
_UNPLACED = re.compile(rb'<(?:c|row)(?:>|/>|\s(?!r="))')  # <c>, <c/>, <c t="s" r="A1">…
_ROW_NUMBER = re.compile(rb'[^>]*?\sr="([0-9]+)"')


def _scan(xml: BinaryIO, name: str, limits: ReadLimits) -> SheetShape:
    """Read a member's XML a block at a time, refusing a sheet with a row of more than
    ``limits.columns`` cells or more than ``limits.line_bytes`` bytes, or a shared string of
    more than ``limits.cell_bytes`` bytes (of XML, so a few more than its text). A cell written
    in its row (an inline string) is held to its row's limit. The work is done by bytes
    methods (split, count) in C: a sheet of a million cells takes well under a second.
    Returns the member's shape."""
    sheet = name != _SHARED
    shape = SheetShape()
    last_row, edge = b"", b""  # edge: the byte before the text carried over
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
            _measure(shape, data[:cut], len(pieces) - 1)
            last_row = pieces[-1][:200] if len(pieces) > 1 else last_row
        if shape.read_at_once():
            shape.rewritten = _rewritten(edge + data, tags)
        if end >= 0:
            break
        carry, edge = data[cut:], data[cut - 1:cut]
    if number := _ROW_NUMBER.match(last_row):
        shape.last_row = int(number.group(1))
    return shape


def _measure(shape: SheetShape, data: bytes, rows: int) -> None:
    """Add a block of a sheet's XML (cut at a tag) to its shape, by C-level searches, until
    the sheet is known not to fit calamine."""
    shape.rows += rows
    if not shape.read_at_once():
        return
    shape.unplaced = _UNPLACED.search(data) is not None
    shape.errors = data.find(b't="e"') >= 0
    two = set(_TWO_LETTER_CELL.findall(data))
    shape.width = max(shape.width, 26, *(_column_number(letters) for letters in two))


_ESCAPE = re.compile(rb"_x[0-9A-Fa-f]{4}_")
_SPACES = (b" ", b"\t", b"\n", b"\r")


def _rewritten(data: bytes, tags: "_Tags") -> bool:
    """Whether calamine would give some text of this XML otherwise than openpyxl: it decodes
    _xHHHH_ escapes (openpyxl leaves them as written), and drops the spaces at the ends of a
    <t> that does not say xml:space="preserve" (openpyxl keeps them). Searches in C, but for
    a <t> ending in a space, whose opening tag is looked at (not found: counted as one)."""
    if _ESCAPE.search(data) or any(tags.text + space in data for space in _SPACES):
        return True
    for space in _SPACES:
        close = space + tags.text_end
        at = data.find(close)
        while at >= 0:
            opening = data.rfind(b"<", 0, at)
            if opening < 0 or data.startswith(tags.text, opening):
                return True
            at = data.find(close, at + 1)
    return False


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
        self.text, self.text_end = b"<" + prefix + b"t>", b"</" + prefix + b"t>"

    def cells(self, piece: bytes) -> int:
        return sum(piece.count(tag) for tag in self._cell)


def _column_number(letters: bytes) -> int:
    """A column's number from the letters of a cell reference in the XML (the first eight)."""
    return column_number(letters[:8].decode("ascii"))
