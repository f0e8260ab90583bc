"""A CSV table's rows read as columns by polars, a chunk of records at a time: for big files.

`text.records` and `rows.RowReader` read a file record by record in Python, a few microseconds a
row. For the files partners usually send, `ColumnReader` gives the same rows, row numbers,
skipped rows and notes from polars' CSV parser (Rust, every core), in chunks of whole records so
memory stays flat. It declines (`Declined`, and the caller reads the file record by record)
whenever the two could disagree: quoting polars does not parse, a lone carriage return or a NUL
byte (errors for `csv`), a cell longer than `csv` allows, records that do not add up to the
lines, a record longer than MAX_LINE_BYTES (the row reader refuses it, saying so), a summary
table below the payments, or no payment rows at all. The few rows `RowReader`
looks at closely (blank rows, totals, the headings again, rows with a key field empty) are read
again with `csv` and judged by `RowReader.reason` itself.
"""

import codecs
import csv
import functools
import io
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import BinaryIO

import polars as pl

from partners.fields import REQUIRED
from partners.formats.text import BLOCK, FALLBACK, decode_block, fallback_note
from partners.formats.text import LIST_AT_MOST as _LISTED
from partners.rows import BLANK, end_notes
from partners.table import Table

ROW = "row"
CHUNK = 8 << 20  # bytes read at a time, then cut back to the end of the last whole record
_EXTRA = 4  # columns read beyond the headings, to see rows wider than them
_SEPARATORS = (b"\x1c", b"\x1d", b"\x1e", b"\x1f")
_LONE_CR = re.compile(rb"\r[^\n]")


class Declined(Exception):
    """The columnar reader cannot promise to read this file as `csv` would: read it record by
    record. Raised before the first frame, or part-way (the caller then starts again)."""


