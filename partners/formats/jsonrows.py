"""JSON: a list of objects, or {"rows": [...]}; keys are the headings, in first-seen order.

The standard library parses the whole document at once, so JSON is capped in size
(MAX_JSON_BYTES; CSV and XLSX stream), and its rows may not name more than MAX_COLUMNS keys
between them. Numbers keep their exact text ("12.50" stays "12.50"): they are parsed as strings.
"""

import json
from collections.abc import Iterator
from typing import BinaryIO

from partners.formats import jsondepth
from partners.limits import ReadLimits, too_many_columns
from partners.table import UnreadableFile


class Nested(str):
    """A list or object where a row names a value: its JSON text, marked so that the validator
    refuses it (no field of a return holds one) rather than store the text."""

    __slots__ = ()


def strip(cell: str) -> str:
    """A cell without its surrounding spaces, still marked if it is `Nested` (the row reader's
    ``str.strip`` for JSON records)."""
    return Nested(cell.strip()) if cell.__class__ is Nested else cell.strip()


def _text(value: object) -> str:
    """A JSON value as cell text (numbers were parsed as their text); nested lists and objects
    as `Nested`."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return Nested(json.dumps(value))


def records(stream: BinaryIO, limits: ReadLimits = ReadLimits()) -> Iterator[list[str]]:
    """The headings (union of keys) first, then one record per object."""
    data = stream.read(limits.json_bytes + 1)
    if len(data) > limits.json_bytes:
        raise UnreadableFile(
            f"This JSON file is larger than {limits.json_bytes / 1_000_000:,g} MB, the most the "
            "hub parses at once (MAX_JSON_BYTES). Please send large returns as CSV."
        )
    try:
        document = jsondepth.loads(
            data.decode("utf-8-sig"), parse_float=str, parse_int=str, parse_constant=str
        )
    except UnicodeDecodeError as error:
        message = "This JSON file is not UTF-8 text. Please save it as UTF-8."
        raise UnreadableFile(message) from error
    except jsondepth.TooDeep as error:
        raise UnreadableFile(
            f"This JSON file has lists or objects {error}; a return is a list of rows of "
            "named values."
        ) from error
    except json.JSONDecodeError as error:
        raise UnreadableFile(
            f"This JSON file is not valid: {error.msg} at line {error.lineno}, "
            f"column {error.colno}."
        ) from error
    items = document.get("rows") if isinstance(document, dict) else document
    if not isinstance(items, list):
        raise UnreadableFile(
            'This JSON file must be a list of rows, or an object with a "rows" list.'
        )
    keys: dict[str, None] = {}
    for number, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise UnreadableFile(
                f"Item {number} of the JSON list is not a set of named values like "
                '{"payment_date": "...", "amount": "..."}.',
                row=number,
            )
        if _holds_nul(item):
            raise UnreadableFile(
                f"Item {number} of the JSON list holds a NUL character (\\u0000), which no "
                "heading or value may hold. Please remove it and send the file again.",
                row=number,
            )
        keys.update(dict.fromkeys(item))
        if len(keys) > limits.columns:
            raise UnreadableFile(too_many_columns(
                len(keys), limits.columns, f"Up to item {number:,}, the JSON list"), row=number)
    return _records(list(keys), items)


def _holds_nul(item: dict) -> bool:
    """Whether a key or a text value holds U+0000: no database text can (nested values stay
    JSON, where it is escaped)."""
    return any("\x00" in key or (isinstance(value, str) and "\x00" in value)
               for key, value in item.items())


def _records(keys: list[str], items: list[dict]) -> Iterator[list[str]]:
    """Yield the heading record, then each object's values in heading order."""
    yield keys
    for item in items:
        yield [_text(item.get(key)) for key in keys]
