"""Find the heading row and decide which column feeds which standard field."""

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice

from partners.fields import AGGREGATES, FIELDS, REQUIRED, normalise_header
from partners.headings import expand, loosen
from partners.limits import ReadLimits, too_many_columns
from partners.profile import Profile
from partners.table import Column, MissingColumns, UnreadableFile
from schemas.issues import column_letter

MAX_PREAMBLE = 50  # report exports put titles and parameters above the headings
SAMPLES = 3  # rows below the headings shown beside them when the columns must be chosen by hand
SENT, SAVED = "sent", "saved"  # where a column mapping came from
NEAR_RANK = 1000  # a heading read as a near match loses to any in the table as written


@dataclass
class Layout:
    """The heading row found, the profile that read it, and the column for each field."""

    profile: Profile
    header_row: int
    header: list[str]
    columns: dict[str, Column]
    ignored: list[Column]
    notes: list[str] = field(default_factory=list)
    mapping: str | None = None  # SENT or SAVED when a column mapping chose columns
    headings_key: str = ""


@dataclass(frozen=True)
class Choice:
    """How to choose columns: the partner's configured overrides (their heading -> field), a
    mapping sent with the upload (field -> their heading), and the mappings the partner saved
    (headings_key -> mapping)."""

    overrides: Mapping[str, str] = field(default_factory=dict)
    sent: Mapping[str, str | None] = field(default_factory=dict)
    saved: Mapping[str, Mapping[str, str | None]] = field(default_factory=dict)

    def mapping_for(self, key: str) -> tuple[Mapping[str, str | None], str | None]:
        if self.sent:
            return self.sent, SENT
        if key in self.saved:
            return self.saved[key], SAVED
        return {}, None


@dataclass
class _Mapping:
    indexes: dict[str, int]
    alternatives: dict[str, list[int]]
    missing: list[tuple[str, ...]]
    unknown: int  # non-blank headings the profile did not recognise
    unmatched: list[tuple[str, str]] = field(default_factory=list)  # mapped (field, heading)
    near: set[int] = field(default_factory=set)  # columns read as near matches


def headings_key(cells: Sequence[str]) -> str:
    """The same for two heading rows with the same headings in any order, case or spacing."""
    names = sorted({name for name in map(normalise_header, cells) if name})
    return hashlib.sha256("\x1f".join(names).encode()).hexdigest()


def map_columns(
    header: Sequence[str], kind: str, profile: Profile, overrides: Mapping[str, str],
    mapped: Mapping[str, str | None] | None = None,
) -> _Mapping:
    """Assign columns to fields: a column mapping first, then overrides, then the profile's
    preferred names. A field mapped to no heading is not read from any column."""
    names = [normalise_header(cell) for cell in header]
    indexes: dict[str, int] = {}
    taken: set[int] = set()
    unmatched: list[tuple[str, str]] = []
    for field_name, theirs in (mapped or {}).items():
        if not theirs:
            indexes[field_name] = -1  # read from nowhere; dropped below
            continue
        wanted = normalise_header(theirs)
        found = next((i for i, n in enumerate(names) if n == wanted and i not in taken), None)
        if found is None:
            unmatched.append((field_name, theirs))
        else:
            taken.add(found)
            indexes[field_name] = found
    for theirs, ours in overrides.items():
        wanted = normalise_header(theirs)
        found = next((i for i, n in enumerate(names) if n == wanted and i not in taken), None)
        if found is not None:
            taken.add(found)
            if ours:
                indexes.setdefault(ours, found)
    lookup = profile.lookup(kind)
    candidates: dict[str, list[tuple[int, int]]] = {}
    unknown = 0
    near: set[int] = set()
    for index, name in enumerate(names):
        if index in taken:
            continue
        if name in lookup:
            field_name, rank = lookup[name]
            candidates.setdefault(field_name, []).append((rank, index))
        elif name and not profile.strict and (close := _near(header[index], lookup)):
            field_name, rank = lookup[close]
            candidates.setdefault(field_name, []).append((NEAR_RANK + rank, index))
            near.add(index)
        elif name:
            unknown += 1
    alternatives: dict[str, list[int]] = {}
    for field_name, found in candidates.items():
        if field_name in indexes:
            continue
        found.sort()
        indexes[field_name] = found[0][1]
        if len(found) > 1:
            alternatives[field_name] = [index for _, index in found[1:]]
    indexes = {name: index for name, index in indexes.items() if index >= 0}
    missing = [group for group in REQUIRED[kind] if not any(f in indexes for f in group)]
    return _Mapping(indexes, alternatives, missing, unknown, unmatched,
                    near & set(indexes.values()))


