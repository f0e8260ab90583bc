"""CSV text: choose encoding and delimiter from a sample, then stream records line by line.

Lines are decoded one at a time as UTF-8; a line that is not valid UTF-8 has its stray bytes read as
Windows-1252 (Leeds 2020-06 has 0xA0 and 0xBF in supplier names), and the file gets a note. A file
that is not UTF-8 anywhere in its first 64 KB is read as Windows-1252 throughout.
"""

import codecs
import csv
import io
import itertools
from collections import Counter
from collections.abc import Iterator
from itertools import islice
from typing import BinaryIO

from partners.limits import ReadLimits, too_long
from partners.table import UnreadableFile

FALLBACK = "anchor-cp1252"
DELIMITERS = (",", "\t", ";", "|")
LIST_AT_MOST = 10
BLOCK = 1 << 18  # bytes decoded at once (then up to the end of the line)


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: bytes that are not UTF-8 are read as Windows-1252."""
    bad = error.object[error.start : error.end]
    return bad.decode("cp1252", "replace"), error.end


codecs.register_error(FALLBACK, _cp1252_fallback)


def choose_encoding(sample: bytes) -> str:
    """'utf-8', 'utf-8-sig', 'utf-16' or 'cp1252' for a file starting with these bytes."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        # Incremental, so a character cut in two at the end of the sample is not an error.
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        decoded = sample.decode("utf-8", "replace")
        # Genuine multi-byte UTF-8 beside the bad bytes means a UTF-8 file with stray bytes.
        if not any(ord(char) > 127 and char != "\ufffd" for char in decoded):
            return "cp1252"
    return "utf-8"


def choose_delimiter(text: str) -> str:
    """The separator that splits the first lines into the same number of cells most often.

    Counting characters alone is fooled by a description full of semicolons; a real separator
    gives every line the same width, the heading line included. Comma wins ties.
    """
    best, best_score = ",", (0, 0)
    for separator in DELIMITERS:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
        try:
            widths = Counter(len(cells) for cells in islice(reader, 30) if any(cells))
        except csv.Error:
            continue
        width, lines = max(widths.items(), key=lambda item: (item[1], item[0]), default=(1, 0))
        if width > 1 and (lines, width) > best_score:
            best, best_score = separator, (lines, width)
    return best


def _line_too_long(number: int, limit: int) -> UnreadableFile:
    return UnreadableFile(too_long(f"Line {number:,}", limit, "MAX_LINE_BYTES"), row=number)


def _cr_lines(stream: BinaryIO, limit: int) -> Iterator[bytes]:
    """Byte lines of an old Mac file, whose lines end with a lone CR, keeping their endings."""
    rest, number = b"", 1
    while chunk := stream.read(1 << 20):
        parts = (rest + chunk).split(b"\r")
        rest = parts.pop()
        for part in parts:
            if len(part) > limit:
                raise _line_too_long(number, limit)
            number += 1
            yield part + b"\r"
        if len(rest) > limit:
            raise _line_too_long(number, limit)
    if rest:
        yield rest


def _rest_of_line(stream: BinaryIO, block: bytes, first: int, limit: int) -> bytes:
    """The bytes that end the block's last line, refusing a line longer than ``limit`` before
    reading more than that of it."""
    started = len(block) - block.rfind(b"\n") - 1
    rest = stream.readline(max(limit - started, 0) + 1)
    if started + len(rest) > limit and not rest.endswith(b"\n"):
        raise _line_too_long(first + block.count(b"\n"), limit)
    return rest


def _decoded_lines(stream: BinaryIO, encoding: str, cr_only: bool, notes: list[str],
                   limit: int):
    """Text lines; lines that fail strict decoding are decoded with the Windows-1252 fallback.
    A line longer than ``limit`` bytes is refused (lines within one block are read anyway)."""
    fallen_back: list[int] = []
    count = 0
    if cr_only:
        for number, raw in enumerate(_cr_lines(stream, limit), 1):
            try:
                yield raw.decode(encoding)
            except UnicodeDecodeError:
                count += 1
                if len(fallen_back) < LIST_AT_MOST:
                    fallen_back.append(number)
                yield raw.decode(encoding, FALLBACK)
    else:
        first = 1  # the number of the block's first line
        while block := stream.read(BLOCK):
            if not block.endswith(b"\n"):
                block += _rest_of_line(stream, block, first, limit)  # whole lines only
            text, bad = decode_block(block, encoding)
            for offset in bad:
                count += 1
                if len(fallen_back) < LIST_AT_MOST:
                    fallen_back.append(first + block.count(b"\n", 0, offset))
            # Lines end at "\n" only, as when iterating over the bytes: a lone "\r" is text.
            yield from io.StringIO(text, newline="\n")
            first += block.count(b"\n")
    if count:
        notes.append(fallback_note(count, fallen_back))


