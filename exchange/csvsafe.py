"""CSV exports that a spreadsheet will not execute: cells that look like formulas are quoted."""

import csv
import io
import re
from collections.abc import Iterable

NUMBER = re.compile(r"^[+-]?(\d[\d,]*)?(\.\d+)?$")
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value) -> str:
    """A cell as text, with a leading apostrophe when a spreadsheet would run it as a formula."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(TRIGGERS) and not NUMBER.match(text):
        return "'" + text
    return text


def csv_bytes(header: list[str], rows: Iterable[Iterable]) -> bytes:
    """UTF-8 with a BOM so Excel reads £ and accents right; every cell made safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(safe_cell(v) for v in row)
    return ("\ufeff" + out.getvalue()).encode("utf-8")
