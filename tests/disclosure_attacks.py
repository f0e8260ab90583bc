"""Attackers for the disclosure tests, written independently of exchange.feeds.disclosure."""

from fractions import Fraction


def rank(rows: list[list[Fraction]]) -> int:
    """Rank over the rationals by plain Gaussian elimination (written here, not imported)."""
    matrix = [list(r) for r in rows]
    found = 0
    for col in range(len(matrix[0]) if matrix else 0):
        pivot = next((i for i in range(found, len(matrix)) if matrix[i][col] != 0), None)
        if pivot is None:
            continue
        matrix[found], matrix[pivot] = matrix[pivot], matrix[found]
        for i in range(len(matrix)):
            if i != found and matrix[i][col] != 0:
                factor = matrix[i][col] / matrix[found][col]
                matrix[i] = [a - factor * b for a, b in zip(matrix[i], matrix[found], strict=True)]
        found += 1
    return found


def recovered(published: list[frozenset], targets: dict) -> set:
    """The strongest linear attacker: a target (a set of atoms whose sum it wants) is recovered
    when its vector is a combination of the published cells' vectors (adding it leaves the rank
    unchanged). ``targets`` maps a name to its atoms."""
    atoms = sorted({a for cell in published for a in cell} |
                   {a for cell in targets.values() for a in cell}, key=repr)

    def vector(cell):
        return [Fraction(1 if a in cell else 0) for a in atoms]

    rows = [vector(cell) for cell in published]
    base = rank(rows)
    return {name for name, cell in targets.items() if rank([*rows, vector(cell)]) == base}


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

    rows = [vector(cell) for cell in published]
    base = rank(rows)
    return {name for name, cell in targets.items() if rank([*rows, vector(cell)]) == base}
