"""Spend lines as COPY text, built from pieces worked out once per supplier.

A spend file repeats a few thousand suppliers a million times, and half the columns of a line
(the supplier's name, numbers and postcode, and where it is placed) depend only on the supplier.
``SpendLines`` places each distinct supplier once (``SupplierRegister.place_frame``), keeps its
columns as one ready piece of COPY text, and writes each line as its own cells and that piece.
The rows come from ``RowValidator.validate_values`` (``text``), or a frame at a time from
``ColumnValidator.check`` (``frame_text``, where polars joins each line to its supplier's piece
and writes the text); the result is the same as placing dict rows with ``place_spend_lines``
and copying them column by column.

In ``frame_text`` a line meets its supplier by one integer, a hash of the supplier's cells:
joining on six text columns hashed them again for every slice, against every supplier met so
far. Each joined line's cells are compared with its supplier's; should two suppliers' cells ever
hash alike, the slice is joined again, and the rest of the file, on the cells as one text
(`_cells_text`). Each supplier is also numbered, and the aggregates sum lines by that number
(`LineTotals.describe`, `LineTotals.add_numbered`).
"""

import io
from operator import itemgetter

import polars as pl

from exchange import normalise as n
from exchange.normalise.memo import recall
from exchange.repositories.copytext import TextMemo, copy_text, copy_text_columns
from exchange.services.aggregates.spend_totals import LineTotals
from exchange.services.directory.geography import Locator
from exchange.services.directory.suppliers import PLACED, SupplierRegister
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
# PLACED as columns beside the supplier's own (whose org id is the one derived from its
# numbers; placing may find one elsewhere).
_PLACED_AS = tuple("placed_org_id" if name == "org_id" else name for name in PLACED)
_MEMO_LIMIT = 200_000  # distinct suppliers (and repeated cells) the row path remembers
_SUPPLIERS_LIMIT = 1_000_000  # distinct suppliers `frame_text` remembers (about 190 bytes each)
_KEY = "cells_key"  # a supplier's cells as written, as one value to join lines on


def _cells_hash(given: list[str]) -> pl.Expr:
    """The cells hashed together: quick to join on, but two suppliers' may be alike."""
    return pl.struct(given).hash()


def _cells_text(given: list[str]) -> pl.Expr:
    """The cells as one text no other cells give: each one's length in bytes (- for none),
    a colon, then the cell."""
    return pl.concat_str([pl.col(name).str.len_bytes().cast(pl.String).fill_null("-") + ":"
                          + pl.col(name).fill_null("") for name in given])


