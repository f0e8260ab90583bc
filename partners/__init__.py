"""Partner adapters: read a partner's native file as rows of the shared standard's field names.

``read_table`` finds the format (CSV, XLSX, JSON) from the bytes, the heading row and the profile
(layout) from the headings, and streams rows of raw cell text keyed by standard field names. It maps
only: values are not converted or checked here.
"""

from dataclasses import dataclass
from typing import BinaryIO

from partners import rows as _rows
from partners import sniff
from partners.fields import FIELDS, KINDS, REQUIRED
from partners.formats import excel, jsonrows, text
from partners.headers import SAVED, SENT, Choice, headings_key, locate
from partners.hmt25k.adapter import PROFILE as HMT25K
from partners.lambeth.adapter import PROFILE as LAMBETH
from partners.limits import ReadLimits
from partners.profile import Profile
from partners.table import (
    Column,
    MissingColumns,
    Table,
    TextLayout,
    UnreadableFile,
    UnsupportedFormat,
)
from partners.template.adapter import PROFILE as TEMPLATE
from partners.transparency.adapter import PROFILE as TRANSPARENCY

# Auto-detection tries profiles that recognise their own layout first, then the strict template,
# then the catch-all transparency profile.
PROFILES: dict[str, Profile] = {
    profile.name: profile for profile in (LAMBETH, HMT25K, TEMPLATE, TRANSPARENCY)
}

__all__ = [
    "FIELDS",
    "KINDS",
    "PROFILES",
    "REQUIRED",
    "SAVED",
    "SENT",
    "Column",
    "MissingColumns",
    "Profile",
    "ReadLimits",
    "Table",
    "UnreadableFile",
    "UnsupportedFormat",
    "headings_key",
    "read_table",
]


@dataclass(frozen=True)
class _Request:
    """What the caller asked for, passed down unchanged."""

    kind: str
    candidates: list[Profile]
    choice: Choice
    forced: bool
    limits: ReadLimits


def read_table(
    stream: BinaryIO,
    kind: str,
    *,
    filename: str | None = None,
    media_type: str | None = None,
    profile: str | None = None,
    overrides: dict[str, str] | None = None,
    columns: dict[str, str | None] | None = None,
    saved: dict[str, dict[str, str | None]] | None = None,
    limits: ReadLimits = ReadLimits(),
) -> Table:
    """Read a partner file (seekable binary stream) as a Table of standard field names.

    ``overrides`` (their heading -> field) come from the partner's configuration; ``columns``
    (field -> their heading, or None for "not in this file") is a mapping sent with the upload,
    and must name headings of the file; ``saved`` maps a ``headings_key`` to a mapping the
    partner saved for files with those headings, used when no mapping is sent. A file with a
    part bigger than ``limits`` allow is refused (`UnreadableFile`) while it is read."""
    overrides = _checked(kind, profile, overrides or {}, columns or {})
    # A partner's own profile is for the kinds it knows; their other returns are detected.
    forced = profile is not None and PROFILES[profile].supports(kind)
    candidates = [PROFILES[profile]] if forced else _auto_order(kind)
    choice = Choice(overrides, columns or {}, saved or {})
    request = _Request(kind, candidates, choice, forced, limits)
    sample = sniff.peek(stream)
    if not sample.strip():
        raise UnreadableFile("The file is empty.")
    fmt = sniff.detect_format(sample, filename, media_type)
    if fmt == "xlsx":
        return _read_workbook(stream, request)
    notes: list[str] = []
    if fmt == "json":
        records, first = jsonrows.records(stream, limits), 0
        notes.append("Row numbers count the rows in the JSON list, starting at 1.")
    else:
        records, first = text.records(stream, sample, notes, limits), 1
    return _table(iter(records), first, request, notes, fmt)


def _checked(kind: str, profile: str | None, overrides: dict[str, str],
             columns: dict[str, str | None]) -> dict[str, str]:
    """Reject a call the code (not the partner) got wrong: unknown kind, profile or field."""
    if kind not in FIELDS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    if profile is not None and profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; expected one of {', '.join(PROFILES)}")
    wrong = sorted(v for v in [*overrides.values(), *columns] if v and v not in FIELDS[kind])
    if wrong:
        raise ValueError(f"overrides name fields that {kind} returns do not have: {wrong}")
    return overrides


def _auto_order(kind: str) -> list[Profile]:
    """Self-detecting profiles, then strict ones, then the rest; only those that know the kind."""
    usable = [p for p in PROFILES.values() if p.supports(kind)]
    return sorted(usable, key=lambda p: 0 if p.detect else 1 if p.strict else 2)


def _table(records, first: int, request: _Request, notes: list[str], fmt: str, close=None):
    """Find the headings, then wrap the remaining records in the row reader."""
    layout, rest = locate(
        records, first, request.kind, request.candidates, request.choice, request.forced,
        request.limits.columns,
    )
    notes.extend(layout.notes)
    plain_text = None
    if isinstance(records, text.TextRecords) and not (
            layout.profile.prepare or records.cr_only or records.encoding == "utf-16"):
        plain_text = TextLayout(records.encoding, records.delimiter, tuple(layout.header),
                                records.lines_read + 1, layout.header_row + 1)
    if layout.profile.prepare:
        rest = layout.profile.prepare(rest, notes, len(layout.header))
    skipped: list[tuple[int, str]] = []
    strip = jsonrows.strip if fmt == "json" else str.strip
    rows = _rows.RowReader(layout, request.kind, skipped, notes, strip)(
        rest, layout.header_row + 1)
    return Table(
        profile=layout.profile.name,
        header_row=layout.header_row,
        columns=layout.columns,
        ignored=layout.ignored,
        rows=_closing(rows, close) if close else rows,
        skipped=skipped,
        notes=notes,
        format=fmt,
        text=plain_text,
        mapping=layout.mapping,
        headings_key=layout.headings_key,
        limits=request.limits,
    )


def _read_workbook(stream: BinaryIO, request: _Request) -> Table:
    """The first sheet (visible ones first) whose headings fit the kind of return."""
    book = excel.read_workbook(stream, request.limits)
    titles = book.titles()
    first_error = None
    for title in titles:
        notes = [f"Read the sheet '{title}'."] if len(titles) > 1 else []
        try:
            table = _table(book.records(title, request.limits), 1, request, notes, "xlsx",
                           close=book.close)
        except UnreadableFile as error:
            first_error = first_error or error
        else:
            table.sheet = title
            return table
    book.close()
    raise first_error or UnreadableFile("This Excel file has no sheets.")


def _closing(rows, close):
    """Yield the rows, then release the workbook, however iteration ends."""
    try:
        yield from rows
    finally:
        close()
