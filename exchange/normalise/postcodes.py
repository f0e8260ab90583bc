"""Postcodes as partners type them, in canonical form, and their parts."""

import re
from functools import lru_cache

import polars as pl

from exchange.normalise.memo import MEMO as _MEMO

# The usual UK postcode grammar; letters that never appear in a given position are excluded.
_POSTCODE = re.compile(
    r"GIR0AA|[A-PR-UWYZ](?:[0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]"
    r"|[A-HK-Y][0-9][ABEHMNPRVWXY])[0-9][ABD-HJLNP-UW-Z]{2}"
)
# What str.split() splits on: Unicode's white space, and the four separators \x1c to \x1f.
_SPACE = r"[\s\x1c-\x1f]"


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


def canonical_postcodes(typed: pl.Expr) -> pl.Expr:
    """`canonical_postcode` of each value of a text column, a column at a time."""
    compact = typed.str.replace_all(_SPACE, "").str.to_uppercase()
    return pl.when(compact.str.contains(f"^(?:{_POSTCODE.pattern})$")).then(
        compact.str.head(-3) + " " + compact.str.tail(3))


def postcode_areas(canonical: pl.Expr) -> pl.Expr:
    """`postcode_area` of each value of a column of canonical postcodes."""
    return canonical.str.extract(r"^([A-Z]{1,2})")
