"""The standard's field names per kind of return, the columns each kind cannot do without."""

import re

FIELDS: dict[str, tuple[str, ...]] = {
    "spend": (
        "payment_date",
        "amount",
        "supplier_name",
        "supplier_id",
        "company_number",
        "charity_number",
        "vat_number",
        "supplier_postcode",
        "expense_type",
        "service_area",
        "transaction_reference",
        "irrecoverable_vat",
        "capital_revenue",
        "procurement_card",
    ),
    "suppliers": (
        "supplier_id",
        "supplier_name",
        "company_number",
        "charity_number",
        "vat_number",
        "site_postcode",
        "registered_postcode",
        "sme",
        "vcse",
    ),
    "commitments": (
        "commitment",
        "status",
        "target",
        "actual",
        "unit",
        "evidence",
        "evidence_url",
        "date_achieved",
    ),
    "measures": ("measure", "value", "unit", "note"),
    "contributions": (
        "contributor_name",
        "contributor_org_id",
        "contributor_postcode",
        "contribution_type",
        "quantity",
        "value",
        "beneficiary",
        "locality",
        "contribution_date",
    ),
}

# Each inner tuple is satisfied by any one of its fields.
REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    "spend": (("payment_date",), ("amount",), ("supplier_name",)),
    "suppliers": (("supplier_name",), ("supplier_id",)),
    "commitments": (("commitment",), ("status",)),
    "measures": (("measure",), ("value",)),
    "contributions": (("contributor_name",), ("contribution_type",), ("quantity", "value")),
}

KINDS = tuple(FIELDS)

# Normalised heading starts that mark a summary table ("Sum of Invoice Nett Amount", "Total").
AGGREGATES = ("sumof", "countof", "totalof", "total", "average", "numberof")

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
# A currency unit in brackets says nothing about which field a column is: "Amount (£)" is
# "Amount". Other bracketed words do ("Amount (ex VAT)"), so only units are dropped.
_UNIT = re.compile(
    r"[(\[]\s*(?:in\s+)?(?:£|gbp|gb£|£s|pounds?(?:\s+sterling)?|sterling|stg|€|eur|euros?|\$|usd)"
    r"\s*[)\]]"
)


def normalise_header(text: str) -> str:
    """Header text reduced to lowercase letters and digits, without a currency unit in brackets:
    'Net Amount £' -> 'netamount', 'Amount (GBP)' -> 'amount', 'SUPPLIER_NAME' -> 'suppliername'."""
    return _NOT_ALNUM.sub("", _UNIT.sub("", text.lower()))
