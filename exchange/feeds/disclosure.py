"""Disclosure control of a release: primary and secondary suppression. Pure Python, no database.

Every cell the feed publishes is a sum of *atoms*: one partner's spend with suppliers in one LAD,
one partner's SME spend, one partner's value of one measure, and so on. Which atoms make up which
cell is public knowledge (partners' places and kinds are published), so anyone can write the
published cells of a release as linear equations over the atoms and solve them. A suppressed cell
is safe exactly when its atom vector is *not* in the span of the published cells' vectors: no
combination of totals and other cells (within one table, across tables, across datasets) gives it.

``protect`` starts from the primary suppressions (people counts below 5, spend cells with fewer
than 3 distinct suppliers) and, while some suppressed cell can still be recovered, finds the
published cells its recovery uses and suppresses the smallest of them (preferring one that alone
protects it). This is the classic rule ("one suppressed cell in a row or column with a total:
suppress the next smallest too") generalised to linked tables. Every round suppresses at least
one more cell, so it ends, and it ends only when no suppressed cell can be recovered. Suppressed
cells are marked, never zeroed.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from exchange.feeds.span import Span

PEOPLE_MIN = 5  # people counts below this are suppressed
SUPPLIERS_MIN = 3  # spend cells with fewer distinct suppliers than this are suppressed

SPEND, PEOPLE = "spend", "people"
CANDIDATES = 8  # how many of the smallest cells of a recovery to try before taking the smallest


@dataclass(frozen=True)
class Cell:
    """One published number: ``key`` names it, ``atoms`` is what it is the sum of."""

    key: tuple
    value: Decimal | int | None
    atoms: frozenset
    sensitive: bool = False
    hidden: bool = False  # never published (a partner's share): suppressed from the start
    frozen: bool = False  # already published (an earlier version): public, never suppressed
    withheld: bool = False  # suppressed in an earlier version: suppressed from the start
    expendable: bool = False  # derived detail (the spend counted in shares): suppressed first


def is_sensitive(rule: str | None, value, count: int | None = None) -> bool:
    """The primary rule: ``people`` cells below 5, ``spend`` cells from fewer than 3 suppliers."""
    if rule == PEOPLE:
        return value is not None and value < PEOPLE_MIN
    if rule == SPEND:
        return (count or 0) < SUPPLIERS_MIN
    return False


def protect(cells: Iterable[Cell]) -> set[tuple]:
    """The keys of every cell to suppress: the sensitive ones and enough others to protect them."""
    cells = sorted((c for c in cells if c.atoms), key=lambda c: repr(c.key))
    suppressed = {c.key for c in cells
                  if (c.sensitive or c.hidden or c.withheld) and not c.frozen}
    for block in _blocks(cells):
        _protect_block(block, suppressed)
    return suppressed


def _protect_block(cells: list[Cell], suppressed: set[tuple]) -> None:
    by_key = {c.key: c for c in cells}
    lost: set = set()  # recoverable from frozen cells alone: nothing left to suppress
    while True:
        basis = _published(cells, suppressed, track=True)
        exposed = _open(_witnesses(cells, suppressed, basis), lost)
        if not exposed:
            basis = _published(cells, suppressed, track=True, exact=True)
            exposed = _open(_witnesses(cells, suppressed, basis), lost)
            if not exposed:
                return
        touched: set = set()
        for key in sorted(exposed, key=repr):
            target = by_key[key]
            if target.atoms & touched:
                continue  # a neighbour was suppressed this round: look again next round
            # The published cells the recovery uses, expendable ones first (a total is worth
            # more than the detail behind a share), then smallest first (empty cells last: they
            # usually belong to one partner and would need protecting themselves); cells an
            # earlier version published cannot be taken back.
            candidates = sorted((by_key[k] for k in exposed[key] if not by_key[k].frozen),
                                key=lambda c: (not c.expendable, _magnitude(c.value) == 0,
                                               _magnitude(c.value), repr(c.key)))
            if not candidates:
                lost.add(key)
                continue
            pick = _sufficient(basis, candidates[:CANDIDATES]) or candidates[0]
            suppressed.add(pick.key)
            touched |= target.atoms | pick.atoms


def _open(exposed: dict, lost: set) -> dict:
    return {k: v for k, v in exposed.items() if k not in lost}


def _blocks(cells: list[Cell]) -> list[list[Cell]]:
    """Cells fall apart into blocks that share no atoms; each is protected on its own."""
    parent: dict = {}

    def root(atom):
        while parent.setdefault(atom, atom) != atom:
            parent[atom] = parent[parent[atom]]
            atom = parent[atom]
        return atom

    for cell in cells:
        first, *rest = cell.atoms
        for atom in rest:
            parent[root(atom)] = root(first)
    blocks: dict = {}
    for cell in cells:
        blocks.setdefault(root(next(iter(cell.atoms))), []).append(cell)
    return list(blocks.values())


def _sufficient(basis: Span, candidates: list[Cell]) -> Cell | None:
    """The first candidate whose suppression alone protects the target they recover.

    Every candidate has a non-zero coefficient in the target's recovery. Every recovery of the
    target differs from that one by a linear relation among the published cells, so one that
    leaves a candidate out exists exactly when some relation holds that candidate, i.e. when it
    is a combination of the other published cells (``basis.dependent``). A candidate outside
    every relation is in every recovery: suppressing it alone protects the target."""
    return next((c for c in candidates if c.key not in basis.dependent), None)


def recoverable(cells: Iterable[Cell], suppressed: set[tuple]) -> set[tuple]:
    """The suppressed cells whose value follows from the published ones (exactly)."""
    cells = [c for c in cells if c.atoms]
    return set(_witnesses(cells, suppressed, _published(cells, suppressed, exact=True)))


def _published(cells: list[Cell], suppressed: set[tuple], track: bool = False,
               exact: bool = False) -> Span:
    """The span of the published cells' vectors (with ``track``: which cells each row uses)."""
    basis = Span(exact=exact, track=track)
    for cell in cells:
        if cell.key not in suppressed:
            basis.add(cell.atoms, cell.key)
    return basis


