"""Spend and supplier returns: what each partner paid to whom, and who its suppliers are."""

from marshmallow import fields

from schemas.base import RowSchema
from schemas.fields import (
    CapitalRevenue,
    CharityNumber,
    CompanyNumber,
    Money,
    Postcode,
    Text,
    VatNumber,
    YesNoUnknown,
    meta,
)

_SUPPLIER_ID = meta(
    "Supplier ID", "The partner's own reference for the supplier in its finance system.", "100234"
)
_COMPANY = meta(
    "Company number",
    "Companies House registration number, 8 characters with leading zeros (or SC, NI, OC…).",
    "01234567",
)
_CHARITY = meta(
    "Charity number",
    "Registered charity number: England and Wales, Scotland (SC…) or Northern Ireland (NIC…).",
    "1146304",
)
_VAT = meta("VAT number", "UK VAT registration number, with or without GB.", "123456789")


class SpendRowSchema(RowSchema):
    """One payment to a supplier."""

    class Meta:
        title = "Spend line"
        description = "One payment to a supplier (a negative amount is a credit note)."

    payment_date = fields.Date(required=True, metadata=meta(
        "Payment date", "The date the payment was made, day first (14/10/2021) or ISO.",
        "2021-10-14", in_period=True,
    ))
    amount = Money(required=True, metadata=meta(
        "Amount (GBP)", "Net amount paid in pounds and pence, excluding recoverable VAT; negative "
        "for a credit note.", "1234.56", warn_if_zero=True,
    ))
    supplier_name = Text(required=True, metadata=meta(
        "Supplier name", "Who was paid, as on the invoice. Write REDACTED PERSONAL DATA for a "
        "private individual; a payment with the name left blank is counted as redacted.",
        "Don Valley Joinery Ltd", redactable=True,
    ))
    supplier_id = Text(100, metadata=_SUPPLIER_ID)
    company_number = CompanyNumber(metadata=_COMPANY)
    charity_number = CharityNumber(metadata=_CHARITY)
    vat_number = VatNumber(metadata=_VAT)
    supplier_postcode = Postcode(metadata=meta(
        "Supplier postcode", "Postcode of the supplier's site that did the work, when known.",
        "S60 2UD",
    ))
    expense_type = Text(metadata=meta(
        "Expense type", "What was bought: the expense category or account description.",
        "Building maintenance",
    ))
    service_area = Text(metadata=meta(
        "Service area", "The part of the organisation that spent the money.", "Housing",
    ))
    transaction_reference = Text(100, metadata=meta(
        "Transaction reference", "The payment or invoice reference in the finance system.",
        "INV-2021-004512",
    ))
    irrecoverable_vat = Money(metadata=meta(
        "Irrecoverable VAT (GBP)", "VAT paid that cannot be reclaimed, in pounds and pence.",
        "0.00",
    ))
    capital_revenue = CapitalRevenue(metadata=meta(
        "Capital or revenue", "Which budget paid: capital or revenue (C or R).", "revenue",
    ))
    procurement_card = fields.Boolean(metadata=meta(
        "Procurement card", "Yes if paid by purchasing card, otherwise No.", "no",
    ))


class SupplierRowSchema(RowSchema):
    """One supplier in the partner's supplier master data."""

    class Meta:
        title = "Supplier"
        description = "One supplier from the partner's supplier master data."

    supplier_id = Text(100, required=True, metadata=_SUPPLIER_ID)
    supplier_name = Text(required=True, metadata=meta(
        "Supplier name", "The supplier's name as held in the finance system.",
        "Don Valley Joinery Ltd",
    ))
    company_number = CompanyNumber(metadata=_COMPANY)
    charity_number = CharityNumber(metadata=_CHARITY)
    vat_number = VatNumber(metadata=_VAT)
    site_postcode = Postcode(metadata=meta(
        "Trading site postcode", "Postcode of the site the supplier works from for you.",
        "S60 2UD",
    ))
    registered_postcode = Postcode(metadata=meta(
        "Registered office postcode", "Postcode of the supplier's registered office.",
        "S1 2HH",
    ))
    sme = YesNoUnknown(metadata=meta(
        "SME (yes/no/unknown)",
        "Small or medium-sized enterprise (fewer than 250 staff): yes, no or unknown.",
        "yes",
    ))
    vcse = YesNoUnknown(metadata=meta(
        "VCSE (yes/no/unknown)",
        "Voluntary, community or social enterprise organisation: yes, no or unknown.",
        "no",
    ))