class ColumnReader:
    """The rows of a CSV table that may be payment lines, a chunk of records at a time.

    Iterating gives polars frames of the row number (``row``) and one column of stripped text
    per field, in the order of ``fields`` ("" for an empty cell). ``skipped`` and ``notes`` are
    complete once the iteration ends; it raises `Declined` when the file needs `csv`."""

    def __init__(self, stream: BinaryIO, table: Table, kind: str):
        if table.text is None:
            raise Declined("not plain CSV text")
        self.stream, self.table, self.layout = stream, table, table.text
        self.fields = tuple(table.columns)
        self.keys = [name for group in REQUIRED[kind] for name in group if name in table.columns]
        # The columns parsed into cells: the fields' own (`_line_breaks` parses the rest only
        # when a record may span lines or a line be longer than a cell may be).
        self.read = sorted({column.index for column in table.columns.values()})
        self.skipped: list[tuple[int, str]] = []
        self.notes: list[str] = []
        # Whether the cells of the frame last given hold none of the characters COPY text
        # escapes (a backslash, a tab, a line break), as its chunk's bytes show at a glance.
        self.plain_text = False

    def __iter__(self) -> Iterator[pl.DataFrame]:
        delimiter = self.layout.delimiter
        fallen_back: list[int] = []
        blanks: list[int] = []  # row numbers
        set_aside: list[tuple[int, str]] = []
        last_two: list[tuple[int, list[str]]] = []  # the last payment rows and their cells
        first = self.layout.first_row
        for chunk, breaks in self._chunks(fallen_back):
            raw = self._parse(chunk, self.read)
            lines = _line_breaks(raw, chunk, breaks, self._parse)
            frame, blank, payments, aside = self._rows(raw, chunk, lines, first)
            blanks.extend(first + i for i in blank)
            set_aside.extend(aside)
            height = raw.height
            plain = lines is None and b"\\" not in chunk and b"\t" not in chunk
            if payments:
                texts = _record_texts(chunk, lines, height, payments[-2:])
                last_two = (last_two + [(first + i, _cells(texts[i], delimiter))
                                        for i in payments[-2:]])[-2:]
            del raw, chunk  # not kept while the caller works on the frame
            if payments:
                self.plain_text = plain
                yield frame
            first += height
        if not last_two:
            raise Declined("no payment rows")
        if fallen_back:
            self.notes.append(fallback_note(len(fallen_back), fallen_back))
        self._finish(blanks, set_aside, last_two)

    def _chunks(self, fallen_back: list[int]) -> Iterator[tuple[bytes, int]]:
        """The data below the headings as UTF-8, a chunk of whole records at a time, each with
        the line breaks it holds."""
        layout, stream = self.layout, self.stream
        stream.seek(len(codecs.BOM_UTF8) if layout.encoding == "utf-8-sig" else 0)
        head = b"".join(stream.readline() for _ in range(layout.data_line - 1))
        fallen_back.extend(_as_utf8(head, layout.encoding, 1)[1])
        line, rest = layout.data_line, b""
        longest = self.table.limits.line_bytes
        while block := stream.read(CHUNK):
            data = rest + block
            cut = _record_end(data)
            chunk, rest = data[:cut], data[cut:]
            if len(rest) > longest:  # before reading on: one record must not fill memory
                raise Declined("a record longer than MAX_LINE_BYTES")
            if chunk:
                text = self._utf8(chunk, line, fallen_back)
                breaks = text.count(b"\n")
                yield text, breaks
                line += breaks
        if rest:
            text = self._utf8(rest, line, fallen_back)
            yield text, text.count(b"\n")

    def _utf8(self, chunk: bytes, line: int, fallen_back: list[int]) -> bytes:
        listing = len(fallen_back) < _LISTED
        text, bad = _as_utf8(chunk, self.layout.encoding, line if listing else 0)
        fallen_back.extend(bad)
        return text

    def _parse(self, chunk: bytes, columns: list[int] | None = None) -> pl.DataFrame:
        """The chunk's records as columns ``c0``, ``c1``… of text: those at ``columns``, else
        every one (with `_EXTRA` more, to see rows wider than the headings)."""
        # `csv` stops at a NUL byte, and ends a line at a carriage return on its own (polars
        # ends lines at "\n" and "\r\n" only).
        if b"\x00" in chunk or _LONE_CR.search(chunk) or chunk.endswith(b"\r"):
            raise Declined("a NUL byte or a carriage return on its own")
        width = len(self.layout.header) + _EXTRA
        try:
            return pl.read_csv(
                chunk, has_header=False, separator=self.layout.delimiter, quote_char='"',
                schema={f"c{i}": pl.String for i in range(width)},
                truncate_ragged_lines=True, raise_if_empty=False, missing_columns="insert",
                columns=columns)
        except pl.exceptions.PolarsError as error:
            raise Declined(str(error)) from error

    def _rows(self, raw: pl.DataFrame, chunk: bytes, lines: pl.Series | None, first: int
              ) -> tuple[pl.DataFrame, list[int], Sequence[int], list[tuple[int, str]]]:
        """The chunk's payment rows as (row number, stripped cells); the indexes of its blank
        records and of its payment rows; and its rows set aside with a reason."""
        table, layout = self.table, self.layout
        header = [cell.strip() for cell in layout.header]
        # Rust's whitespace is Python's but for the separators \x1c to \x1f: the quicker
        # default strip is the same when the chunk has none of them.
        space = _python_space() if any(sep in chunk for sep in _SEPARATORS) else None
        frame = raw.select(
            pl.int_range(first, first + raw.height, dtype=pl.Int64).alias(ROW),
            **{name: pl.col(f"c{column.index}").fill_null("").str.strip_chars(space)
               for name, column in table.columns.items()})
        reader = table.rows.reader
        payment = frame.select(
            pl.all_horizontal(pl.col(key) != "" for key in self.keys) & ~pl.all_horizontal(
                pl.col(name) == (header[column.index] if column.index < len(header) else "")
                for name, column in table.columns.items())
            & ~pl.col(reader.fields[reader.name_at]).is_in(list(reader.labels))).to_series()
        closer = (~payment).arg_true().to_list()
        blank: list[int] = []
        set_aside: list[tuple[int, str]] = []
        if closer:
            texts = _record_texts(chunk, lines, raw.height, closer)
            for index, values in zip(closer, frame.select(self.fields)[closer].iter_rows(),
                                     strict=True):
                cells = _cells(texts[index], layout.delimiter)
                number = first + index
                reason = None if reader.is_payment(values, cells) else \
                    reader.reason(number, cells, values)
                if reader.summary_from is not None:
                    raise Declined("a summary table below the payments")
                if reason is None:
                    payment[index] = True
                elif reason is BLANK:
                    blank.append(index)
                else:
                    set_aside.append((number, reason))
        if closer and not payment.all():
            frame = frame.filter(payment)
        payments = payment.arg_true().to_list() if closer else range(raw.height)
        return frame.select(ROW, *self.fields), blank, payments, set_aside

    def _finish(self, blanks: list[int], set_aside: list[tuple[int, str]],
                last_two: list[tuple[int, list[str]]]) -> None:
        """Rows set aside, and the notes `RowReader` makes at the end of a file."""
        last_payment = last_two[-1][0]
        self.skipped.extend(sorted(set_aside + [(n, BLANK) for n in blanks if n < last_payment]))
        trailing = sum(1 for n in blanks if n > last_payment)
        self.notes.extend(end_notes(trailing, last_two, self.layout))


