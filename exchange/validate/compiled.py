"""Generated code for `RowValidator`: one function per file layout, one block per field.

A loop over fields costs twice as much as straight-line code, and a million-line file runs this
a million times. Each block reads cell `raw` of the row's values and leaves the field's value in
`v_<i>`; the function returns the values in the schema's order.
"""

from collections.abc import Callable, Sequence
from typing import Any

from exchange.validate.cells import FORMULA_START, MISS, NOT_GIVEN_TEXT, Cell, Flag, as_shown

_TEXT_BLOCK = """
    raw = {raw}
    v_{i} = None
    if raw is not None and raw != "":
        text = raw.strip() if raw.__class__ is str else shown(row_number, {name!r}, raw, issues)
        if text:
            if text[0] in FORMULA_START and len(text) > 1 or len(text) > {max_length}:
                check_text(row_number, {name!r}, text, issues)
{not_given}            v_{i} = text
"""
_NOT_GIVEN_LINE = """            if text in NOT_GIVEN_TEXT:  # a required column saying 'N/A'
                text = None
"""
_BLANK_BLOCK = """    if v_{i} is None:  # blank means withheld: the value that says so
        v_{i} = blank_{i}
"""
_TYPED_BLOCK = """
    raw = {raw}
    try:  # empty and absent cells are in the cache too, as None
        v_{i} = cached_{i}(raw, MISS)
    except TypeError:  # an unhashable JSON value, such as a list
        v_{i} = convert_{i}(raw)
    else:
        if v_{i} is MISS:  # .get and a marker: most amounts are new, and raising costs more
            v_{i} = cache_{i}[raw] = convert_{i}(raw)
    if v_{i}.__class__ is Flag:
        v_{i} = flagged(row_number, {name!r}, raw, v_{i}, issues)
"""


def compile_reader(kind: str, cells: dict[str, Cell], fields: tuple[str, ...],
                   required: list[str], check_anyway: bool, hooks: dict[str, Callable],
                   blanks: dict[str, str] | None = None
                   ) -> Callable[[int, Sequence, list], tuple]:
    """Generate `read(row_number, values, issues) -> the fields' values, schema order` for
    cells given in the order of ``fields``. ``hooks``: `check_text`, `shown` (the text of a
    text field's cell that is not a str), `flagged` and `check_required` (called when a
    required value is missing, or always if ``check_anyway``).
    ``blanks``: text fields whose empty cell stands for a value (a supplier name withheld)."""
    blanks = blanks or {}
    scope: dict[str, Any] = {
        "Flag": Flag, "as_shown": as_shown, "FORMULA_START": FORMULA_START,
        "NOT_GIVEN_TEXT": NOT_GIVEN_TEXT, "MISS": MISS, **hooks,
    }
    body = ["def read(row_number, values, issues):"]
    index = {name: i for i, name in enumerate(cells)}
    for i, (name, cell) in enumerate(cells.items()):
        if not name.isidentifier():  # names come from our schema; this keeps it that way
            raise ValueError(f"field name {name!r} is not an identifier")
        raw = f"values[{fields.index(name)}]" if name in fields else "None"
        if cell.parse is None:
            body.append(_TEXT_BLOCK.format(name=name, i=i, raw=raw, max_length=cell.max_length,
                                           not_given=_NOT_GIVEN_LINE if cell.required else ""))
            if name in blanks:
                scope[f"blank_{i}"] = blanks[name]
                body.append(_BLANK_BLOCK.format(i=i))
        else:
            scope[f"cache_{i}"], scope[f"convert_{i}"] = cell.cache, cell.convert
            scope[f"cached_{i}"] = cell.cache.get
            body.append(_TYPED_BLOCK.format(name=name, i=i, raw=raw))
    body.append(f"    out = ({''.join(f'v_{i}, ' for i in range(len(cells)))})")
    # `is None`, not `None in (...)`: comparing None with a Decimal is slow.
    missing = " or ".join(f"v_{index[name]} is None" for name in required if name not in blanks)
    if check_anyway or missing:
        body.append(f"    if {'True' if check_anyway else missing}:")
        body.append(f"        check_required(row_number, out, values, {fields!r}, issues)")
    body.append("    return out")
    exec(compile("\n".join(body), f"<validator {kind}>", "exec"), scope)  # noqa: S102
    return scope["read"]
