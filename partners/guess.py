"""Best guesses of which column is which field, for a person choosing columns by hand.

Only ever a suggestion shown in a form: a heading that is an abbreviation of one in the table
("SUPP_NM" of "Supplier Name") and sample values of the right shape (dates for a date, numbers
for an amount) make a column likelier. Nothing is read with a guess until a person confirms it.
"""

import re
from difflib import SequenceMatcher

from partners.fields import FIELDS, normalise_header
from partners.headings import expand, headings

_DATE = re.compile(r"\d{1,4}[-/. ]\w{1,3}[-/. ]\d{2,4}(\s.*)?|\d{5}")
_AMOUNT = re.compile(r"[-(£]*\s*[\d,]+(\.\d+)?\)?")
_SHAPES = {"payment_date": _DATE, "contribution_date": _DATE, "date_achieved": _DATE,
           "amount": _AMOUNT, "irrecoverable_vat": _AMOUNT, "value": _AMOUNT,
           "quantity": _AMOUNT}
ENOUGH = 0.6


def _abbreviates(short: str, long: str) -> bool:
    """'suppnm' abbreviates 'suppliername': same first letter, letters in order."""
    if not short or not long or short[0] != long[0]:
        return False
    letters = iter(long)
    return all(letter in letters for letter in short)


def _name_score(heading: str, names: list[str]) -> float:
    if expand(heading) in names:
        return 1.0
    heading = normalise_header(heading)
    best = 0.0
    for name in names:
        score = SequenceMatcher(None, heading, name).ratio()
        if _abbreviates(heading, name):  # the shorter the full name, the closer the match
            score = max(score, 0.7 + 0.3 * len(heading) / len(name))
        best = max(best, score)
    return best


def _shape_score(field_name: str, values: list[str]) -> float:
    filled = [v.strip() for v in values if v.strip()]
    if not filled:
        return 0.0
    shape = _SHAPES.get(field_name)
    if shape is None:  # text fields: letters, not a date or a number
        fit = sum(1 for v in filled if re.search("[A-Za-z]{3}", v) and not _DATE.fullmatch(v))
    else:
        fit = sum(1 for v in filled if shape.fullmatch(v))
    return fit / len(filled)


def guess_columns(kind: str, header: list[str], samples: list[list[str]],
                  found: dict[str, int]) -> dict[str, int]:
    """field -> column index: the columns recognised, plus a guess for each other field where
    one column stands out. A column is guessed for one field at most."""
    guesses = dict(found)
    taken = set(found.values())
    table = headings()[kind]
    scored = []
    for field_name in FIELDS[kind]:
        if field_name in guesses:
            continue
        known = [normalise_header(h) for h in (*table.get(field_name, ()), field_name)]
        for index, heading in enumerate(header):
            if not normalise_header(heading) or index in taken:
                continue
            named = _name_score(heading, known)
            if named < ENOUGH:
                continue
            values = [row[index] if index < len(row) else "" for row in samples]
            scored.append((0.7 * named + 0.3 * _shape_score(field_name, values), field_name,
                           index))
    for _score, field_name, index in sorted(scored, reverse=True):
        if field_name not in guesses and index not in taken:
            guesses[field_name] = index
            taken.add(index)
    return guesses
