"""Column headings of the hub's own template, per kind: the one place they are written down."""

LABELS: dict[str, dict[str, str]] = {
    "spend": {
        "payment_date": "Payment date",
        "amount": "Amount (GBP)",
        "supplier_name": "Supplier name",
        "supplier_id": "Supplier ID",
        "company_number": "Company number",
        "charity_number": "Charity number",
        "vat_number": "VAT number",
        "supplier_postcode": "Supplier postcode",
        "expense_type": "Expense type",
        "service_area": "Service area",
        "transaction_reference": "Transaction reference",
        "irrecoverable_vat": "Irrecoverable VAT (GBP)",
        "capital_revenue": "Capital or revenue",
        "procurement_card": "Procurement card",
    },
    "suppliers": {
        "supplier_id": "Supplier ID",
        "supplier_name": "Supplier name",
        "company_number": "Company number",
        "charity_number": "Charity number",
        "vat_number": "VAT number",
        "site_postcode": "Trading site postcode",
        "registered_postcode": "Registered office postcode",
        "sme": "SME (yes/no/unknown)",
        "vcse": "VCSE (yes/no/unknown)",
    },
    "commitments": {
        "commitment": "Commitment",
        "status": "Status",
        "target": "Target",
        "actual": "Actual",
        "unit": "Unit",
        "evidence": "Evidence",
        "evidence_url": "Evidence link",
        "date_achieved": "Date achieved",
    },
    "measures": {
        "measure": "Measure",
        "value": "Value",
        "unit": "Unit",
        "note": "Note",
    },
    "contributions": {
        "contributor_name": "Contributor name",
        "contributor_org_id": "Contributor organisation ID",
        "contributor_postcode": "Contributor postcode",
        "contribution_type": "Contribution type",
        "quantity": "Quantity",
        "value": "Value (GBP)",
        "beneficiary": "Beneficiary",
        "locality": "Locality",
        "contribution_date": "Contribution date",
    },
}


def label(kind: str, field_name: str) -> str:
    """The heading a person sees for a field, falling back to the field name."""
    return LABELS.get(kind, {}).get(field_name, field_name.replace("_", " ").capitalize())
