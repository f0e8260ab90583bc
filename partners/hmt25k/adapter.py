"""HM Treasury "spend over £25,000" layout, used by central departments and NHS trusts.

Department family, Entity, Date, Expense Type, Expense Area, Supplier, Transaction number, Amount,
Description, Supplier Postcode (some add VAT Registration Number, Contract Number, Supplier Type).
Recognised by its "Department family" and "Entity" columns. Sample: the Cabinet Office, July 2022,
tests/fixtures/partners/hmt25k/.
"""

from partners.fields import normalise_header
from partners.headings import headings
from partners.profile import Profile, merge_aliases

SPEND = {
    "payment_date": ("Date", "Payment Date", "Transaction Date"),
    "expense_type": ("Expense Type",),
    "service_area": ("Expense Area",),
    "supplier_name": ("Supplier", "Supplier Name"),
    "transaction_reference": ("Transaction Number", "Transaction No", "Invoice Number"),
    "amount": ("Amount", "AP Amount", "Net Amount", "Amount GBP"),
    "supplier_postcode": ("Supplier Postcode", "Postcode"),
    "vat_number": ("VAT Registration Number", "Supplier VAT Number"),
}

_SIGNATURE = {"departmentfamily", "departmentalfamily", "deptfamily"}


def detect(preamble: list[list[str]], header: list[str]) -> bool:
    """The layout has a department family column and an entity column."""
    names = {normalise_header(cell) for cell in header}
    return bool(names & _SIGNATURE) and "entity" in names


PROFILE = Profile(
    name="hmt25k",
    description="HM Treasury spend over £25,000 layout (central government, NHS)",
    # The layout's own names first ("Date" is the payment date), then every other known heading.
    aliases=merge_aliases({"spend": SPEND}, {"spend": headings()["spend"]}),
    detect=detect,
)