def _witnesses(cells: list[Cell], suppressed: set[tuple], basis: Span) -> dict[tuple, dict]:
    """For each recoverable suppressed cell, the published cells whose combination gives it
    away (when ``basis`` tracks them; else an empty dict)."""
    # A hidden cell only matters when it is sensitive; every suppressed published cell does.
    targets = [c for c in cells if c.key in suppressed and (c.sensitive or not c.hidden)]
    found = {}
    for cell in targets:
        witness = basis.witness(cell.atoms)
        if witness is not None:
            found[cell.key] = witness
    return found


def _magnitude(value) -> Decimal:
    return abs(Decimal(value)) if value is not None else Decimal(0)


def control(datasets: dict[str, list[dict]],
            suppressed: set[tuple] | None = None) -> tuple[dict[str, list[dict]], dict[str, int]]:
    """Apply ``protect`` across every dataset of a release at once (cells of different datasets
    are linked: flows add up to spend totals). Datasets whose name starts with ``_`` hold hidden
    cells, protected but never published. Rows come with ``"_cells"`` ({field: {"atoms",
    "rule", "count"}}) and leave without it, each with ``"suppressed"``: the fields withheld,
    whose values are None. Returns the rows and the number of suppressed cells per dataset.
    ``suppressed`` ((dataset, row index, field)) is the decision already taken across versions
    (exchange.feeds.versions), used instead of protecting this release alone."""
    cells = []
    for name, rows in datasets.items():
        for index, row in enumerate(rows):
            for field, meta in row.get("_cells", {}).items():
                value = row[field]
                cells.append(Cell((name, index, field), value, meta["atoms"],
                                  is_sensitive(meta["rule"], value, meta["count"]),
                                  hidden=name.startswith("_"),
                                  expendable=meta.get("expendable", False)))
    if suppressed is None:
        suppressed = protect(c for c in cells if c.sensitive or not c.hidden)
    out, counts = {}, {}
    for name, rows in datasets.items():
        if name.startswith("_"):
            continue  # never published
        out[name], counts[name] = [], 0
        for index, row in enumerate(rows):
            clean = {k: v for k, v in row.items() if k != "_cells"}
            hidden = sorted(f for f in row.get("_cells", {}) if (name, index, f) in suppressed)
            for field in hidden:
                clean[field] = None
            clean["suppressed"] = hidden
            counts[name] += len(hidden)
            out[name].append(clean)
    return out, counts
