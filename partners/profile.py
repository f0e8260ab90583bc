"""A profile: which header texts mean which standard field, and how a layout is recognised."""

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from partners.fields import FIELDS, normalise_header
from partners.template.labels import LABELS

Records = Iterator[list[str]]
# (records, notes, header width) -> records; lets a partner profile repair its own broken rows.
Prepare = Callable[[Records, list[str], int], Records]
# (rows above the header, header cells) -> is this the profile's layout?
Detect = Callable[[list[list[str]], list[str]], bool]


@dataclass(frozen=True)
class Profile:
    """Header aliases per kind, most preferred first, plus optional detection and row repair."""

    name: str
    description: str
    aliases: Mapping[str, Mapping[str, tuple[str, ...]]]
    detect: Detect | None = None
    prepare: Prepare | None = None
    # Auto-detection picks a strict profile only when it recognises every heading in the file.
    strict: bool = False
    _lookup: dict = field(default_factory=dict, compare=False, repr=False)

    def lookup(self, kind: str) -> dict[str, tuple[str, int]]:
        """Normalised header -> (field, rank); a lower rank is preferred. The standard's own
        field names and template labels come last in every profile: a partner whose layout has
        a profile of its own can still send the hub's template."""
        if kind not in self._lookup:
            table: dict[str, tuple[str, int]] = {}
            for field_name, names in self.aliases.get(kind, {}).items():
                for rank, name in enumerate(names):
                    table.setdefault(normalise_header(name), (field_name, rank))
            last = 1 + max((len(names) for names in self.aliases.get(kind, {}).values()),
                           default=0)
            for field_name in FIELDS[kind]:
                for name in (field_name, LABELS[kind][field_name]):
                    table.setdefault(normalise_header(name), (field_name, last))
            self._lookup[kind] = table
        return self._lookup[kind]

    def supports(self, kind: str) -> bool:
        """Whether this profile knows any headers for this kind of return."""
        return bool(self.aliases.get(kind))


def merge_aliases(
    *tables: Mapping[str, Mapping[str, Iterable[str]]],
) -> dict[str, dict[str, tuple[str, ...]]]:
    """Join alias tables kind by kind, earlier tables' names first."""
    merged: dict[str, dict[str, list[str]]] = {}
    for table in tables:
        for kind, fields in table.items():
            for field_name, names in fields.items():
                merged.setdefault(kind, {}).setdefault(field_name, []).extend(names)
    return {
        kind: {name: tuple(aliases) for name, aliases in fields.items()}
        for kind, fields in merged.items()
    }
