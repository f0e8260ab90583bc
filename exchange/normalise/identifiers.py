"""Organisation identifiers: company, charity and VAT numbers, and org-id.guide ids."""

import re

import polars as pl

# Placeholders finance systems put in identifier columns when there is no identifier.
_NO_IDENTIFIER = frozenset({
    "", "N/A", "NA", "N.A.", "#N/A", "NULL", "NONE", "NIL", "-", "--", "0", "UNKNOWN",
    "NOT KNOWN", "NOT APPLICABLE", "AWAITING", "EXEMPT", "REDACTED", "NOT YET AVAILABLE", "TBC",
})


_COMPANY_PREFIXES = frozenset({
    "AC", "BR", "CE", "CS", "FC", "FE", "GE", "GN", "GS", "IC", "IP", "LP", "NA", "NC", "NF",
    "NI", "NL", "NO", "NP", "NR", "NZ", "OC", "OE", "RC", "RS", "SA", "SC", "SE", "SF", "SG", "SI",
    "SL", "SO", "SP", "SR", "SZ", "ZC",
})


# The canonical forms company_number and charity_number take, for documents (OpenAPI): they also
# read these with spaces, dots, hyphens and lower case, and placeholders such as N/A as none.
COMPANY_NUMBER_PATTERN = (r"^(?:0*[1-9][0-9]*|(?:" + "|".join(sorted(_COMPANY_PREFIXES))
                          + r")[0-9]{1,6}|R[0-9]{1,7})$")
CHARITY_NUMBER_PATTERN = r"^(?:[0-9]{6,7}(?:-[0-9]{1,3})?|SC[0-9]{5,6}|NIC?[0-9]{6})$"

# Identifiers written plainly, as nearly all are: what these functions make of them is simple
# enough to be done a column at a time (`exchange.validate.columns`). A VAT number: 9 or 12
# digits, perhaps after GB or XI (its value: the digits). A company number: up to 8 digits,
# not all zeros (zero-filled to 8), or a prefix and 6 digits (as it is). A charity number in
# England and Wales: 6 or 7 digits (as it is).
PLAIN_VAT_NUMBER = r"^(?:GB|XI)?(?:[0-9]{9}|[0-9]{12})$"
PLAIN_COMPANY_NUMBER = (r"^(?:0{0,7}[1-9][0-9]{0,7}|(?:" + "|".join(sorted(_COMPANY_PREFIXES))
                        + r")[0-9]{6})$")  # and at most 8 characters
PLAIN_CHARITY_NUMBER = r"^[0-9]{6,7}$"


def _identifier_text(s: str | None) -> str | None:
    """Upper-case identifier without spaces, dots or hyphens; None for placeholders."""
    if s is None:
        return None
    text = str(s).strip().upper()
    if text in _NO_IDENTIFIER or "REDACTED" in text:
        return None
    return "".join(text.split()).replace(".", "").replace("-", "")


def is_placeholder_id(s: str | None) -> bool:
    """Whether an identifier cell says there is none ('N/A', 'Redacted', 'Not known'): never
    a key to match a supplier on. (What `_identifier_text` makes None, without tidying the
    rest: the supplier register asks this of every line of every suppliers return.)"""
    if s is None:
        return True
    text = str(s).strip().upper()
    return text in _NO_IDENTIFIER or "REDACTED" in text


def placeholder_ids(ids: pl.Expr) -> pl.Expr:
    """`is_placeholder_id` of each identifier of a column."""
    text = ids.str.strip_chars().str.to_uppercase()
    return ids.is_null() | text.is_in(list(_NO_IDENTIFIER)) \
        | text.str.contains("REDACTED", literal=True)


def company_number(s: str | None) -> str | None:
    """A Companies House number in 8 characters ('1234567' -> '01234567', 'SC123456')."""
    text = _identifier_text(s)
    if text is None:
        return None
    if text.isdigit() and len(text) <= 8:
        if not text.strip("0"):
            raise ValueError("a company number cannot be all zeros")
        return text.zfill(8)
    prefix, digits = text[:2], text[2:]
    if prefix in _COMPANY_PREFIXES and digits.isdigit() and len(digits) <= 6:
        return prefix + digits.zfill(6)
    if prefix in ("IP", "SP", "NP") and re.fullmatch(r"\d{5}R", digits):  # registered societies
        return text
    if text[0] == "R" and text[1:].isdigit() and len(text) <= 8:  # old Northern Ireland numbers
        return "R" + text[1:].zfill(7)
    raise ValueError("a company number is 8 digits, or 2 letters and 6 digits like SC123456")


def charity_number(s: str | None) -> str | None:
    """A charity number: England and Wales '1146304' (or '1146304-1'), 'SC012345', 'NIC100002'."""
    if s is None or str(s).strip().upper() in _NO_IDENTIFIER or "REDACTED" in str(s).upper():
        return None
    text = "".join(str(s).upper().split())
    if m := re.fullmatch(r"(\d{6,7})(?:-(\d{1,3}))?", text):
        return m[1] if not m[2] or not m[2].strip("0") else f"{m[1]}-{m[2]}"
    if m := re.fullmatch(r"SC(\d{5,6})", text):
        return "SC" + m[1].zfill(6)
    if m := re.fullmatch(r"NIC?(\d{6})", text):
        return "NIC" + m[1]
    raise ValueError("a charity number is 6 or 7 digits, or SC or NIC and 6 digits")


def vat_number(s: str | None) -> str | None:
    """A UK VAT registration number without 'GB': 9 or 12 digits, or GD/HA and 3 digits."""
    text = _identifier_text(s)
    if text is None:
        return None
    if text[:2] in ("GB", "XI"):
        text = text[2:]
    if (text.isdigit() and len(text) in (9, 12)) or re.fullmatch(r"(GD|HA)\d{3}", text):
        return text
    raise ValueError("a UK VAT number is 9 digits, with or without GB in front")


def org_id(
    *, company: str | None = None, charity: str | None = None,
    lae: str | None = None, nhs: str | None = None,
) -> str | None:
    """An org-id.guide identifier (GB-COH-01234567, GB-CHC-1146304) from canonical numbers."""
    if company:
        return f"GB-COH-{company}"
    if charity:
        main = charity.split("-")[0]
        if main.startswith("SC"):
            return f"GB-SC-{main}"
        if main.startswith("NIC"):
            return f"GB-NIC-{main[3:]}"
        return f"GB-CHC-{main}"
    if lae:
        return f"GB-LAE-{lae.upper()}"
    if nhs:
        return f"GB-NHS-{nhs.upper()}"
    return None
