"""A typed field's cells converted once per file for `ColumnValidator`: the distinct ones seen
(`KnownCells`), and the identifiers polars converts itself (`plain_rule`)."""

from collections.abc import Callable
from decimal import Decimal

import polars as pl

from exchange import normalise as n
from exchange.repositories.copytext import copy_text
from exchange.validate.cells import INVALID, Cell, Flag

MONEY = pl.Decimal(14, 2)
KNOWN_LIMIT = 200_000  # distinct cells of a typed field remembered per file
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


def plain_rule(cell: Cell) -> Rule | None:
    """The field's rule in `PLAIN_IDENTIFIERS`, if it has one and nothing else (a period, a
    minimum, a warning at zero) is asked of its value."""
    rule = PLAIN_IDENTIFIERS.get(cell.parse)
    if rule is None or cell.period is not None or cell.minimum is not None or cell.warn_if_zero:
        return None
    return rule


class KnownCells:
    """A typed field's distinct cells seen in the file, converted once: ``values`` (raw text
    -> value, `Flag` or INVALID), ``flags`` (those that are a `Flag`) and ``frame`` (raw,
    COPY text — "" for a value that could not be read — and, for money, the value)."""

    def __init__(self, cell, money: bool):
        self.cell, self.money = cell, money
        self.values: dict[str, object] = {}
        self.flags: dict[str, Flag] = {}
        self.frame = pl.DataFrame(schema={"raw": pl.String, "text": pl.String,
                                          **({"value": MONEY} if money else {})})

    @property
    def size(self) -> int:
        return self.frame.height

    def add(self, texts: pl.Series) -> None:
        """Convert the cells of ``texts`` not seen before."""
        new = texts.filter(~texts.is_in(self.frame["raw"].implode())).to_list()
        if not new:
            return
        convert, values, flags = self.cell.convert, self.values, self.flags
        final = []
        for text in new:
            value = values[text] = convert(text)
            if value.__class__ is Flag:
                flags[text] = value
                value = value.value
            final.append(value)
        columns = {"raw": new, "text": ["" if v is INVALID else copy_text(v) for v in final]}
        if self.money:
            columns["value"] = [v if isinstance(v, Decimal) else None for v in final]
        self.frame = pl.concat([self.frame, pl.DataFrame(columns, schema=self.frame.schema)])

    def values_of(self, texts: list) -> list:
        """The values these cells (seen before) were converted to: a flag's value; None for
        one that could not be read."""
        values = [None if text is None else self.values[text] for text in texts]
        return [value.value if value.__class__ is Flag else None if value is INVALID else value
                for value in values]
