"""Attackers for the disclosure tests, written independently of exchange.feeds.disclosure."""

from fractions import Fraction


def echelon(rows: list[list[Fraction]]) -> list[tuple[int, list[Fraction]]]:
    """The rows reduced by plain Gaussian elimination (written here, not imported): a basis of
    their span, each row with its pivot column and a 1 there, no two rows sharing a pivot."""
    basis: list[tuple[int, list[Fraction]]] = []
    for row in rows:
        rest = reduce(basis, row)
        pivot = next((i for i, a in enumerate(rest) if a != 0), None)
        if pivot is not None:
            basis.append((pivot, [a / rest[pivot] for a in rest]))
    return basis


def reduce(basis: list[tuple[int, list[Fraction]]], row: list[Fraction]) -> list[Fraction]:
    """What is left of ``row`` after taking away its part along each basis row in turn: all
    zeros exactly when ``row`` is a combination of the basis."""
    rest = list(row)
    for pivot, base in basis:
        if rest[pivot] != 0:
            factor = rest[pivot]
            rest = [a - factor * b for a, b in zip(rest, base, strict=True)]
    return rest


def in_span(basis, row: list[Fraction]) -> bool:
    return not any(reduce(basis, row))


def recovered(published: list[frozenset], targets: dict) -> set:
    """The strongest linear attacker: a target (a set of atoms whose sum it wants) is recovered
    when its vector is a combination of the published cells' vectors (nothing is left of it
    after elimination). ``targets`` maps a name to its atoms."""
    atoms = sorted({a for cell in published for a in cell} |
                   {a for cell in targets.values() for a in cell}, key=repr)

    def vector(cell):
        return [Fraction(1 if a in cell else 0) for a in atoms]

    basis = echelon([vector(cell) for cell in published])
    return {name for name, cell in targets.items() if in_span(basis, vector(cell))}


def linear_attack(cells, suppressed: set) -> set:
    """``recovered`` over disclosure Cells: which suppressed ones give themselves away."""
    return recovered([c.atoms for c in cells if c.key not in suppressed],
                     {c.key: c.atoms for c in cells if c.key in suppressed})


def recovered_combinations(published: list[dict], targets: dict) -> set:
    """``recovered`` for signed combinations: each published cell and each target is a dict
    {unknown: coefficient}, so an attacker holding two versions can aim at a *difference*
    (the same atom in version 2 minus in version 1)."""
    unknowns = sorted({u for cell in published for u in cell} |
                      {u for cell in targets.values() for u in cell}, key=repr)

    def vector(cell):
        return [Fraction(cell.get(u, 0)) for u in unknowns]

    basis = echelon([vector(cell) for cell in published])
    return {name for name, cell in targets.items() if in_span(basis, vector(cell))}