class SpendLines:
    """COPY text for batches of one return's validated spend rows (tuples in ``columns``)."""

    cells_key = staticmethod(_cells_hash)  # `_cells_text` once two suppliers' hash alike

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
        self.suppliers: pl.DataFrame | None = None  # the same, by the cells as written
        self.numbered = 0  # suppliers numbered for the aggregates (`LineTotals.describe`)
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
        if self.suppliers is not None and self.suppliers.height > _SUPPLIERS_LIMIT:
            self.suppliers = None
            self._forget()
        lines = self._join_suppliers(frame, given, checker, totals)
        if lines is None:  # two suppliers' cells hashed alike: key them by the cells instead
            self.cells_key = _cells_text
            self.suppliers = self.suppliers.with_columns(self.cells_key(given).alias(_KEY))
            lines = self._join_suppliers(frame, given, checker, totals)
        if totals is not None:
            pence = (pl.col(value_column("amount")) * 100).cast(pl.Int64)
            totals.add_numbered(lines.select(pence.alias("pence"), "supplier"))
        out = io.BytesIO()
        lines.select(pl.lit(self.return_id).alias("return_id"), ROW,
                     *(text_column(name) for name in OWN), "piece").write_csv(
            out, include_header=False, separator="\t", quote_style="never")
        return out.getbuffer()

    def _join_suppliers(self, frame: pl.DataFrame, given: list[str], checker: ColumnValidator,
                        totals: LineTotals | None) -> pl.DataFrame | None:
        """The lines with their supplier's number and piece, those not met before worked out
        first; None where a line's key led to another supplier's cells."""
        frame = frame.with_columns(self.cells_key(given).alias(_KEY))
        known, new = None, frame
        if self.suppliers is not None:
            known, keys = recall(self.suppliers, _KEY, frame[_KEY].unique())
            new = frame.filter(pl.col(_KEY).is_in(keys.implode()))
        if known is None or not new.is_empty():
            added = self._add_suppliers(new.select(_KEY, *given).unique(subset=_KEY), given,
                                        checker, totals)
            known = added if known is None else pl.concat([known, added])
        lines = frame.join(known.select(_KEY, "supplier", "piece", *given), on=_KEY,
                           how="left", suffix="_known")
        same = pl.all_horizontal(pl.col(name).eq_missing(pl.col(f"{name}_known"))
                                 for name in given)
        return lines if lines.select(same.all()).item() else None

    def _add_suppliers(self, new: pl.DataFrame, given: list[str], checker: ColumnValidator,
                       totals: LineTotals | None) -> pl.DataFrame:
        """Work out the suppliers not seen before (by their cells as written) a column at a
        time: their values as the checker read them, the columns derived from them, where
        they are placed, and their COPY text as one piece.
        Each is numbered, and described to ``totals``. Returns them as they are kept."""
        cells = new.with_columns(pl.lit(None, pl.String).alias(name)
                                 for name in _SUPPLIER_CELLS if name not in given)
        supplier = pl.DataFrame([checker.values_of(name, cells[name])
                                 for name in _SUPPLIER_CELLS])
        keys = n.supplier_name_keys(supplier["supplier_name"])
        supplier = supplier.with_columns(
            supplier_name_normalised=pl.when(keys["redacted"] | (keys["normalised"] == ""))
            .then(None).otherwise(keys["normalised"]),
            redacted=keys["redacted"], org_id=_org_ids(supplier))
        # Each placed as it is: two suppliers written apart are nearly always placed apart.
        supplier = supplier.hstack(self.register.place_frame(supplier.select(_PLACE_KEY),
                                                             self.locator)
                                   .rename({"org_id": "placed_org_id"}))
        piece = pl.concat_str(copy_text_columns(supplier, (*SUPPLIER, *_PLACED_AS)),
                              separator="\t")
        number = pl.int_range(self.numbered, self.numbered + new.height, dtype=pl.UInt32)
        self.numbered += new.height
        new = new.with_columns(number.alias("supplier"),
                               supplier.select(piece.alias("piece")).to_series())
        if totals is not None:
            totals.describe(supplier.select(*_AGGREGATED).hstack(new.select("supplier")))
        self.suppliers = new if self.suppliers is None else pl.concat([self.suppliers, new])
        return new

    def _place(self, new: dict[tuple, tuple]) -> None:
        """Place suppliers given by their cells (rows), and keep their COPY text."""
        placings = self.register.place_rows(list(new.values()), self.locator)
        for supplier, placed in zip(new, placings, strict=True):
            self.pieces[supplier] = "\t".join(map(copy_text, supplier[:-1] + placed))

    def _forget(self) -> None:
        for memo in (self.pieces, self.dates, self.expenses, self.services,
                     self.vat, self.flags):
            memo.clear()


def _org_ids(supplier: pl.DataFrame) -> pl.Expr:
    """The org id a supplier's company or charity number gives (`normalise.org_id`): each
    distinct charity number worked out once."""
    charities = supplier["charity_number"].drop_nulls().unique().to_list()
    by_charity = pl.col("charity_number").replace_strict(
        charities, [n.org_id(charity=c) for c in charities], default=None,
        return_dtype=pl.String)
    company = pl.col("company_number")
    return pl.when(company.is_not_null() & (company != "")).then("GB-COH-" + company) \
        .otherwise(by_charity)
