"""Lines summed by supplier number and band as they come, in arrays (numpy) indexed by both.

A supplier's number is its row: a line is added where its number and band meet, so summing a
million lines into 200,000 suppliers costs a few milliseconds a frame, where grouping them
(polars' hash grouping) took half a second at the end. Numbers are small and dense (the writer
numbers each distinct supplier from 0, `SpendLines`), so the arrays are as long as the suppliers
are many."""

import numpy as np


class SupplierBands:
    """Per supplier number and band: the net amount, the negative amounts, and the lines, in
    pence. ``bands``: the lowest amount of each band in pence, ascending from 0; a line is in
    the highest band its absolute amount reaches."""

    def __init__(self, bands: list[int]):
        self.bands = np.array(bands, dtype=np.int64)
        self.amount = np.zeros((0, len(bands)), dtype=np.int64)
        self.credit = np.zeros_like(self.amount)
        self.lines = np.zeros_like(self.amount)

    def add(self, suppliers: np.ndarray, pence: np.ndarray) -> None:
        """Lines given as their suppliers' numbers and their amounts, in pence."""
        if suppliers.size == 0:
            return
        self._room(int(suppliers.max()) + 1)
        band = np.searchsorted(self.bands, np.abs(pence), side="right") - 1
        at = suppliers.astype(np.intp) * len(self.bands) + band  # the cell, arrays flattened
        np.add.at(self.amount.reshape(-1), at, pence)
        np.add.at(self.credit.reshape(-1), at, np.minimum(pence, 0))
        np.add.at(self.lines.reshape(-1), at, 1)

    def _room(self, suppliers: int) -> None:
        """Grow the arrays to hold ``suppliers`` numbers, doubling so that growing costs
        little however the numbers arrive."""
        if suppliers <= len(self.amount):
            return
        rows = max(suppliers, 2 * len(self.amount))
        for name in ("amount", "credit", "lines"):
            now = getattr(self, name)
            grown = np.zeros((rows, now.shape[1]), dtype=np.int64)
            grown[:len(now)] = now
            setattr(self, name, grown)

    def grouped(self, numbers: np.ndarray, groups: np.ndarray, count: int
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The sums of the suppliers ``numbers``, each in its group of ``groups`` (0 to
        ``count`` - 1, alike where two numbers were given to the same supplier): amount,
        credit and lines per group and band."""
        known = numbers < len(self.amount)  # a supplier described but not paid has no row
        numbers, groups = numbers[known].astype(np.intp), groups[known]
        amount, credit, lines = (add_rows(sums[numbers], groups, count)
                                 for sums in (self.amount, self.credit, self.lines))
        return amount, credit, lines


def add_rows(rows: np.ndarray, groups: np.ndarray, count: int) -> np.ndarray:
    """The ``rows`` of a 2-D array added up by their ``groups`` (0 to ``count`` - 1): the
    rows themselves where each is its own group, as most suppliers are."""
    if count == len(groups) and np.array_equal(groups, np.arange(count)):
        return rows
    summed = np.zeros((count, rows.shape[1]), dtype=rows.dtype)
    at = (groups.astype(np.intp)[:, None] * rows.shape[1] + np.arange(rows.shape[1]))
    np.add.at(summed.reshape(-1), at.reshape(-1), rows.reshape(-1))
    return summed
