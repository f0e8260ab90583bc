"""Lambeth: "Invoices Over Specified Nett Amount" report exports (2012 onwards).

Nine report lines (title, run date, parameters) above the headings Body, Department, Supplier Name,
Invoice Creation Date, Invoice Nett Amount, Subj Description; a "Total" line and blank lines at the
end. The export came from a fixed-width report, so a cell that filled its width ran into the next
one without a comma: "25/06/2012900" is the date 25/06/2012 and the amount 900 (every amount under
1,000), "Catch2212/06/2012" is the supplier Catch22 and its date. Non-breaking spaces arrive as "†"
(the byte 0xA0 read as Mac Roman). Sample: ../shared/data/real/spend/lambeth/2012-06-payments.csv.
"""

import re

from partners.fields import normalise_header
from partners.profile import Profile, Records
from partners.transparency.adapter import PROFILE as TRANSPARENCY

HEADER = ("body", "department", "suppliername", "invoicecreationdate", "invoicenettamount")
# Supplier name, date and amount as one run of text; the joins are where commas went missing.
_GLUED = re.compile(r"(.*?)\x1f?(\d{2}/\d{2}/\d{4})\x1f?(-?\d[\d,]*(?:\.\d*)?)", re.S)
_FIRST, _LAST = 2, 5  # supplier name .. subjective description in a well-formed row


def detect(preamble: list[list[str]], header: list[str]) -> bool:
    """Lambeth's report title above the headings, or its exact headings."""
    titled = any(cells and cells[0].startswith("Lambeth Invoices Over") for cells in preamble)
    return titled or tuple(normalise_header(cell) for cell in header[:5]) == HEADER


def unglue(cells: list[str]) -> list[str] | None:
    """Split supplier/date/amount cells that ran together; None if the row is not that case."""
    if len(cells) < 4:
        return None
    middle = cells[_FIRST : len(cells) - 1]
    match = _GLUED.fullmatch("\x1f".join(middle))
    if match is None:
        return None
    return cells[:_FIRST] + list(match.groups()) + cells[len(cells) - 1 :]


def prepare(records: Records, notes: list[str], width: int) -> Records:
    """Repair run-together cells and the mangled non-breaking spaces, row by row."""
    repaired = 0
    for cells in records:
        if 3 < len(cells) < width and (fixed := unglue(cells)) is not None:
            cells = fixed
            repaired += 1
        yield [cell.replace("\u2020", " ") for cell in cells]
    if repaired:
        notes.append(
            f"{repaired} rows had the supplier, date and amount run together without commas "
            "(for example '25/06/2012900'); they were split back into date 25/06/2012 and "
            "amount 900."
        )


PROFILE = Profile(
    name="lambeth",
    description="Lambeth invoices-over-threshold report export",
    aliases={"spend": TRANSPARENCY.aliases["spend"]},
    detect=detect,
    prepare=prepare,
)
