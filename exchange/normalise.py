"""Pure functions that turn what partners type into the shared standard's values."""

import re
import unicodedata
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from math import isfinite

# Spend files repeat the same suppliers, postcodes and dates thousands of times.
_MEMO = 65_536

# Placeholders finance systems put in identifier columns when there is no identifier.
_NO_IDENTIFIER = frozenset({
    "", "N/A", "NA", "N.A.", "#N/A", "NULL", "NONE", "NIL", "-", "--", "0", "UNKNOWN",
    "NOT KNOWN", "NOT APPLICABLE", "AWAITING", "EXEMPT", "REDACTED", "NOT YET AVAILABLE", "TBC",
})

# The usual UK postcode grammar; letters that never appear in a given position are excluded.
_POSTCODE = re.compile(
    r"GIR0AA|[A-PR-UWYZ](?:[0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]"
    r"|[A-HK-Y][0-9][ABEHMNPRVWXY])[0-9][ABD-HJLNP-UW-Z]{2}"
)


@lru_cache(maxsize=_MEMO)
def canonical_postcode(s: str | None) -> str | None:
    """Any spelling of a UK postcode in its canonical unit form ('S60 2UD'), else None."""
    if not s:
        return None
    compact = "".join(s.split()).upper()
    if not _POSTCODE.fullmatch(compact):
        return None
    return f"{compact[:-3]} {compact[-3:]}"


def postcode_district(s: str | None) -> str | None:
    """The outward code of a postcode: 'S60 2UD' -> 'S60'."""
    pc = canonical_postcode(s)
    return pc.split(" ")[0] if pc else None


def postcode_sector(s: str | None) -> str | None:
    """The postcode sector: 'S60 2UD' -> 'S60 2'."""
    pc = canonical_postcode(s)
    return pc[:-2] if pc else None


def postcode_area(s: str | None) -> str | None:
    """The letters of a postcode's area: 'S60 2UD' -> 'S', 'DN1 1AA' -> 'DN'."""
    pc = canonical_postcode(s)
    return pc[: 2 if pc[1].isalpha() else 1] if pc else None


# --- amounts -------------------------------------------------------------------------------

_NUMBER = re.compile(r"(\d{1,3}(?:,\d{3})+|\d*)(?:\.(\d*))?")
# Most cells: the fast path. Plain, or with commas every three digits ('-1,234.5').
_PLAIN_AMOUNT = re.compile(r"-?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.(\d{1,2}))?")
_PENNY = Decimal("0.01")
_ZERO = Decimal("0.00")
_TOO_MUCH = Decimal(10) ** 12


def _split_number(s: str) -> tuple[bool, str, str]:
    """Sign, whole part and fraction of a typed number; ValueError if it is not one."""
    text = "".join(s.split()).upper().replace("£", "").replace("GBP", "")
    negative = False
    if text[:1] == "(" and text[-1:] == ")":  # accountants' negative
        negative, text = True, text[1:-1]
    if text[-1:] == "-":  # SAP-style trailing minus
        negative, text = True, text[:-1]
    elif text[:1] in "-+" and text:
        negative, text = text[0] == "-", text[1:]
    if text == "NIL":
        return False, "0", ""
    if text.endswith("%"):
        raise ValueError("write the number without the % sign")
    match = _NUMBER.fullmatch(text)
    if not match or not (match[1] or match[2]):
        if "," in text and re.fullmatch(r"[\d,]+(\.\d*)?", text):
            raise ValueError("the thousands separators are in the wrong places")
        raise ValueError("")
    return negative, match[1].replace(",", "") or "0", match[2] or ""


def parse_amount(s: str | int | float | Decimal) -> Decimal:
    """Pounds and pence as an exact Decimal with two places; ValueError if it is not money."""
    if s.__class__ is str and (plain := _PLAIN_AMOUNT.fullmatch(s)):
        value = Decimal(s.replace(",", "") if "," in s else s)
        if plain.end(1) - plain.start(1) != 2 or len(s) > 20:  # not simply pounds and pence
            value = value.quantize(_PENNY)  # (and too long a number fails here, as it should)
        value = value or _ZERO  # `or`: no negative zero
    elif not (s.is_finite() if isinstance(s, Decimal) else isinstance(s, str) or isfinite(s)):
        raise ValueError("")  # NaN or infinity
    elif isinstance(s, float):
        # Spreadsheet floats carry binary noise (1234.5600000000002); pence are what was meant.
        cents = round(s * 100)
        if abs(s * 100 - cents) > 1e-6:
            raise ValueError("it has more than two decimal places")
        value = Decimal(cents).scaleb(-2)
    elif isinstance(s, int | Decimal):
        value = Decimal(s).quantize(_PENNY)
        if value != s:
            raise ValueError("it has more than two decimal places")
    else:
        negative, whole, fraction = _split_number(s)
        if fraction[2:].strip("0"):
            raise ValueError("it has more than two decimal places")
        value = Decimal(f"{whole}.{fraction[:2]:0<2}")
        value = -value if negative and value else value
    if abs(value) >= _TOO_MUCH:  # also keeps it inside the database's NUMERIC(14, 2)
        raise ValueError("it is a trillion pounds or more")
    return value


