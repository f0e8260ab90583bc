"""What an adapter hands back: the header it found, where each field came from, and the rows."""

from collections.abc import Iterator
from dataclasses import dataclass, field

from partners.limits import ReadLimits


class UnreadableFile(Exception):
    """The file cannot be read as a return of this kind; the message is for a finance officer."""

    def __init__(self, message: str, row: int | None = None, column: str | None = None,
                 code: str = "file.unreadable"):
        super().__init__(message)
        self.message = message
        self.row = row
        self.column = column
        self.code = code


class MissingColumns(UnreadableFile):
    """No heading row has a column for every field the kind needs. Carries the likeliest heading
    row, a few rows below it and the columns recognised, so a person can choose the rest."""

    def __init__(self, message: str, row: int | None, headings: list[str],
                 samples: list[list[str]], found: dict[str, int]):
        super().__init__(message, row=row)
        self.headings = headings
        self.samples = samples
        self.found = found


class UnsupportedFormat(Exception):
    """The bytes are not CSV, Excel (.xlsx) or JSON at all."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Column:
    """One column of the partner's file, as they see it in a spreadsheet."""

    header: str
    letter: str
    index: int


@dataclass(frozen=True)
class TextLayout:
    """Where a CSV table's rows start in its bytes, for a reader that takes them all at once
    (`partners.formats.columns`) instead of record by record."""

    encoding: str  # as `formats.text.choose_encoding` chose it
    delimiter: str
    header: tuple[str, ...]  # the heading row's cells as read
    data_line: int  # the line (1-based, after any byte-order mark) the rows below it start on
    first_row: int  # the row number of the first of them


@dataclass
class Table:
    """A partner file read as rows of standard field names.

    ``rows`` can be iterated once; ``skipped`` and ``notes`` grow while it is iterated, so read them
    after the rows are exhausted. Row numbers are those the partner sees in a spreadsheet.
    """

    profile: str
    header_row: int
    columns: dict[str, Column]
    ignored: list[Column]
    rows: Iterator[tuple[int, dict[str, str]]]
    skipped: list[tuple[int, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    format: str = "csv"
    text: TextLayout | None = None  # set for CSV text a columnar reader can take
    mapping: str | None = None  # "sent" or "saved" when a column mapping chose the columns
    headings_key: str = ""  # the same for files with the same headings (partners.headers)
    sheet: str | None = None  # the worksheet read, for a workbook
    limits: ReadLimits = ReadLimits()  # what the file was read within