def _near(heading: str, lookup: Mapping[str, tuple[str, int]]) -> str | None:
    """A heading of the table this one nearly is: its abbreviations written out, or its words in
    brackets left out."""
    for close in (expand(heading), loosen(heading)):
        if close in lookup:
            return close
    return None


def locate(
    records: Iterator[list[str]],
    first_number: int,
    kind: str,
    profiles: Sequence[Profile],
    choice: Choice,
    forced: bool,
    max_columns: int = ReadLimits.columns,
) -> tuple[Layout, Iterator[list[str]]]:
    """Read up to the heading row; return the layout and the records after it. A row wider
    than ``max_columns`` is refused before its cells are looked at."""
    seen: list[list[str]] = []
    best: tuple[tuple[int, int], int, list[str], _Mapping] | None = None
    unmatched: tuple[int, int, list[str], _Mapping] | None = None  # fewest mapped headings absent
    for offset, cells in enumerate(islice(records, MAX_PREAMBLE)):
        number = first_number + offset
        if len(cells) > max_columns:
            raise UnreadableFile(too_many_columns(len(cells), max_columns, f"Row {number:,}"),
                                 row=number)
        seen.append(cells)
        if not any(cell.strip() for cell in cells):
            continue
        key = headings_key(cells)
        mapped, source = choice.mapping_for(key)
        for profile in profiles:
            if not forced and profile.detect and not profile.detect(seen[:-1], cells):
                continue
            mapping = map_columns(cells, kind, profile, choice.overrides, mapped)
            if mapping.unmatched:  # a row without the headings the mapping names
                if unmatched is None or len(mapping.unmatched) < unmatched[0]:
                    unmatched = (len(mapping.unmatched), number, cells, mapping)
                continue
            score = (-len(mapping.missing), len(mapping.indexes))
            if best is None or score > best[0]:
                best = (score, number, cells, mapping)
            if mapping.missing or (not forced and profile.strict and mapping.unknown):
                continue
            layout = _layout(kind, profile, number, cells, mapping, choice.overrides, offset)
            layout.mapping, layout.headings_key = source, key
            if source == SAVED:
                layout.notes.append("The columns were chosen by the column mapping saved for "
                                    "files with these headings.")
            return layout, records
    if best is None and unmatched is not None:
        _, number, cells, mapping = unmatched
        raise _mapping_not_in_file(number, cells, mapping)
    if best is None:
        raise UnreadableFile("The file is empty: it has no rows with anything in them.")
    _, number, cells, mapping = best
    at = seen.index(cells)
    samples = [row for row in seen[at + 1:] if any(c.strip() for c in row)][:SAMPLES]
    raise _missing_columns(kind, number, cells, mapping, profiles[-1], samples)


def _mapping_not_in_file(number, cells, mapping) -> UnreadableFile:
    """The error for a column mapping naming headings the file does not have."""
    absent = "; ".join(f"'{theirs}' (for the {name.replace('_', ' ')})"
                       for name, theirs in mapping.unmatched)
    headings = [cell.strip() for cell in cells if cell.strip()]
    found = ", ".join(f"'{h}'" for h in headings[:30]) or "none"
    where = f" (row {number})" if number > 0 else ""
    return UnreadableFile(
        f"The column mapping names headings that are not in the file: {absent}. "
        f"The headings found{where} are: {found}.",
        row=number if number > 0 else None, code="columns.not_in_file")


