"""Blank CSV and XLSX templates for each kind of return: a header of labels and an example row."""

import csv
import io
from datetime import date
from decimal import Decimal

from marshmallow import fields

from schemas.fields import Choice
from schemas.returns import schema_for

_HEADER_COLOUR = "DDE6F0"
_IDENTIFIERS = ("_id", "_number", "postcode", "reference")  # Excel would drop leading zeros


def _columns(kind: str) -> list[tuple[str, fields.Field]]:
    return list(schema_for(kind)().fields.items())


def csv_template(kind: str) -> bytes:
    """A UTF-8 CSV (with BOM, so Excel shows £ correctly): labels, then one example row."""
    columns = _columns(kind)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(field.metadata["label"] for _, field in columns)
    writer.writerow(field.metadata["example"] for _, field in columns)
    return out.getvalue().encode("utf-8-sig")


def _cell_value(field: fields.Field, example: str):
    """The example as a spreadsheet cell: real dates and numbers, text otherwise."""
    if isinstance(field, fields.Date):
        return date.fromisoformat(example)
    if isinstance(field, fields.Decimal):
        return Decimal(example)
    return example


def _choices(field: fields.Field) -> tuple[str, ...] | None:
    if isinstance(field, Choice):
        return field.choices
    return ("yes", "no") if isinstance(field, fields.Boolean) else None


def xlsx_template(kind: str) -> bytes:
    """An XLSX workbook: the template sheet (bold labels, example row, drop-downs) and guidance."""
    # openpyxl is imported when a workbook is made: imported with the module, it cost every hub
    # command and every worker's start 0.1 s.
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    columns = _columns(kind)
    book = Workbook()
    sheet = book.active
    sheet.title = kind.capitalize()
    sheet.freeze_panes = "A2"
    for index, (name, field) in enumerate(columns, start=1):
        letter = get_column_letter(index)
        label, example = field.metadata["label"], field.metadata["example"]
        head = sheet.cell(row=1, column=index, value=label)
        head.font, head.fill = Font(bold=True), PatternFill("solid", start_color=_HEADER_COLOUR)
        cell = sheet.cell(row=2, column=index, value=_cell_value(field, example))
        if isinstance(cell.value, date):
            cell.number_format = "dd/mm/yyyy"
        elif isinstance(field, fields.Decimal):
            cell.number_format = "#,##0.00" if getattr(field, "places", None) == 2 else "General"
        elif name.endswith(_IDENTIFIERS):
            cell.number_format = "@"
            sheet.column_dimensions[letter].number_format = "@"
        sheet.column_dimensions[letter].width = min(max(len(label), len(example)) + 4, 60)
        if choices := _choices(field):
            rule = DataValidation(type="list", formula1=f'"{",".join(choices)}"', allow_blank=True)
            rule.add(f"{letter}2:{letter}1048576")
            sheet.add_data_validation(rule)
    _guidance(book.create_sheet("Guidance"), columns)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _guidance(sheet, columns: list[tuple[str, fields.Field]]) -> None:
    """A sheet explaining each column, for the person filling the template in."""
    from openpyxl.styles import Alignment, Font, PatternFill

    sheet.append(["Column", "Required", "What to write", "Example", "Field name"])
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", start_color=_HEADER_COLOUR)
    for name, field in columns:
        meta = field.metadata
        choices = _choices(field)
        hint = meta["description"] + (f" One of: {', '.join(choices)}." if choices else "")
        required = "yes" if field.required else "no"
        sheet.append([meta["label"], required, hint, meta["example"], name])
    for letter, width in zip("ABCDE", (26, 10, 70, 30, 24), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=2, min_col=3, max_col=3):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