@functools.cache
def _python_space() -> str:
    """What str.strip() removes, so cells are stripped exactly as `RowReader` strips them
    (worked out when first needed: it takes a pass over every code point)."""
    return "".join(chr(code) for code in range(0x110000) if chr(code).isspace())


def _record_end(data: bytes) -> int:
    """Where the last whole record of ``data`` ends: after the last line break with an even
    number of quotation marks before it (``data`` starts a record); 0 if there is none."""
    quotes, end = data.count(b'"'), len(data)
    while (newline := data.rfind(b"\n", 0, end)) >= 0:
        quotes -= data.count(b'"', newline + 1, end)
        if quotes % 2 == 0:
            return newline + 1
        end = newline
    return 0


def _as_utf8(data: bytes, encoding: str, line: int) -> tuple[bytes, list[int]]:
    """Whole lines as UTF-8, each decoded as `text.records` decodes it, and the lines that
    needed the Windows-1252 fallback (numbered from ``line`` while the note lists them; 0
    after, and when ``line`` is 0)."""
    if encoding not in ("utf-8", "utf-8-sig"):
        text, bad = decode_block(data, encoding)
        return text.encode(), [line + data.count(b"\n", 0, offset) if line else 0
                               for offset in bad]
    if data.isascii():  # UTF-8 as it is, nothing to decode: most chunks of most files
        return data, []
    parts: list[bytes | memoryview] = []
    fallen_back: list[int] = []
    view, position = memoryview(data), 0
    while position < len(data):  # a block at a time: a decoder slows down after many errors
        end = data.find(b"\n", min(position + BLOCK, len(data)) - 1)
        end = len(data) if end < 0 else end + 1
        _found.errors = errors = []
        codecs.decode(view[position:end], "utf-8", _NOTE_ERRORS)  # finds every bad byte
        if errors:
            _fix_lines(data, position, end, [position + e for e in errors], parts, fallen_back,
                       line)
        else:
            parts.append(view[position:end])
        position = end
    return b"".join(parts), fallen_back


def _fix_lines(data: bytes, start: int, stop: int, errors: list[int], parts: list,
               fallen_back: list[int], line: int) -> None:
    """Append ``data[start:stop]`` (whole lines) as UTF-8: each line holding one of the bad
    bytes at ``errors`` decoded with the fallback (as `text.decode_block` decodes it), the
    others as they are. ``line``: the number of the first line of ``data`` while the note
    still lists lines (else 0)."""
    end = start
    for wrong in errors:
        if wrong < end:  # another bad byte of a line already decoded
            continue
        first = data.rfind(b"\n", 0, wrong) + 1
        parts.append(data[end:first])
        end = data.find(b"\n", wrong, stop) + 1 or stop
        parts.append(data[first:end].decode("utf-8", FALLBACK).encode())
        listing = line and len(fallen_back) < _LISTED
        fallen_back.append(line + data.count(b"\n", 0, first) if listing else 0)
    parts.append(data[end:stop])


