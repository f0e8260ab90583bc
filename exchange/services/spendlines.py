"""Spend lines as COPY text, built from pieces worked out once per supplier.

A spend file repeats a few thousand suppliers a million times, and half the columns of a line
(the supplier's name, numbers and postcode, and where it is placed) depend only on the supplier.
``SpendLines`` places each distinct supplier once (``register.place_supplier``), keeps its
columns as one ready piece of COPY text, and writes each line as its own cells and that piece.
The rows come from ``RowValidator.validate_values``; the result is the same as placing dict rows
with ``place_spend_lines`` and copying them column by column.
"""

from operator import itemgetter

from exchange.repositories.copytext import TextMemo, copy_text
from exchange.services.geography import Locator
from exchange.services.register import PLACED, SupplierRegister, place_supplier

# The line's own cells, then the supplier's, then what placing the supplier adds.
OWN = ("payment_date", "amount", "expense_type", "service_area", "transaction_reference",
       "irrecoverable_vat", "capital_revenue", "procurement_card")
SUPPLIER = ("supplier_name", "supplier_id", "company_number", "charity_number", "vat_number",
            "supplier_postcode", "supplier_name_normalised", "redacted")
COLUMNS = ("return_id", "row_number", *OWN, *SUPPLIER, *PLACED)
# What placing reads from a row: postcode, redacted, org id, supplier id, normalised name.
_PLACE_KEY = ("supplier_postcode", "redacted", "org_id", "supplier_id", "supplier_name_normalised")
_MEMO_LIMIT = 200_000  # distinct suppliers (and repeated cells) remembered per ingestion


class SpendLines:
    """COPY text for batches of one return's validated spend rows (tuples in ``columns``)."""

    def __init__(self, columns: tuple[str, ...], return_id: int, locator: Locator,
                 register: SupplierRegister):
        at = {name: i for i, name in enumerate(columns)}
        self.own = itemgetter(*(at[name] for name in OWN))
        self.supplier = itemgetter(*(at[name] for name in (*SUPPLIER, "org_id")))
        self.place_key = itemgetter(*(at[name] for name in _PLACE_KEY))
        self.prefix = f"{return_id}\t"
        self.locator, self.register = locator, register
        self.pieces: dict[tuple, str] = {}  # supplier cells -> their COPY text and placing
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

    def _place(self, new: dict[tuple, tuple]) -> None:
        keys = list(new.values())
        locations = self.locator.locate_many(key[0] for key in keys)
        for supplier, key, where in zip(new, keys, locations, strict=True):
            placed = place_supplier(key, where, self.register)
            cells = supplier[:-1] + tuple(placed[name] for name in PLACED)
            self.pieces[supplier] = "\t".join(map(copy_text, cells))

    def _forget(self) -> None:
        for memo in (self.pieces, self.dates, self.expenses, self.services, self.vat,
                     self.flags):
            memo.clear()
