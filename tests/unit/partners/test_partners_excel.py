"""Excel workbooks: cell values as text, sheet choice, and files that must not be opened."""

import io
import zipfile
from datetime import date, datetime, time

import openpyxl
import pytest

from partners import UnreadableFile, UnsupportedFormat, read_table
from partners.formats import excel, xlsx_archive

HEADINGS = ["Payment date", "Amount (GBP)", "Supplier name"]


def _workbook(*sheets, hidden=()) -> io.BytesIO:
    """Workbook bytes with one sheet per (title, rows) pair."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        if title in hidden:
            sheet.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def _read(stream, **options):
    table = read_table(stream, "spend", **options)
    return table, list(table.rows)


def test_cell_values_come_back_as_the_text_a_person_would_type():
    assert excel.cell_text(None) == ""
    assert excel.cell_text(1240.0) == "1240"
    assert excel.cell_text(2142.73) == "2142.73"
    assert excel.cell_text(0.1 + 0.2) == "0.3"  # Excel shows 15 significant digits
    assert excel.cell_text(-4774) == "-4774"
    assert excel.cell_text(datetime(2013, 6, 20)) == "2013-06-20"
    assert excel.cell_text(datetime(2013, 6, 20, 9, 30)) == "2013-06-20 09:30:00"
    assert excel.cell_text(date(2013, 6, 20)) == "2013-06-20"
    assert excel.cell_text(time(0, 0)) == "00:00:00"
    assert excel.cell_text(True) == "TRUE"


def test_workbook_with_an_instructions_sheet_first_reads_the_data_sheet():
    stream = _workbook(
        ("Instructions", [["Fill in one row per payment."], ["Amounts in pounds."]]),
        ("Spend", [HEADINGS, [datetime(2024, 4, 1), 1250.5, "Acme"]]),
    )
    table, rows = _read(stream)
    assert rows == [
        (2, {"payment_date": "2024-04-01", "amount": "1250.5", "supplier_name": "Acme"})
    ]
    assert table.notes[0] == "Read the sheet 'Spend'."


def test_hidden_sheet_does_not_win_over_the_visible_one():
    stream = _workbook(
        ("Old", [HEADINGS, ["2020-01-01", 1, "Old Ltd"]]),
        ("Current", [HEADINGS, ["2024-04-01", 2, "New Ltd"]]),
        hidden=("Old",),
    )
    _, rows = _read(stream)
    assert rows[0][1]["supplier_name"] == "New Ltd"


def test_empty_rows_in_a_sheet_keep_excel_row_numbers():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADINGS)
    sheet.append(["2024-04-01", 10, "Acme"])
    sheet["A5"], sheet["B5"], sheet["C5"] = "2024-04-02", 20, "Beta"
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    table, rows = _read(out)
    assert [number for number, _ in rows] == [2, 5]
    assert table.skipped == [(3, "Blank row"), (4, "Blank row")]


def test_workbook_without_the_needed_columns_names_them():
    stream = _workbook(("Sheet1", [["Supplier name", "Amount (GBP)"], ["Acme", 5]]))
    with pytest.raises(UnreadableFile, match="no column for the payment date"):
        _read(stream)


def test_truncated_xlsx_is_unreadable_as_damaged():
    data = _workbook(("Spend", [HEADINGS] + [["2024-04-01", n, "Acme"] for n in range(500)]))
    cut = io.BytesIO(data.getvalue()[: len(data.getvalue()) // 2])
    with pytest.raises(UnreadableFile, match="damaged or incomplete"):
        _read(cut, filename="spend.xlsx")


def _bomb(size: int) -> io.BytesIO:
    """A workbook whose sheet XML is padded with `size` spaces: tiny zipped, huge unzipped."""
    good = zipfile.ZipFile(_workbook(("Spend", [HEADINGS])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in good.infolist():
            data = good.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * size)
            bomb.writestr(info.filename, data)
    out.seek(0)
    return out


def test_zip_bomb_xlsx_is_refused_before_it_is_opened(monkeypatch):
    opened = []
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: opened.append(1))
    stream = _bomb(60_000_000)
    assert len(stream.getvalue()) < 200_000
    with pytest.raises(UnreadableFile, match="would expand to 60 MB"):
        _read(stream)
    assert opened == []


def test_workbook_bigger_than_the_limit_once_unzipped_is_refused(monkeypatch):
    monkeypatch.setattr(xlsx_archive, "MAX_UNCOMPRESSED_BYTES", 5_000)
    with pytest.raises(UnreadableFile, match="would expand"):
        _read(_workbook(("Spend", [HEADINGS] + [["2024-04-01", n, "Acme"] for n in range(200)])))


@pytest.mark.parametrize(
    ("members", "what"),
    [
        (
            {"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"},
            "ods",
        ),
        ({"spend.csv": "Payment date,Amount,Supplier\n"}, "unzip it"),
        ({"readme.txt": "hello"}, "zip archive"),
    ],
    ids=["ods", "zipped_csv", "other_zip"],
)
def test_zip_files_that_are_not_workbooks_are_unsupported(members, what):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    out.seek(0)
    with pytest.raises(UnsupportedFormat, match=what):
        _read(out)


def test_file_named_xlsx_that_is_binary_but_not_a_zip_is_damaged():
    with pytest.raises(UnreadableFile, match="damaged"):
        _read(io.BytesIO(bytes(range(256)) * 8), filename="spend.xlsx")


def test_file_named_xlsx_that_holds_csv_text_is_read_as_csv():
    data = b"Payment date,Amount (GBP),Supplier name\r\n2024-04-01,10.00,Acme\r\n"
    table, rows = _read(io.BytesIO(data), filename="spend.xlsx")
    assert table.format == "csv" and len(rows) == 1


def test_an_xlsx_upload_spooled_to_a_temporary_file_is_read():
    from tempfile import SpooledTemporaryFile

    data = _workbook(("Spend", [HEADINGS, ["2024-04-01", 10, "Acme"]])).getvalue()
    with SpooledTemporaryFile(max_size=10) as upload:
        upload.write(data)
        upload.seek(0)
        _, rows = _read(upload)
    assert rows[0][1]["amount"] == "10"
