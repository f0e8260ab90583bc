"""Check and write a table's rows one at a time (any kind, any file, any database)."""

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Protocol

import partners
from exchange.ingest.receipts import IssueLog
from exchange.validate import RowValidator
from exchange.validate.totals import TotalLines
from partners.rows import Rows
from schemas.issues import ERROR, Issue

BATCH = 20_000  # rows validated one by one, then written together


class LinePath(Protocol):
    """One way through check → write → totals; `RowPath` and `ColumnPath` are the two."""

    fields: tuple[str, ...]  # the fields the cells are for, in their order

    def run(self, validator: RowValidator, writer, issues: IssueLog, tell: Callable[[], None],
            dry_run: bool, totals: TotalLines | None) -> tuple[int, Decimal]:
        """Check every row, writing the valid ones while no row has had an error: the number
        of rows read and, for spend, the total amount of the valid ones."""

    def finish(self, table) -> None:
        """Add what the reading found (notes, rows set aside) to ``table``."""

    def line_totals(self, writer):
        """The aggregates summed while writing (`aggregates.LineTotals`), or None."""


class RowPath:
    """Every row validated one by one (`RowValidator.validate_values`)."""

    def __init__(self, table):
        self.source, self.fields = _cells(table)

    def run(self, validator: RowValidator, writer, issues: IssueLog, tell: Callable[[], None],
            dry_run: bool, totals: TotalLines | None) -> tuple[int, Decimal]:
        """Rows that are ``totals`` of the payments above them are left out."""
        rows, total = 0, Decimal("0.00")
        spend = validator.kind == "spend"
        amount_at = validator.columns.index("amount") if spend else 0
        batch: list[tuple[int, tuple]] = []
        validate = validator.validate_values
        follows = -1  # the row number after the last one: a gap tells totals a block starts
        for row_number, values in _readable_rows(self.source, issues):
            if row_number != follows and totals is not None:
                totals.gap(row_number, total)
            follows = row_number + 1
            row, found = validate(row_number, values)
            if row is None and totals is not None and totals.check_row(row_number, values,
                                                                       total):
                continue
            if found:
                issues.extend(found)
            rows += 1
            if rows % BATCH == 0:
                tell()
            if row is None:
                continue
            if spend:
                total += row[amount_at]
            if issues.errors == 0:
                batch.append((row_number, row))
                if len(batch) >= BATCH:
                    writer.write(batch)
                    batch = []
        if not (issues.errors or dry_run):
            writer.write(batch)
        return rows, total

    def finish(self, table) -> None:
        """The table's reader kept its notes and skipped rows itself."""

    def line_totals(self, writer):
        return None


def _cells(table) -> tuple[Iterator[tuple[int, tuple]], tuple[str, ...]]:
    """The table's rows as (row number, cells) and the fields the cells are for. Rows that come
    as tuples do (no dict per row); others (a workbook's) are taken apart here."""
    if isinstance(table.rows, Rows):
        return table.rows.tuples(), table.rows.fields
    fields = tuple(table.columns)
    return ((number, tuple(map(row.get, fields))) for number, row in table.rows), fields


def _readable_rows(rows, issues: IssueLog):
    """The adapter's rows until the file turns out unreadable part-way (a quote left open at the
    end, a cell too long to be real): that becomes an error of the return, not a crash."""
    try:
        yield from rows
    except partners.UnreadableFile as err:
        issues.add(Issue(ERROR, "file.unreadable", err.message, row=err.row, column=err.column))
