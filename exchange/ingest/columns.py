"""Check and write spend rows read as columns (polars), a chunk at a time: while the database
stores one chunk, this process reads and checks the next."""

from collections.abc import Callable
from decimal import Decimal

import polars as pl

from exchange.ingest.receipts import IssueLog
from exchange.validate import RowValidator
from exchange.validate.columns import VALID, ColumnValidator, value_column
from exchange.validate.totals import TotalLines
from partners.formats.columns import ColumnReader


class ColumnPath:
    """The rows of a `ColumnReader`, each chunk checked by `ColumnValidator` (the row
    validator's rules a column at a time) and written as one frame."""

    def __init__(self, reader: ColumnReader):
        self.reader = reader
        self.fields = reader.fields

    def run(self, validator: RowValidator, writer, issues: IssueLog, tell: Callable[[], None],
            dry_run: bool, totals: TotalLines | None) -> tuple[int, Decimal]:
        checker = ColumnValidator(validator, writer.texts)
        rows, total = 0, Decimal("0.00")
        for frame in self.reader:
            checked = totals.check_frame(
                checker.check(frame, issues.room, plain=self.reader.plain_text), total)
            issues.extend(checked.issues)
            for code, unlisted in checked.unlisted.items():
                issues.count_warnings(code, unlisted.len())
            rows += checked.frame.height
            total += checked.frame.filter(pl.col(VALID))[value_column("amount")].sum() or 0
            if not (issues.errors or dry_run):
                writer.write_frame(checked.frame, checker)
            tell()
        return rows, total

    def finish(self, table) -> None:
        table.notes.extend(self.reader.notes)
        table.skipped.extend(self.reader.skipped)

    def line_totals(self, writer):
        return writer.totals
