"""Disclosure control across the versions of a release: a new version must not let anyone who
holds the earlier ones work out what changed in a cell when that change rests on fewer than 3
suppliers (or contributors), or on fewer than 5 people — one new £4,321.09 payment must not show
as the difference between two published totals.

Each atom (a partner's spend in one LAD…) gets, for every version in which its value changed, a
*change atom*: the atom's value in version k is its first value plus its changes up to k. A cell of
version k is the sum of its atoms' symbols at k. Earlier versions' published cells are public
(frozen: never suppressed again); their suppressed cells stay protected. The change of each cell
(and of each partner's atom) between consecutive versions is a hidden cell, sensitive by the same
rules. ``exchange.feeds.disclosure.protect`` then suppresses, in the new version only, enough cells
that no sensitive cell or change can be recovered from everything published."""

from decimal import Decimal

from exchange.feeds.datasets import KEYS
from exchange.feeds.disclosure import (
    PEOPLE,
    PEOPLE_MIN,
    SPEND,
    SUPPLIERS_MIN,
    Cell,
    is_sensitive,
    protect,
)

PARTNERS = "_partners"


def _cell_key(name: str, row: dict, field: str) -> tuple:
    """What identifies a cell in every version: dataset, row key (the atom, for a partner's
    share) and field."""
    if name == PARTNERS:
        [atom] = row["_cells"][field]["atoms"]
        return (name, atom, field)
    if name.startswith("_"):  # another hidden dataset: its cells are named by their atoms
        return (name, tuple(sorted(row["_cells"][field]["atoms"], key=repr)), field)
    return (name, tuple(row[f] for f in KEYS[name]), field)


def _cells_of(raw: dict) -> dict[tuple, tuple]:
    """cell key -> (value, meta) of one version's datasets before control."""
    out = {}
    for name, rows in raw.items():
        for row in rows:
            for field, meta in row.get("_cells", {}).items():
                out[_cell_key(name, row, field)] = (row[field], meta)
    return out


def _atom_values(cells: dict[tuple, tuple]) -> dict:
    return {next(iter(meta["atoms"])): value for key, (value, meta) in cells.items()
            if key[0] == PARTNERS}


def _change_sensitive(meta: dict, before: tuple | None, value) -> bool:
    """Whether the change of a cell from ``before`` to ``value`` gives someone away."""
    rule = meta["rule"] or (before[1]["rule"] if before else None)
    old_value, old_meta = before if before else (None, {"by": {}})
    if rule == PEOPLE:
        change = Decimal(value or 0) - Decimal(old_value or 0)
        return change != 0 and abs(change) < PEOPLE_MIN
    if rule == SPEND or "by" in meta:
        new, old = meta.get("by", {}), old_meta.get("by", {})
        moved = [k for k in set(new) | set(old) if new.get(k, 0) != old.get(k, 0)]
        return bool(moved) and len([k for k in moved if k]) < SUPPLIERS_MIN
    return False


def control_versions(history: list[tuple[dict, dict]], raw: dict) -> set[tuple]:
    """The (dataset, row index, field) of the new version's cells to suppress, given the
    earlier versions, oldest first, as (raw datasets rebuilt from their returns, {cell key:
    published?} of what was published: :func:`published_cells`)."""
    versions = [h[0] for h in history] + [raw]
    cells = [_cells_of(v) for v in versions]
    atoms = [_atom_values(c) for c in cells]
    changed = [set()] + [{a for a in set(atoms[i]) | set(atoms[i - 1])
                          if atoms[i].get(a, 0) != atoms[i - 1].get(a, 0)}
                         for i in range(1, len(versions))]

    def symbols(atom_set, k):
        out = set(atom_set)
        for j in range(1, k + 1):
            out |= {("change", a, j) for a in atom_set if a in changed[j]}
        return frozenset(out)

    found: list[Cell] = []
    last = len(versions) - 1
    for k, version in enumerate(cells):
        published = history[k][1] if k < last else {}
        for key, (value, meta) in version.items():
            hidden = key[0].startswith("_")
            sensitive = is_sensitive(meta["rule"], value, meta["count"])
            if k < last:
                shown = published.get(key, False) and not hidden
                found.append(Cell(("v", k, key), value, symbols(meta["atoms"], k),
                                  sensitive and not shown, hidden, frozen=shown,
                                  withheld=not shown))
            else:
                found.append(Cell(("v", k, key), value, symbols(meta["atoms"], k), sensitive,
                                  hidden, expendable=meta.get("expendable", False)))
            if k and meta["atoms"] & changed[k]:
                moved = frozenset(("change", a, k) for a in meta["atoms"] if a in changed[k])
                found.append(Cell(("change", k, key), None, moved,
                                  _change_sensitive(meta, cells[k - 1].get(key), value),
                                  hidden=True))
    suppressed = protect(c for c in found if c.sensitive or not c.hidden)
    mine = {key for tag, k, key in suppressed if tag == "v" and k == last}
    return {(name, index, field) for name, rows in raw.items()
            for index, row in enumerate(rows) for field in row.get("_cells", {})
            if _cell_key(name, row, field) in mine}


def published_cells(stored: dict[str, list[dict]]) -> dict[tuple, bool]:
    """{cell key: published?} of a stored release's datasets (name -> frozen rows)."""
    out = {}
    for name, rows in stored.items():
        for row in rows:
            withheld = set(row.get("suppressed") or [])
            for field in row:
                if field != "suppressed":
                    out[(name, tuple(row[f] for f in KEYS[name]), field)] = field not in withheld
    return out
