"""Total lines told by their amount: a row with no payment date and no supplier whose amount is
the sum of the payments above it (all of them, or those since the last total: a subtotal per
month or per directorate) is a total, not a payment. It is left out and named, never counted.

A total labelled in words ("Total", "Grand Total") is set aside earlier, while the file is read
(`partners.lines`); this catches the bare figure at the foot of a column, which only the checked
amounts can tell. Both reading paths use it: row by row (`check_row`) and as columns
(`check_frame`), with the same result.
"""

from decimal import Decimal

import polars as pl

from exchange.validate import RowValidator
from exchange.validate.cells import NOT_GIVEN_TEXT, Flag
from exchange.validate.columns import ROW, VALID, Checked, value_column
from partners.rows import TOTAL_LINE


class TotalLines:
    """Finds the total lines of one spend file, in row order; ``found`` is (row, reason).

    A block starts after any row the reader left out (a labelled subtotal, a blank row, a
    heading) and after each total found here: the row paths tell it of those gaps in the row
    numbers (`gap`), with the payments' total so far."""

    def __init__(self, validator: RowValidator, fields: tuple[str, ...]):
        self.amount = validator.cells["amount"]
        self._at = [fields.index(name) if name in fields else None
                    for name in ("payment_date", "supplier_name", "amount")]
        self.starts: list[tuple[int, Decimal]] = []  # (first row, payments' total before it)
        self.next_row = -1  # the row number that follows the last row seen
        self.found: list[tuple[int, str]] = []

    def gap(self, number: int, total: Decimal) -> None:
        """A block starts at row ``number``: rows before it were left out."""
        self.starts = [*self.starts[-_BLOCKS + 1:], (number, total)]

    def check_row(self, number: int, values: tuple, total: Decimal) -> bool:
        """Whether a row that failed validation is a total of the payments above it, whose
        ``total`` is given; if so it is recorded and must be left out."""
        date_at, name_at, amount_at = self._at
        if amount_at is None or not _blank(values, date_at) or not _blank(values, name_at):
            return False
        amount = self.amount.convert(values[amount_at])
        if amount.__class__ is Flag:  # £0.00 carries a warning, and is still an amount
            amount = amount.value
        return isinstance(amount, Decimal) and self._matches(number, amount, total)

    def check_frame(self, checked: Checked, total: Decimal) -> Checked:
        """The same for a frame of rows: ``checked`` without its total lines (nor their
        issues), given the payments' total before its first row; its gaps are blocks."""
        frame, value = checked.frame, value_column("amount")
        paid = pl.when(pl.col(VALID)).then(pl.col(value)).otherwise(None).fill_null(0)
        blank = [(pl.col(name) == "") | pl.col(name).is_in(sorted(NOT_GIVEN_TEXT))
                 for name in ("payment_date", "supplier_name") if name in frame.columns]
        gap = pl.col(ROW) != pl.col(ROW).shift(1, fill_value=self.next_row - 1) + 1
        candidate = ~pl.col(VALID) & pl.col(value).is_not_null() & pl.all_horizontal(blank) \
            if self._at[2] is not None else pl.lit(False)
        events = frame.select(ROW, gap.alias("gap"), candidate.alias("candidate"),
                              (paid.cum_sum() - paid).alias("before"), pl.col(value)
                              ).filter(pl.col("gap") | pl.col("candidate"))
        self.next_row = frame[ROW][-1] + 1 if frame.height else self.next_row
        left_out = []
        for number, starts, is_candidate, before, amount in events.iter_rows():
            if starts:
                self.gap(number, total + before)
            if is_candidate and self._matches(number, amount, total + before):
                left_out.append(number)
        if not left_out:
            return checked
        return Checked(frame.filter(~pl.col(ROW).is_in(left_out)),
                       [issue for issue in checked.issues if issue.row not in left_out],
                       checked.rows,
                       {code: rows.filter(~rows.is_in(left_out))
                        for code, rows in checked.unlisted.items()})

    def _matches(self, number: int, amount: Decimal, total: Decimal) -> bool:
        if amount == total:
            what = "of every payment above it"
        else:
            first = next((row for row, before in reversed(self.starts)
                          if amount == total - before), None)
            if first is None:
                return False
            what = f"of the payments from row {first:,} to the row above it"
        self.gap(number + 1, total)
        self.found.append((number, f"{TOTAL_LINE}: £{amount:,.2f} is the sum {what}, with no "
                                   "payment date or supplier, so not a payment"))
        return True


_BLOCKS = 20  # recent block starts a subtotal is checked against


def _blank(values: tuple, at: int | None) -> bool:
    if at is None:
        return True
    value = values[at]
    return value is None or (isinstance(value, str) and (
        not value.strip() or value.strip() in NOT_GIVEN_TEXT))
