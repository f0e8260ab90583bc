"""A typed field's cells converted once per file for `ColumnValidator`: the distinct ones seen
(`KnownCells`), and the identifiers polars converts itself (`plain_rule`)."""

from collections.abc import Callable
from decimal import Decimal

import polars as pl

from exchange import normalise as n
from exchange.normalise.memo import recall
from exchange.repositories.copytext import copy_text, copy_text_column
from exchange.validate.cells import INVALID, Cell, Flag, parse_postcode

MONEY = pl.Decimal(14, 2)
KNOWN_LIMIT = 1_000_000  # distinct cells of a typed field remembered per file (a frame)
# An identifier's rule: which cells it takes (an expression of the raw text), and its value.
Rule = tuple[Callable[[pl.Expr], pl.Expr], Callable[[pl.Expr], pl.Expr]]
# Identifiers written plainly (`normalise.identifiers`): polars gives their value as their
# `Cell` would, so only the others are converted one by one.
PLAIN_IDENTIFIERS: dict[Callable, Rule] = {
    n.vat_number: (lambda raw: raw.str.contains(n.PLAIN_VAT_NUMBER),
                   lambda raw: raw.str.replace(r"^(?:GB|XI)", "")),
    n.company_number: (lambda raw: raw.str.contains(n.PLAIN_COMPANY_NUMBER)
                       & (raw.str.len_chars() <= 8),
                       lambda raw: raw.str.zfill(8)),
    n.charity_number: (lambda raw: raw.str.contains(n.PLAIN_CHARITY_NUMBER), lambda raw: raw),
}
# Converters polars runs on a field's new distinct cells (`KnownCells.add`), too dear to run on
# every row as the rules above are: the value of each cell they read, none for the others,
# which go one by one through the `Cell` (to be told what is wrong with them).
COLUMN_CONVERTERS: dict[Callable, Callable[[pl.Expr], pl.Expr]] = {
    parse_postcode: n.canonical_postcodes,
}


def plain_rule(cell: Cell) -> Rule | None:
    """The field's rule in `PLAIN_IDENTIFIERS`, if it has one and nothing else is asked of its
    value (`_only_parsed`)."""
    return PLAIN_IDENTIFIERS.get(cell.parse) if _only_parsed(cell) else None


def _only_parsed(cell: Cell) -> bool:
    """Whether a value read is all there is to a cell: no period, minimum or warning at zero."""
    return cell.period is None and cell.minimum is None and not cell.warn_if_zero


class KnownCells:
    """A typed field's distinct cells seen in the file, converted once: ``flags`` (raw text ->
    the `Flag` its cell gave) and ``frame``: ``raw``, ``text`` (COPY text; "" for a value that
    could not be read) and ``value`` (money's as MONEY, any other's as text; a flag's value,
    none for a value that could not be read)."""

    def __init__(self, cell, money: bool):
        self.cell, self.money = cell, money
        self.flags: dict[str, Flag] = {}
        self.frame = pl.DataFrame(schema={"raw": pl.String, "text": pl.String,
                                          "value": MONEY if money else pl.String})
        self.read = COLUMN_CONVERTERS.get(cell.parse) if _only_parsed(cell) else None

    @property
    def size(self) -> int:
        return self.frame.height

    def add(self, texts: pl.Series) -> pl.DataFrame:
        """Convert the cells of ``texts`` (distinct) not seen before: those a column converter
        reads at once, the rest one by one. Returns `frame`'s rows of all of them."""
        met, new = recall(self.frame, "raw", texts)
        if new.is_empty():
            return met
        added = []
        if self.read is not None:
            read = new.to_frame("raw").with_columns(self.read(pl.col("raw")).alias("value"))
            fits = (pl.col("value").str.len_chars() <= self.cell.max_length).fill_null(False)
            added.append(read.filter(fits).select(
                "raw", copy_text_column(pl.col("value"), pl.String).alias("text"), "value"))
            new = read.filter(~fits)["raw"]
        if not new.is_empty():
            added.append(self._converted(new.to_list()))
        self.frame = pl.concat([self.frame, *added])
        return pl.concat([met, *added])

    def _converted(self, new: list[str]) -> pl.DataFrame:
        """`frame`'s rows for cells converted one by one by the `Cell`."""
        convert, flags = self.cell.convert, self.flags
        final = []
        for text in new:
            value = convert(text)
            if value.__class__ is Flag:
                flags[text] = value
                value = value.value
            final.append(value)
        values = ([v if isinstance(v, Decimal) else None for v in final] if self.money else
                  [None if v is None or v is INVALID else str(v) for v in final])
        return pl.DataFrame({"raw": new, "text": ["" if v is INVALID else copy_text(v)
                                                  for v in final], "value": values},
                            schema=self.frame.schema)

    def values_of(self, raw: pl.Series) -> pl.Series:
        """The value of each cell (seen before) of ``raw``, as ``frame`` holds it."""
        cells, _ = recall(self.frame, "raw", raw.drop_nulls().unique())
        return raw.replace_strict(cells["raw"], cells["value"], default=None,
                                  return_dtype=self.frame.schema["value"])
