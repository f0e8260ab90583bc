"""Supplier names: reduced for matching, and told apart from a name withheld."""

import re
import unicodedata
from functools import lru_cache

from exchange.normalise.memo import MEMO as _MEMO

# Dropped from the end of a name ("SMITH & CO LTD" -> "SMITH"); CCC/CYF are the Welsh forms.
_LEGAL_SUFFIXES = frozenset({
    "LTD", "LIMITED", "PLC", "LLP", "LLC", "LP", "CIC", "CIO", "CO", "COMPANY", "INC", "CORP",
    "CORPORATION", "CYF", "CYFYNGEDIG", "CCC", "AND",
})
NON_WORD = re.compile(r"[^A-Z0-9]+")
_INITIALS = re.compile(r"\b([A-Z]) (?=[A-Z]\b)")
_REDACTED = re.compile(
    # Whole words: Redactive Publishing Ltd is a real company.
    r"\bREDACT(?:ED|ION)?\b|\bWITHHELD\b|\bREMOVED\b"
    r"|PERSONAL (?:DATA|INFORMATION|DETAILS)|PRIVATE (?:INDIVIDUAL|PERSON)"
    r"|DATA PROTECTION|GDPR|^(?:AN? )?INDIVIDUALS?$|^X+$|^$"
)


def ascii_upper(s: str) -> str:
    """Upper case with accents folded, so CAFÉ and CAFE match."""
    if s.isascii():
        return s.upper()
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().upper()


@lru_cache(maxsize=_MEMO)
def normalise_supplier_name(s: str) -> str:
    """A supplier name reduced for matching: 'The A.B. Smith & Co Ltd' -> 'AB SMITH'."""
    text = ascii_upper(s).replace("&", " AND ").replace("+", " AND ")
    text = text.replace("'", "").replace(".", "")  # O'Brien -> OBRIEN, P.H.S. -> PHS
    # Partners space initials differently: 'P H S GROUP' and 'PHS GROUP' are one supplier.
    words = _INITIALS.sub(r"\1", " ".join(NON_WORD.sub(" ", text).split())).split()
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
    letters = " ".join(NON_WORD.sub(" ", ascii_upper(name)).split())
    return bool(_REDACTED.search(letters))
