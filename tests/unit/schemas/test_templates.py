"""Blank CSV and XLSX templates: labels for headers and an example row."""

import csv
import io
from datetime import datetime

import openpyxl
import pytest

from exchange.validate import RowValidator
from schemas import KINDS, csv_template, xlsx_template


@pytest.mark.parametrize("kind", KINDS)
def test_the_csv_template_has_the_labels_and_one_example_row(kind):
    data = csv_template(kind)
    assert data.startswith(b"\xef\xbb\xbf")  # so Excel reads it as UTF-8
    header, example = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    fields = KINDS[kind]().fields
    assert header == [f.metadata["label"] for f in fields.values()]
    assert example == [f.metadata["example"] for f in fields.values()]


@pytest.mark.parametrize("kind", KINDS)
def test_the_example_row_of_each_template_passes_the_row_validator(kind):
    header, example = list(csv.reader(io.StringIO(csv_template(kind).decode("utf-8-sig"))))
    by_label = {label: name for name, label in KINDS[kind].labels().items()}
    row, issues = RowValidator(kind, {}, None).validate(
        2, {by_label[h]: v for h, v in zip(header, example, strict=True)})
    assert issues == []
    assert row is not None


@pytest.mark.parametrize("kind", KINDS)
def test_the_xlsx_template_has_bold_labels_sized_columns_and_guidance(kind):
    book = openpyxl.load_workbook(io.BytesIO(xlsx_template(kind)))
    assert book.sheetnames == [kind.capitalize(), "Guidance"]
    sheet = book.active
    labels = [c.value for c in sheet[1]]
    assert labels == list(KINDS[kind].labels().values())
    assert all(c.font.b for c in sheet[1])
    assert all(sheet.column_dimensions[c.column_letter].width >= len(c.value) for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    guidance = book["Guidance"]
    assert [c.value for c in guidance["A"]][1:] == labels


def test_the_xlsx_example_row_holds_real_dates_and_numbers_and_keeps_leading_zeros():
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_template("spend"))).active
    example = {h.value: c.value for h, c in zip(sheet[1], sheet[2], strict=True)}
    assert example["Payment date"] == datetime(2021, 10, 14)
    assert example["Amount (GBP)"] == pytest.approx(1234.56)
    assert example["Company number"] == "01234567"
    assert sheet["E2"].number_format == "@"


def test_choice_columns_offer_a_drop_down_of_allowed_values():
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_template("commitments"))).active
    lists = [v.formula1 for v in sheet.data_validations.dataValidation]
    assert '"not_started,in_progress,achieved"' in lists