def decode_block(block: bytes, encoding: str) -> tuple[str, list[int]]:
    """Whole lines of bytes as text, and where each line that needed the fallback starts.
    Decoding a block at once is much quicker than line by line; a line that is not valid in
    ``encoding`` is decoded alone with the Windows-1252 fallback."""
    try:
        return block.decode(encoding), []
    except UnicodeDecodeError:
        pass
    view, parts, bad, position = memoryview(block), [], [], 0
    while position < len(block):
        try:
            parts.append(codecs.decode(view[position:], encoding))
            break
        except UnicodeDecodeError as error:
            wrong = position + error.start
            start = block.rfind(b"\n", 0, wrong) + 1
            end = block.find(b"\n", wrong) + 1 or len(block)
            parts.append(codecs.decode(view[position:start], encoding))
            parts.append(codecs.decode(view[start:end], encoding, FALLBACK))
            bad.append(start)
            position = end
    return "".join(parts), bad


def _utf16_lines(stream: BinaryIO, limit: int) -> Iterator[str]:
    """UTF-16 text (Excel's 'Unicode Text'); detached so the caller's stream stays open."""
    wrapper = io.TextIOWrapper(stream, encoding="utf-16", errors="replace", newline="")
    characters = limit // 2
    try:
        for number in itertools.count(1):
            line = wrapper.readline(characters + 1)
            if not line:
                return
            if len(line) > characters:
                raise _line_too_long(number, limit)
            yield line
    finally:
        wrapper.detach()


class TextRecords:
    """CSV records of a text file, and what a reader of the same bytes needs to know: the
    encoding and separator chosen, and how many lines have been read so far."""

    def __init__(self, lines: Iterator[str], delimiter: str, encoding: str, cr_only: bool):
        self.delimiter, self.encoding, self.cr_only = delimiter, encoding, cr_only
        self._reader = csv.reader(itertools.chain(lines, (_END_OF_FILE,)), delimiter=delimiter)
        self._records = _parse(self._reader)

    def __iter__(self) -> "TextRecords":
        return self

    def __next__(self) -> list[str]:
        return next(self._records)

    @property
    def lines_read(self) -> int:
        """Lines (ended by a newline) read up to the end of the last record handed out."""
        return self._reader.line_num


def records(stream: BinaryIO, sample: bytes, notes: list[str],
            limits: ReadLimits = ReadLimits()) -> TextRecords:
    """Stream CSV records from a text file whose first bytes are ``sample``."""
    encoding = choose_encoding(sample)
    cr_only = False
    if encoding == "utf-16":
        notes.append("Read as UTF-16 text.")
        lines: Iterator[str] = _utf16_lines(stream, limits.line_bytes)
        sample_text = sample.decode("utf-16", "replace")
    else:
        if encoding == "utf-8-sig":
            stream.read(len(codecs.BOM_UTF8))
            sample = sample[len(codecs.BOM_UTF8) :]
        elif encoding == "cp1252":
            notes.append("Read as Windows-1252: the file is not UTF-8.")
        cr_only = b"\r" in sample and b"\n" not in sample
        lines = _decoded_lines(stream, _codec(encoding), cr_only, notes, limits.line_bytes)
        sample_text = sample.decode(_codec(encoding), FALLBACK)
    delimiter = choose_delimiter(sample_text)
    if delimiter != ",":
        notes.append(f"Columns are separated by {_DELIMITER_NAMES[delimiter]}.")
    return TextRecords(lines, delimiter, encoding, cr_only)


def _codec(encoding: str) -> str:
    """The codec for the text after any byte-order mark."""
    return "utf-8" if encoding == "utf-8-sig" else encoding


def fallback_note(count: int, listed: list[int]) -> str:
    """What to tell the partner about lines read as Windows-1252 (the first few listed)."""
    shown = ", ".join(map(str, listed[:LIST_AT_MOST]))
    shown += " and more" if count > len(listed[:LIST_AT_MOST]) else ""
    return (f"{count} line{'s' if count > 1 else ''} had characters that are not valid UTF-8 "
            f"(line {shown}); they were read as Windows-1252.")


_DELIMITER_NAMES = {"\t": "tabs", ";": "semicolons", "|": "vertical bars"}


# A last line no real file holds: if it comes back inside a cell, a quote was left open.
_END_OF_FILE = "\x1f\x1eend of file\x1e\x1f"


def _parse(reader) -> Iterator[list[str]]:
    """A csv.reader's records, with its errors said in plain English and a line number."""
    started = 1
    try:
        for row in reader:
            if row and _END_OF_FILE in row[-1]:
                if row == [_END_OF_FILE]:
                    return
                raise UnreadableFile(
                    f"The file ends inside a quoted cell that starts on line {started}: a "
                    'quotation mark (") has no partner, so the lines after it were swallowed '
                    "into one cell. The file may have been cut short; please send it again.",
                    row=started,
                )
            yield row
            started = reader.line_num + 1
    except csv.Error as error:
        line = reader.line_num
        if "field larger than field limit" in str(error):
            message = (
                f"A cell running up to line {line} is longer than {csv.field_size_limit():,} "
                'characters, too long to be real: a quotation mark (") is probably missing its '
                "partner, so everything after it was read as one cell."
            )
        else:
            message = f"Line {line} could not be read as CSV ({error})."
        raise UnreadableFile(message, row=line) from error