_found = threading.local()
_NOTE_ERRORS = "anchor-note-errors"


def _note_error(error: UnicodeDecodeError) -> tuple[str, int]:
    """Codec error handler: remember where the bad byte is, and go on."""
    _found.errors.append(error.start)
    return "", error.end


codecs.register_error(_NOTE_ERRORS, _note_error)


def _line_breaks(raw: pl.DataFrame, chunk: bytes, breaks: int,
                 parse: Callable[[bytes], pl.DataFrame]) -> pl.Series | None:
    """How many lines each record takes (None when each takes one), having checked that
    polars found the records `csv` would: one a line, less the line breaks inside quoted
    cells; and no cell longer than `csv` takes. ``raw``: some of the chunk's columns;
    ``breaks``: the chunk's line breaks; ``parse`` reads every column, needed only when a
    record may take more than one line or a line be longer than a cell may be (a cell is no
    longer than its line)."""
    limit = csv.field_size_limit()
    lines = breaks + (0 if chunk.endswith(b"\n") else 1)
    if raw.height == lines and _lines_shorter_than(chunk, limit):
        return None  # every line ended a record, so no cell holds a line break
    raw = parse(chunk)
    longest = raw.select(pl.max_horizontal(pl.all().str.len_bytes().max())).item()
    if (longest or 0) > limit:
        raise Declined("a cell longer than csv reads")
    if raw.height == lines:
        return None
    breaks = raw.select(
        pl.sum_horizontal(pl.all().str.count_matches("\n").fill_null(0)) + 1).to_series()
    if breaks.sum() != lines:
        raise Declined("records that do not add up to the lines")
    return breaks


def _lines_shorter_than(data: bytes, limit: int) -> bool:
    """Whether each line of ``data`` is sure to be shorter than ``limit`` bytes: it is when
    each whole stretch of limit // 2 bytes from the start holds a line break, since a line of
    limit - 1 bytes or more would hold one such stretch whole. A few hundred look-ups a chunk,
    where measuring every cell takes a pass over each column."""
    step = max(limit // 2, 1)
    return all(data.find(b"\n", start, start + step) >= 0
               for start in range(0, len(data) - step + 1, step))


def _cells(text: str, delimiter: str) -> list[str]:
    """One record exactly as `csv` reads it: polars cannot tell an empty last cell from a
    missing one."""
    return next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])


def _record_texts(chunk: bytes, lines: pl.Series | None, height: int, wanted: list[int]
                  ) -> dict[int, str]:
    """The text of the records at ``wanted`` (indexes, ascending), found from the end of the
    chunk when they are near it and from the start otherwise. ``lines``: how many lines each
    record takes (None: one each)."""
    taken = [1] * height if lines is None else lines.to_list()
    found = {}
    if wanted[0] >= height // 2:  # count lines back from the end
        end = len(chunk) - 1 if chunk.endswith(b"\n") else len(chunk)
        index = height - 1
        for target in reversed(wanted):
            while index > target:
                for _ in range(taken[index]):
                    end = chunk.rfind(b"\n", 0, end)
                index -= 1
            start = end
            for _ in range(taken[target]):
                start = chunk.rfind(b"\n", 0, start)
            found[target] = chunk[start + 1:end].decode()
        return found
    start, index = 0, 0
    for target in wanted:
        while index < target:
            for _ in range(taken[index]):
                start = chunk.find(b"\n", start) + 1
            index += 1
        end = start
        for _ in range(taken[target]):
            end = chunk.find(b"\n", end) + 1 or len(chunk) + 1
        found[target] = chunk[start:end - 1].decode()
    return found
