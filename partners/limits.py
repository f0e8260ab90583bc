"""How big a partner file's parts may be: checked while reading, before anything big is held.

Without these, one upload could take the hub down: a 2.3 MB heading row of 300,000 columns cost
1.7 GB on the columnar path, a 100 MB line without a newline 1.3 GB, an .xlsx with a 200,000-cell
row 160 MB and 11 s. Each limit is a setting (config/default.py, named in ``SETTINGS``) and each
refusal is an `UnreadableFile` that names it, so the partner gets a rejected receipt."""

from dataclasses import dataclass, fields

# Excel's own grid: 1,048,576 rows of 16,384 columns.
EXCEL_ROWS = 1_048_576


@dataclass(frozen=True)
class ReadLimits:
    columns: int = 500  # cells in a heading row (CSV, XLSX), a workbook row, or JSON keys
    line_bytes: int = 1_000_000  # a CSV line (or record), or the XML of one workbook row
    cell_bytes: int = 1_000_000  # a workbook cell's text (shared or inline)
    xlsx_rows: int = EXCEL_ROWS  # rows of a worksheet, counting gaps
    json_bytes: int = 20_000_000  # a JSON file, parsed at once (CSV and XLSX stream)

    @classmethod
    def from_config(cls, config) -> "ReadLimits":
        """The limits a hub's settings give (MAX_COLUMNS, MAX_LINE_BYTES …)."""
        return cls(**{f.name: int(config[SETTINGS[f.name]]) for f in fields(cls)
                      if SETTINGS[f.name] in config})


SETTINGS = {"columns": "MAX_COLUMNS", "line_bytes": "MAX_LINE_BYTES",
            "cell_bytes": "MAX_CELL_BYTES", "xlsx_rows": "MAX_XLSX_ROWS",
            "json_bytes": "MAX_JSON_BYTES"}


def too_many_columns(count: int, limit: int, where: str) -> str:
    """The message for a row wider than MAX_COLUMNS."""
    return (f"{where} has {count:,} columns; the hub reads at most {limit:,} columns "
            f"(MAX_COLUMNS). Please delete the columns you do not need, or empty ones, and "
            "upload it again.")


def too_long(what: str, limit: int, setting: str) -> str:
    """The message for a line, record or cell longer than its limit."""
    return (f"{what} is longer than {limit:,} bytes, the most the hub reads ({setting}): it "
            "cannot be a payment line. The file may be damaged, or a quotation mark (\") may be "
            "missing its partner; please check it and upload it again.")
