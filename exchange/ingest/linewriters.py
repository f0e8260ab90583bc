"""Where an ingestion's validated rows go: placed (located, matched to the register) and
written to the return's lines, a batch at a time."""

from collections.abc import Sequence

from exchange.ingest.spendlines import COLUMNS as SPEND_COLUMNS
from exchange.ingest.spendlines import OWN, SpendLines
from exchange.services.aggregates.spend_totals import LineTotals, band_thresholds
from exchange.services.directory.geography import Locator
from exchange.services.directory.suppliers import (
    SupplierRegister,
    place_contribution_lines,
    place_spend_lines,
    place_supplier_lines,
)
from exchange.unit_of_work import UnitOfWork

Batch = list[tuple[int, tuple]]  # (row number, the validator's row in its ``columns``)


class DictLines:
    """Any kind, any database: each row as a dict of columns, placed, then written."""

    columns: Sequence[str] | None = None  # the table's own order

    def __init__(self, uow: UnitOfWork, kind: str, columns: tuple[str, ...], return_id: int,
                 partner_id: int, locator: Locator, register: SupplierRegister | None):
        self.uow, self.kind, self.names = uow, kind, columns
        self.return_id, self.partner_id = return_id, partner_id
        self.locator, self.register = locator, register

    def write(self, batch: Batch) -> None:
        names, return_id = self.names, self.return_id
        rows = [dict(zip(names, row, strict=True), return_id=return_id, row_number=number)
                for number, row in batch]
        if self.kind == "suppliers":
            for row in rows:
                row["partner_id"] = self.partner_id
            place_supplier_lines(rows, self.locator)
        elif self.kind == "spend":
            place_spend_lines(rows, self.locator, self.register)
        elif self.kind == "contributions":
            place_contribution_lines(rows, self.locator)
        self.uow.lines.write(self.kind, rows)


class SpendText:
    """Spend as COPY text, each supplier worked out once: down the COPY on PostgreSQL, read
    back as columns on SQLite (`LineRepository.write_text`)."""

    columns = SPEND_COLUMNS
    texts = OWN  # the cells written as they are; the supplier's come from its placing

    def __init__(self, uow: UnitOfWork, columns: tuple[str, ...], return_id: int,
                 locator: Locator, register: SupplierRegister):
        self.uow = uow
        self.lines = SpendLines(columns, return_id, locator, register)
        # Summed from frames as they are written (before the COPY holds the connection).
        self.totals = LineTotals(band_thresholds(uow))

    def write(self, batch: Batch) -> None:
        self.uow.lines.write_text(self.lines.text(batch))

    def write_frame(self, frame, checker) -> None:
        """A frame of rows checked as columns (`exchange.validate.columns`), summed into
        ``totals`` as it goes."""
        self.uow.lines.write_text(self.lines.frame_text(frame, checker, self.totals))


def line_writer(uow: UnitOfWork, kind: str, columns: tuple[str, ...], return_id: int,
                partner_id: int, locator: Locator, register: SupplierRegister | None,
                text: bool = False):
    """The fastest writer that fits the kind and the submission's path: ``text`` when its
    lines stream down a COPY or are read as columns (`exchange.ingest.Choice`); the line
    repository takes COPY text on either database."""
    if kind == "spend" and text and register is not None:
        return SpendText(uow, columns, return_id, locator, register)
    return DictLines(uow, kind, columns, return_id, partner_id, locator, register)
