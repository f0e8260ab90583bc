"""Find the heading row and decide which column feeds which standard field."""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice

from partners.fields import AGGREGATES, FIELDS, REQUIRED, normalise_header
from partners.profile import Profile
from partners.table import Column, UnreadableFile
from schemas.issues import column_letter

MAX_PREAMBLE = 50  # report exports put titles and parameters above the headings


@dataclass
class Layout:
    """The heading row found, the profile that read it, and the column for each field."""

    profile: Profile
    header_row: int
    header: list[str]
    columns: dict[str, Column]
    ignored: list[Column]
    notes: list[str] = field(default_factory=list)


@dataclass
class _Mapping:
    indexes: dict[str, int]
    alternatives: dict[str, list[int]]
    missing: list[tuple[str, ...]]
    unknown: int  # non-blank headings the profile did not recognise


def map_columns(
    header: Sequence[str], kind: str, profile: Profile, overrides: dict[str, str]
) -> _Mapping:
    """Assign columns to fields: overrides first, then the profile's preferred names."""
    names = [normalise_header(cell) for cell in header]
    indexes: dict[str, int] = {}
    taken: set[int] = set()
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
    for index, name in enumerate(names):
        if index in taken:
            continue
        if name in lookup:
            field_name, rank = lookup[name]
            candidates.setdefault(field_name, []).append((rank, index))
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
    missing = [group for group in REQUIRED[kind] if not any(f in indexes for f in group)]
    return _Mapping(indexes, alternatives, missing, unknown)


def locate(
    records: Iterator[list[str]],
    first_number: int,
    kind: str,
    profiles: Sequence[Profile],
    overrides: dict[str, str],
    forced: bool,
) -> tuple[Layout, Iterator[list[str]]]:
    """Read up to the heading row; return the layout and the records after it."""
    seen: list[list[str]] = []
    best: tuple[tuple[int, int], int, list[str], _Mapping] | None = None
    for offset, cells in enumerate(islice(records, MAX_PREAMBLE)):
        seen.append(cells)
        if not any(cell.strip() for cell in cells):
            continue
        number = first_number + offset
        for profile in profiles:
            if not forced and profile.detect and not profile.detect(seen[:-1], cells):
                continue
            mapping = map_columns(cells, kind, profile, overrides)
            score = (-len(mapping.missing), len(mapping.indexes))
            if best is None or score > best[0]:
                best = (score, number, cells, mapping)
            if mapping.missing or (not forced and profile.strict and mapping.unknown):
                continue
            layout = _layout(kind, profile, number, cells, mapping, overrides, offset)
            return layout, records
    if best is None:
        raise UnreadableFile("The file is empty: it has no rows with anything in them.")
    _, number, cells, mapping = best
    raise _missing_columns(kind, number, cells, mapping, profiles[-1])


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
    blank = [column_letter(i) for i, h in enumerate(header) if not h]
    if blank:
        which = f"Columns {', '.join(blank)} have" if len(blank) > 1 else f"Column {blank[0]} has"
        notes.append(f"{which} no heading and {'were' if len(blank) > 1 else 'was'} not read.")
    present = {normalise_header(h) for h in header}
    for theirs in overrides:
        if normalise_header(theirs) not in present:
            notes.append(f"The column '{theirs}' named in your settings is not in this file.")
    return Layout(profile, number, list(cells), columns, ignored, notes)


def _missing_columns(kind, number, cells, mapping, profile) -> UnreadableFile:
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
    return UnreadableFile(
        f"The file has no column for the {'; nor for the '.join(wanted)}. "
        f"The headings found{where} are: {found}.",
        row=number if number > 0 else None,
    )
