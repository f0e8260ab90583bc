"""Pure functions that turn what partners type into the shared standard's values, one module
per kind of value: ``postcodes``, ``amounts``, ``dates``, ``identifiers`` (company, charity and
VAT numbers, org ids), ``names`` (supplier names, withheld names) and ``choices`` (flags,
choices, codes, web addresses). Callers use them through this package, as
``normalise.parse_amount``."""

from exchange.normalise.amounts import parse_amount, parse_decimal
from exchange.normalise.choices import (
    parse_bool,
    parse_capital_revenue,
    parse_choice,
    parse_code,
    parse_url,
    parse_yes_no_unknown,
)
from exchange.normalise.dates import excel_serial_date, parse_uk_date
from exchange.normalise.identifiers import (
    CHARITY_NUMBER_PATTERN,
    COMPANY_NUMBER_PATTERN,
    PLAIN_CHARITY_NUMBER,
    PLAIN_COMPANY_NUMBER,
    PLAIN_VAT_NUMBER,
    charity_number,
    company_number,
    is_placeholder_id,
    org_id,
    placeholder_ids,
    vat_number,
)
from exchange.normalise.names import (
    WITHHELD_NAME,
    is_redacted,
    names_redacted,
    normalise_supplier_name,
    supplier_name_keys,
)
from exchange.normalise.postcodes import (
    canonical_postcode,
    canonical_postcodes,
    postcode_area,
    postcode_areas,
    postcode_district,
    postcode_sector,
)

__all__ = [
    "CHARITY_NUMBER_PATTERN", "COMPANY_NUMBER_PATTERN", "PLAIN_CHARITY_NUMBER",
    "PLAIN_COMPANY_NUMBER", "PLAIN_VAT_NUMBER", "WITHHELD_NAME", "canonical_postcode",
    "canonical_postcodes", "charity_number", "company_number", "excel_serial_date",
    "is_placeholder_id", "is_redacted",
    "normalise_supplier_name", "org_id", "parse_amount", "parse_bool", "parse_capital_revenue",
    "parse_choice", "parse_code", "parse_decimal", "parse_uk_date", "parse_url",
    "parse_yes_no_unknown", "placeholder_ids", "postcode_area", "postcode_areas",
    "postcode_district", "postcode_sector",
    "names_redacted", "supplier_name_keys", "vat_number",
]