def parse_decimal(s: str | int | float | Decimal) -> Decimal:
    """Any quantity (hours, tonnes, people) as an exact Decimal; ValueError if not a number."""
    if isinstance(s, int | float | Decimal):
        value = Decimal(repr(s) if isinstance(s, float) else s)
    else:
        negative, whole, fraction = _split_number(s)
        value = Decimal(f"{whole}.{fraction}" if fraction else whole)
        value = -value if negative and value else value
    if not value.is_finite() or abs(value) >= _TOO_MUCH:
        raise ValueError("it is not a number of a sensible size")
    return value


# --- dates ---------------------------------------------------------------------------------

# English whatever the locale, unlike the calendar module's names.
_MONTH_NAMES = ("", "January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")
_MONTHS = {name.upper()[:k]: i for i, name in enumerate(_MONTH_NAMES) if name
           for k in (3, len(name))} | {"SEPT": 9}
_TIME_ONLY = re.compile(r"\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?")
_TIME_SUFFIX = re.compile(
    r"(?:T|\s+)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:AM|PM|Z|[+-]\d{2}:?\d{2})?$"
)
_YMD = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})|(\d{4})(\d{2})(\d{2})")
_DMY = re.compile(r"(\d{1,2})([-/.\s])(\d{1,2})\2(\d{4}|\d{2})")
_D_MON_Y = re.compile(r"(\d{1,2})(?:ST|ND|RD|TH)?[-/.\s]*([A-Z]{3,9})[-/.,\s]*(\d{4}|\d{2})")
_EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0, after its 1900 leap-year bug


def _year(text: str) -> int:
    """A year from 4 digits, or from 2 with the pivot strptime uses (69 -> 2069, 70 -> 1970)."""
    year = int(text)
    return year if len(text) == 4 else year + (2000 if year < 70 else 1900)


def _make_date(year: int, month: int, day: int, day_first: bool = False) -> date:
    """A date from its parts, with a reason a person understands when it does not exist."""
    if not 1 <= month <= 12:
        if day_first and 1 <= day <= 12 and 1 <= month <= 31:
            raise ValueError(f"there is no month {month}: dates must be day first, like 20/06/2013")
        raise ValueError(f"there is no month {month}")
    if not 1900 <= year <= 2099:
        raise ValueError(f"the year {year} is not plausible")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"{day} {_MONTH_NAMES[month]} {year} does not exist") from None


@lru_cache(maxsize=_MEMO)
def parse_uk_date(s: str) -> date:
    """A day-first UK date or an ISO date (time of day ignored); ValueError if it is neither."""
    text = s.strip().upper()
    if _TIME_ONLY.fullmatch(text):
        raise ValueError(f"it has a time ({text}) but no date")
    text = _TIME_SUFFIX.sub("", text)
    if m := _YMD.fullmatch(text):
        parts = (m[1], m[3], m[4]) if m[1] else (m[5], m[6], m[7])
        return _make_date(*map(int, parts))
    if m := _DMY.fullmatch(text):
        return _make_date(_year(m[4]), int(m[3]), int(m[1]), day_first=True)
    if (m := _D_MON_Y.fullmatch(text)) and m[2] in _MONTHS:
        return _make_date(_year(m[3]), _MONTHS[m[2]], int(m[1]), day_first=True)
    if serial := excel_serial_date(text):
        raise ValueError(
            f"it looks like an Excel date serial number ({text} would be "
            f"{serial:%d/%m/%Y}); format the column as a date before exporting"
        )
    raise ValueError("")


def excel_serial_date(s: str) -> date | None:
    """The date an Excel serial day number stands for (41445 -> 2013-06-20), if it is one."""
    text = s.strip()
    whole = text.split(".")[0] if text.endswith(".0") or "." not in text else ""
    # 5 digits covers 1954-2173; we only take 1990-2099 so an ordinary number is not misread.
    if len(whole) == 5 and whole.isdigit() and 32_874 <= int(whole) <= 73_050:
        return _EXCEL_EPOCH + timedelta(days=int(whole))
    return None


