"""Supplier names: reduced for matching, and told apart from a name withheld."""

import re
import unicodedata
from functools import lru_cache

import polars as pl

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


# --- the same rules a column at a time -----------------------------------------------------

# A run of legal suffixes ending the name; the leftmost place one can start is where the
# loop above stops popping.
_SUFFIX_RUN = "(?:(?:^| )(?:" + "|".join(sorted(_LEGAL_SUFFIXES)) + "))+$"
# Where `_INITIALS` would join something (it looks ahead, which polars' regex cannot).
_SPACED_INITIALS = r"\b[A-Z] [A-Z]\b"


def supplier_name_keys(names: pl.Series) -> pl.DataFrame:
    """`normalise_supplier_name` and `is_redacted` of each name, as the columns
    ``normalised`` and ``redacted`` in the order of ``names``: worked out a column at a time
    for ASCII names (Python's own functions for the rest, and for names whose initials are
    spaced out, which are few)."""
    upper = pl.col("name").str.to_uppercase()
    keys = _names(names).with_columns(words=upper.str.replace_all("&", " AND ", literal=True)
                                      .str.replace_all("+", " AND ", literal=True)
                                      .str.replace_all(r"['.]", ""))
    keys = keys.with_columns(_single_spaced(keys["words"]))
    keys = keys.with_columns(
        python=~pl.col("plain") | pl.col("words").str.contains(_SPACED_INITIALS),
        normalised=pl.col("words").str.replace(_SUFFIX_RUN, "").str.replace("^THE ", ""))
    return pl.DataFrame([_by_python(keys, keys["python"], "normalised", normalise_supplier_name),
                         _by_python(keys, ~keys["plain"], "redacted", is_redacted)])


def _single_spaced(text: pl.Series) -> pl.Series:
    """Each run of `NON_WORD` as one space, and none at either end: rewriting only the texts
    holding something besides letters, digits and single spaces (most names hold nothing
    else)."""
    at = text.str.contains("[^A-Z0-9 ]|  ").fill_null(False).arg_true()
    if at.len():
        text = text.scatter(at, text.gather(at).str.replace_all(NON_WORD.pattern, " "))
    return text.str.strip_chars(" ")


def names_redacted(names: pl.Series) -> pl.Series:
    """`is_redacted` of each name, a column at a time (Python's own function for names
    outside ASCII): what the check for withheld names needs, without normalising them."""
    keys = _names(names)
    return _by_python(keys, ~keys["plain"], "redacted", is_redacted)


def _names(names: pl.Series) -> pl.DataFrame:
    """The names, whether each is ASCII (``plain``), and whether it reads as withheld
    (``redacted``, right for ASCII names). Only the names `_could_be_withheld` are read
    closely: a file's names are nearly all plain company names."""
    name = pl.col("name")
    frame = pl.DataFrame({"name": names.cast(pl.String)}).with_columns(
        plain=name.str.len_bytes() == name.str.len_chars(), redacted=pl.lit(False))
    closely = frame.select(_could_be_withheld(name)).to_series().arg_true()
    if not closely.len():
        return frame
    letters = name.str.to_uppercase().str.replace_all(NON_WORD.pattern, " ").str.strip_chars(" ")
    redacted = frame[closely].select(letters.str.contains(_REDACTED.pattern)).to_series()
    return frame.with_columns(frame["redacted"].scatter(closely, redacted))


# Every name `_REDACTED` finds (in ASCII) holds one of these, in any case, or no letter or
# digit but X.
_WITHHELD_WORDS = ("redact", "withheld", "removed", "personal", "private", "data", "gdpr",
                   "individual")


def _could_be_withheld(name: pl.Expr) -> pl.Expr:
    """A quick sieve for `_REDACTED`: true of every ASCII name it finds, and of few others."""
    return (name.str.contains_any(_WITHHELD_WORDS, ascii_case_insensitive=True)
            | ~name.str.contains("[A-WYZa-wyz0-9]")).fill_null(True)


def _by_python(keys: pl.DataFrame, python: pl.Series, column: str, function) -> pl.Series:
    """``column`` of ``keys``, with ``function`` of the name where ``python`` is true."""
    at = python.arg_true()
    if not at.len():
        return keys[column]
    return keys[column].scatter(at, [function(s) for s in keys["name"].gather(at).to_list()])
