"""The table of heading variants per standard field (partners/headings.toml), as profiles use it.

The table is data: a new spelling seen in a partner's file is a line in the TOML, not code. Each
kind gets its own fields plus the [common] ones it has (supplier name, id, company, charity and VAT
numbers), in the order written, most preferred first.
"""

import re
import tomllib
from functools import cache
from pathlib import Path

from partners.fields import FIELDS, normalise_header

TABLE = Path(__file__).with_name("headings.toml")


@cache
def _data() -> dict:
    return tomllib.loads(TABLE.read_text(encoding="utf-8"))


def expand(heading: str) -> str | None:
    """A coded heading of two or more words with its abbreviations written out, normalised:
    'TRX_AMT' -> 'transactionamount'. None when it has one word or no known abbreviation."""
    words = [word for word in re.split(r"[^0-9a-z]+", heading.lower()) if word]
    table = _data()["abbreviations"]
    if len(words) < 2 or not any(word in table for word in words):
        return None
    return normalise_header(" ".join(table.get(word, word) for word in words))


_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")


def loosen(heading: str) -> str | None:
    """The heading without its words in brackets, normalised: 'Supplier Name (where not
    personal data)' -> 'suppliername'. None without brackets, or when they say the figure is
    gross or includes VAT."""
    inside = " ".join(_BRACKETED.findall(heading.lower()))
    if not inside:
        return None
    words = set(re.split(r"[^0-9a-z]+", inside))
    rules = _data()["brackets"]
    if words & set(rules["kept_when"]) and not words & set(rules["unless"]):
        return None
    return normalise_header(_BRACKETED.sub(" ", heading)) or None


@cache
def headings() -> dict[str, dict[str, tuple[str, ...]]]:
    """kind -> field -> headings, most preferred first."""
    data = _data()
    common = data.get("common", {})
    table: dict[str, dict[str, tuple[str, ...]]] = {}
    for kind, fields in FIELDS.items():
        own = data.get(kind, {})
        wrong = sorted(set(own) - set(fields))
        if wrong:
            raise ValueError(f"{TABLE.name}: [{kind}] has fields the standard lacks: {wrong}")
        table[kind] = {
            name: tuple(own.get(name, ())) + tuple(common.get(name, ()))
            for name in fields
            if own.get(name) or common.get(name)
        }
    return table