# --- organisation identifiers -------------------------------------------------------------

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
    a key to match a supplier on."""
    return _identifier_text(s) is None


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


# --- supplier names ------------------------------------------------------------------------

# Dropped from the end of a name ("SMITH & CO LTD" -> "SMITH"); CCC/CYF are the Welsh forms.
_LEGAL_SUFFIXES = frozenset({
    "LTD", "LIMITED", "PLC", "LLP", "LLC", "LP", "CIC", "CIO", "CO", "COMPANY", "INC", "CORP",
    "CORPORATION", "CYF", "CYFYNGEDIG", "CCC", "AND",
})
_NON_WORD = re.compile(r"[^A-Z0-9]+")
_INITIALS = re.compile(r"\b([A-Z]) (?=[A-Z]\b)")
_REDACTED = re.compile(
    # Whole words: Redactive Publishing Ltd is a real company.
    r"\bREDACT(?:ED|ION)?\b|\bWITHHELD\b|\bREMOVED\b"
    r"|PERSONAL (?:DATA|INFORMATION|DETAILS)|PRIVATE (?:INDIVIDUAL|PERSON)"
    r"|DATA PROTECTION|GDPR|^(?:AN? )?INDIVIDUALS?$|^X+$|^$"
)


def _ascii_upper(s: str) -> str:
    """Upper case with accents folded, so CAFÉ and CAFE match."""
    if s.isascii():
        return s.upper()
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().upper()


@lru_cache(maxsize=_MEMO)
def normalise_supplier_name(s: str) -> str:
    """A supplier name reduced for matching: 'The A.B. Smith & Co Ltd' -> 'AB SMITH'."""
    text = _ascii_upper(s).replace("&", " AND ").replace("+", " AND ")
    text = text.replace("'", "").replace(".", "")  # O'Brien -> OBRIEN, P.H.S. -> PHS
    # Partners space initials differently: 'P H S GROUP' and 'PHS GROUP' are one supplier.
    words = _INITIALS.sub(r"\1", " ".join(_NON_WORD.sub(" ", text).split())).split()
    while words and words[-1] in _LEGAL_SUFFIXES:
        words.pop()
    if len(words) > 1 and words[0] == "THE":
        words.pop(0)
    return " ".join(words)


# What a spend line's supplier name is stored as when the file left it blank: the words the
# standard asks partners to write for a name withheld.
WITHHELD_NAME = "REDACTED PERSONAL DATA"


@lru_cache(maxsize=_MEMO)
def is_redacted(name: str) -> bool:
    """Whether a supplier name is a placeholder for personal data withheld from publication."""
    letters = " ".join(_NON_WORD.sub(" ", _ascii_upper(name)).split())
    return bool(_REDACTED.search(letters))


# --- flags and choices ---------------------------------------------------------------------

_TRUE = frozenset({"Y", "YES", "TRUE", "T", "1", "ON"})
_FALSE = frozenset({"N", "NO", "FALSE", "F", "0", "OFF"})
_UNKNOWN = frozenset({"U", "UNKNOWN", "NOT KNOWN", "DONT KNOW", "DON'T KNOW", "?", "UNSURE"})
_CAPITAL_REVENUE = {
    "C": "capital", "CAP": "capital", "CAPITAL": "capital", "CAPITAL EXPENDITURE": "capital",
    "R": "revenue", "REV": "revenue", "REVENUE": "revenue", "REVENUE EXPENDITURE": "revenue",
}


def parse_bool(s: str | bool) -> bool:
    """Yes/No, Y/N, True/False, 1/0 as a bool."""
    if isinstance(s, bool):
        return s
    text = str(s).strip().upper()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError("write Yes or No")


def parse_yes_no_unknown(s: str | bool) -> str:
    """'yes', 'no' or 'unknown' from the ways people write them."""
    if isinstance(s, bool):
        return "yes" if s else "no"
    text = " ".join(str(s).strip().upper().split())
    if text in _UNKNOWN:
        return "unknown"
    try:
        return "yes" if parse_bool(text) else "no"
    except ValueError:
        raise ValueError("write Yes, No or Unknown") from None


def parse_capital_revenue(s: str) -> str:
    """'capital' or 'revenue' from C/R, CAP/REV or the words."""
    text = " ".join(s.strip().upper().split())
    try:
        return _CAPITAL_REVENUE[text]
    except KeyError:
        raise ValueError("write Capital or Revenue (or C or R)") from None


def parse_choice(s: str, choices: tuple[str, ...]) -> str:
    """One of a fixed list of codes, forgiving case, spaces and hyphens ('In progress')."""
    text = parse_code(s)
    if text in choices:
        return text
    raise ValueError("it must be one of " + ", ".join(choices))


def parse_code(s: str) -> str:
    """A snake_case code from how people type it: 'Living Wage' -> 'living_wage'."""
    text = _NON_WORD.sub("_", _ascii_upper(s.strip())).strip("_").lower()
    if not text:
        raise ValueError("a code needs letters or digits")
    return text


def parse_url(s: str) -> str:
    """A web address starting http:// or https://, as written."""
    text = s.strip()
    if re.fullmatch(r"https?://[^\s/$.?#][^\s]*", text, flags=re.IGNORECASE):
        return text
    raise ValueError("a web address starts with https://")
