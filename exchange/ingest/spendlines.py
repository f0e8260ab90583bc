"""Spend lines as COPY text, built from pieces worked out once per supplier.

A spend file repeats a few thousand suppliers a million times, and half the columns of a line
(the supplier's name, numbers and postcode, and where it is placed) depend only on the supplier.
``SpendLines`` places each distinct supplier once (``SupplierRegister.place_many``), keeps its
columns as one ready piece of COPY text, and writes each line as its own cells and that piece.
The rows come from ``RowValidator.validate_values`` (``text``), or a frame at a time from
``ColumnValidator.check`` (``frame_text``, where polars joins each line to its supplier's piece
and writes the text); the result is the same as placing dict rows with ``place_spend_lines``
and copying them column by column.
"""

import io
from operator import itemgetter

import polars as pl

from exchange.repositories.copytext import TextMemo, copy_text
from exchange.services.aggregates.spend_totals import LineTotals
from exchange.services.directory.geography import Locator
from exchange.services.directory.suppliers import PLACED, SupplierRegister
from exchange.validate.cells import INVALID, Flag
from exchange.validate.columns import ROW, VALID, ColumnValidator, text_column, value_column

# The line's own cells, then the supplier's, then what placing the supplier adds.
OWN = ("payment_date", "amount", "expense_type", "service_area", "transaction_reference",
       "irrecoverable_vat", "capital_revenue", "procurement_card")
SUPPLIER = ("supplier_name", "supplier_id", "company_number", "charity_number", "vat_number",
            "supplier_postcode", "supplier_name_normalised", "redacted")
COLUMNS = ("return_id", "row_number", *OWN, *SUPPLIER, *PLACED)
# What placing reads from a row: postcode, redacted, org id, supplier id, normalised name.
_PLACE_KEY = ("supplier_postcode", "redacted", "org_id", "supplier_id", "supplier_name_normalised")
_SUPPLIER_CELLS = ("supplier_name", "supplier_id", "company_number", "charity_number",
                   "vat_number", "supplier_postcode")  # as written in the file
# What placing gives that the aggregates need (`aggregates.LineTotals.FRAME_COLUMNS`).
_AGGREGATED = ("location_status", "lad_code", "location_source", "sme", "vcse", "supplier_key")
_AGGREGATED_TYPES = (pl.String, pl.String, pl.String, pl.Boolean, pl.Boolean, pl.String)
_MEMO_LIMIT = 200_000  # distinct suppliers (and repeated cells) remembered per ingestion