def _layout(kind, profile, number, cells, mapping, overrides, preamble) -> Layout:
    """Columns, ignored columns and the notes that explain the choices made."""
    header = [cell.strip().lstrip("\ufeff") for cell in cells]
    columns = {
        name: Column(
            header[mapping.indexes[name]],
            column_letter(mapping.indexes[name]),
            mapping.indexes[name],
        )
        for name in FIELDS[kind]
        if name in mapping.indexes
    }
    used = set(mapping.indexes.values())
    ignored = [Column(h, column_letter(i), i) for i, h in enumerate(header) if h and i not in used]
    notes = []
    if preamble:
        lines = f"{preamble} lines" if preamble > 1 else "line"
        notes.append(f"The {lines} above the headings (row {number}) were not read.")
    for name, others in mapping.alternatives.items():
        chosen = columns[name]
        also = " and ".join(f"'{header[i]}' (column {column_letter(i)})" for i in others)
        were = "were" if len(others) > 1 else "was"
        notes.append(
            f"The {name.replace('_', ' ')} was taken from '{chosen.header}' "
            f"(column {chosen.letter}); {also} {were} not used for it."
        )
    if mapping.near:
        read = "; ".join(f"'{columns[name].header}' (column {columns[name].letter}) as the "
                         f"{name.replace('_', ' ')}" for name in columns
                         if columns[name].index in mapping.near)
        notes.append("Some headings are not in the hub's table as written and were read as near "
                     f"matches (abbreviations written out, words in brackets left out): {read}. "
                     "If any is wrong, send a column mapping with the file.")
    blank = [column_letter(i) for i, h in enumerate(header) if not h]
    if blank:
        which = f"Columns {', '.join(blank)} have" if len(blank) > 1 else f"Column {blank[0]} has"
        notes.append(f"{which} no heading and {'were' if len(blank) > 1 else 'was'} not read.")
    present = {normalise_header(h) for h in header}
    for theirs in overrides:
        if normalise_header(theirs) not in present:
            notes.append(f"The column '{theirs}' named in your settings is not in this file.")
    return Layout(profile, number, list(cells), columns, ignored, notes)


def _missing_columns(kind, number, cells, mapping, profile, samples) -> UnreadableFile:
    """The error for a file without the columns this kind of return cannot do without."""
    headings = [cell.strip() for cell in cells if cell.strip()]
    found = ", ".join(f"'{h}'" for h in headings[:30]) or "none"
    names = [normalise_header(h) for h in headings]
    if (
        kind == "spend"
        and "supplier_name" in mapping.indexes
        and "payment_date" not in mapping.indexes
        and any(name.startswith(AGGREGATES) for name in names)
    ):
        return UnreadableFile(
            f"This file is a summary by supplier (one total per supplier: {found}), not a list "
            "of individual payments. Please send one row per payment, with its payment date, "
            "amount and supplier name.",
            row=number if number > 0 else None,
        )
    wanted = []
    for group in mapping.missing:
        aliases = [a for name in group for a in profile.aliases.get(kind, {}).get(name, ())]
        unique = {normalise_header(alias): alias for alias in reversed(aliases)}
        examples = [f"'{unique[key]}'" for key in dict.fromkeys(map(normalise_header, aliases))][:4]
        what = " or ".join(name.replace("_", " ") for name in group)
        wanted.append(f"{what} (a heading such as {', '.join(examples)})" if examples else what)
    where = f" (row {number})" if number > 0 else ""  # JSON keys have no row of their own
    return MissingColumns(
        f"The file has no column for the {'; nor for the '.join(wanted)}. "
        f"The headings found{where} are: {found}.",
        row=number if number > 0 else None,
        headings=[cell.strip().lstrip("\ufeff") for cell in cells],
        samples=samples,
        found={name: index for name, index in mapping.indexes.items()},
    )
