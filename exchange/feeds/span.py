"""The span of 0/1 vectors (a cell's atoms) for disclosure control: is a suppressed cell a
combination of published ones, and of which? Sparse Gaussian elimination in echelon form.

Two kinds of number: exact rationals (the word that counts) and integers modulo the prime
2**61 - 1 (many times faster, for the search). Modulo a prime a vector can only look *more*
recoverable than it is, or (when the prime divides a minor, which for 0/1 vectors of this size
practically never happens) less; disclosure control searches with the fast kind and always
confirms with the exact kind before it stops."""

from collections.abc import Hashable
from fractions import Fraction

PRIME = (1 << 61) - 1


class Span:
    def __init__(self, exact: bool = False, track: bool = False):
        self.exact, self.track = exact, track
        self.rows: dict[Hashable, tuple[dict, dict]] = {}  # pivot atom -> (row, origin)
        self.order: dict[Hashable, int] = {}
        # With ``track``: the keys of cells that are a combination of other added cells (each in
        # some linear relation among the added vectors). Taking away one such cell leaves the
        # span as it was; taking away any other cell removes exactly its own direction.
        self.dependent: set[Hashable] = set()

    def add(self, atoms: frozenset, key: Hashable) -> None:
        """Add a published cell's vector; ``key`` names it in witnesses."""
        one = Fraction(1) if self.exact else 1
        rest, origin = self._reduce(self._vector(atoms), {key: one} if self.track else {})
        if not rest:
            self.dependent.update(origin)  # origin is a relation: every key in it is dependent
        else:
            pivot = min(rest, key=self.order.__getitem__)
            inverse = self._inverse(rest[pivot])
            self.rows[pivot] = ({a: self._norm(v * inverse) for a, v in rest.items()},
                                {k: self._norm(v * inverse) for k, v in origin.items()})

    def contains(self, atoms: frozenset) -> bool:
        return not self._reduce(self._vector(atoms), {})[0]

    def witness(self, atoms: frozenset) -> dict | None:
        """None when ``atoms`` is outside the span, else the cells combined to give it (with
        ``track``: their keys and coefficients)."""
        rest, origin = self._reduce(self._vector(atoms), {})
        return None if rest else {k: self._norm(-v) for k, v in origin.items()}

    def _vector(self, atoms: frozenset) -> dict:
        for atom in sorted(atoms, key=repr):
            self.order.setdefault(atom, len(self.order))
        one = Fraction(1) if self.exact else 1
        return {atom: one for atom in atoms}

    def _norm(self, value):
        return value if self.exact else value % PRIME

    def _inverse(self, value):
        return 1 / value if self.exact else pow(value, PRIME - 2, PRIME)

    def _reduce(self, vector: dict, origin: dict) -> tuple[dict, dict]:
        # Every row's entries lie at or after its pivot in ``order``, so eliminating pivots in
        # increasing order never brings back one already eliminated.
        done: set = set()
        while True:
            pending = [a for a in vector if a in self.rows and a not in done]
            if not pending:
                return vector, origin
            pivot = min(pending, key=self.order.__getitem__)
            factor = vector[pivot]
            row, row_origin = self.rows[pivot]
            self._axpy(vector, row, factor)
            if self.track:
                self._axpy(origin, row_origin, factor)
            done.add(pivot)

    def _axpy(self, target: dict, source: dict, factor) -> None:
        """target -= factor * source, dropping zeros."""
        for key, coef in source.items():
            value = self._norm(target.get(key, 0) - factor * coef)
            if value:
                target[key] = value
            else:
                target.pop(key, None)