class SpendLines:
    """COPY text for batches of one return's validated spend rows (tuples in ``columns``)."""

    def __init__(self, columns: tuple[str, ...], return_id: int, locator: Locator,
                 register: SupplierRegister):
        self.columns = columns
        self.return_id = return_id
        at = {name: i for i, name in enumerate(columns)}
        self.own = itemgetter(*(at[name] for name in OWN))
        self.supplier = itemgetter(*(at[name] for name in (*SUPPLIER, "org_id")))
        self.place_key = itemgetter(*(at[name] for name in _PLACE_KEY))
        self.prefix = f"{return_id}\t"
        self.locator, self.register = locator, register
        self.pieces: dict[tuple, str] = {}  # supplier cells -> their COPY text and placing
        self.placed: dict[tuple, tuple] = {}  # supplier cells -> what the aggregates need
        self.suppliers: pl.DataFrame | None = None  # the same, by the cells as written
        # Cells that repeat; amounts and references are nearly all different, so not these.
        self.dates, self.expenses, self.services = TextMemo(), TextMemo(), TextMemo()
        self.vat, self.flags = TextMemo(), TextMemo()

    def text(self, batch: list[tuple[int, tuple]]) -> str:
        """The COPY text of (row number, row) pairs, one line each."""
        pieces = self.pieces
        if len(pieces) > _MEMO_LIMIT:
            self._forget()
        suppliers = [self.supplier(row) for _, row in batch]
        if unplaced := set(suppliers).difference(pieces):
            self._place({supplier: self.place_key(row)
                         for (_, row), supplier in zip(batch, suppliers, strict=True)
                         if supplier in unplaced})
        dates, expenses, services = self.dates, self.expenses, self.services
        vat, flags, own, prefix = self.vat, self.flags, self.own, self.prefix
        lines = []
        for (number, row), supplier in zip(batch, suppliers, strict=True):
            paid, amount, expense, service, reference, irrecoverable, cap_rev, card = own(row)
            lines.append(
                # !s: str() of a Decimal is several times quicker than format()
                f"{prefix}{number}\t{dates[paid]}\t{amount!s}\t{expenses[expense]}\t"
                f"{services[service]}\t{copy_text(reference)}\t{vat[irrecoverable]}\t"
                f"{flags[cap_rev]}\t{flags[card]}\t{pieces[supplier]}\n")
        return "".join(lines)

    def frame_text(self, frame: pl.DataFrame, checker: ColumnValidator,
                   totals: LineTotals | None = None) -> memoryview:
        """The COPY text of the valid rows of a slice checked by ``checker``: each distinct
        supplier (by its cells as written) placed once, then joined to its lines. The lines
        are also added to ``totals``."""
        given = [name for name in _SUPPLIER_CELLS if name in frame.columns]
        needed = [ROW, *(text_column(name) for name in OWN), value_column("amount"), *given]
        frame = frame.filter(pl.col(VALID)).select(needed) if not frame[VALID].all() \
            else frame.select(needed)
        if not given:  # a file without supplier columns never gets this far: name is required
            raise ValueError("spend rows need a supplier name")
        if self.suppliers is not None and self.suppliers.height > _MEMO_LIMIT:
            self.suppliers = None
            self._forget()
        known = self.suppliers
        new = frame.select(given).unique()
        if known is not None:
            new = new.join(known.select(given), on=given, how="anti", nulls_equal=True)
        if new.height:
            known = self._add_suppliers(new, given, checker)
        frame = frame.join(known, on=given, how="left", nulls_equal=True)
        if totals is not None:
            pence = (pl.col(value_column("amount")) * 100).cast(pl.Int64)
            totals.add(frame.select(pence.alias("pence"), *_AGGREGATED))
        out = io.BytesIO()
        frame.select(pl.lit(self.return_id).alias("return_id"), ROW,
                     *(text_column(name) for name in OWN), "piece").write_csv(
            out, include_header=False, separator="\t", quote_style="never")
        return out.getbuffer()

    def _add_suppliers(self, new: pl.DataFrame, given: list[str], checker: ColumnValidator
                       ) -> pl.DataFrame:
        """Place suppliers not seen before (by their cells as written) and remember their
        COPY text and what the aggregates need."""
        rows = [self._row(dict(zip(given, cells, strict=True)), checker)
                for cells in new.iter_rows()]
        keys = [self.supplier(row) for row in rows]
        if unplaced := {key: self.place_key(row) for key, row in zip(keys, rows, strict=True)
                        if key not in self.pieces}:
            self._place(unplaced)
        new = new.with_columns(
            pl.Series("piece", [self.pieces[key] for key in keys], dtype=pl.String),
            *(pl.Series(name, values, dtype=dtype) for name, dtype, values in zip(
                _AGGREGATED, _AGGREGATED_TYPES,
                zip(*(self.placed[key] for key in keys), strict=True), strict=True)))
        self.suppliers = new if self.suppliers is None else pl.concat([self.suppliers, new])
        return self.suppliers

    def _row(self, cells: dict[str, str], checker: ColumnValidator) -> list:
        """A row in the validator's ``columns`` with one supplier's values, from its cells as
        written in the file (the other columns empty)."""
        row = [None] * len(self.columns)
        at = self.columns.index
        for name in _SUPPLIER_CELLS:
            raw = cells.get(name)
            if name in checker.values:  # typed: converted once by the checker
                value = checker.values[name].get(raw) if raw is not None else None
                value = value.value if value.__class__ is Flag else value
            else:
                value = checker.validator.text_value(name, raw)
            row[at(name)] = None if value is INVALID else value
        derived = checker.validator.derived(tuple(row[at(name)] for name in (
            "supplier_name", "company_number", "charity_number")))
        for name, value in zip(("supplier_name_normalised", "org_id", "redacted"), derived,
                               strict=False):
            row[at(name)] = value
        return row

    def _place(self, new: dict[tuple, tuple]) -> None:
        placings = self.register.place_many(list(new.values()), self.locator)
        for supplier, placed in zip(new, placings, strict=True):
            cells = supplier[:-1] + tuple(placed[name] for name in PLACED)
            self.pieces[supplier] = "\t".join(map(copy_text, cells))
            self.placed[supplier] = tuple(placed[name] for name in _AGGREGATED)

    def _forget(self) -> None:
        for memo in (self.pieces, self.placed, self.dates, self.expenses, self.services,
                     self.vat, self.flags):
            memo.clear()
