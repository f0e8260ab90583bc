"""The two workbook readers: calamine for sheets it may hold at once, openpyxl for the rest.
They must give the same rows, so a partner's figures do not depend on which one ran."""

import io
import zipfile
from datetime import date, datetime, time, timedelta

import openpyxl
import pytest

from partners import UnreadableFile, read_table
from partners.formats import excel, xlsx_archive
from tests import workbooks

DATE_FORMATS = ["dd/mm/yyyy", "d-mmm-yy", "[$-F800]dddd, mmmm dd, yyyy", "yyyy-mm-dd",
                "mm/dd/yy;@", "[$-809]dd/mm/yyyy;@", "dd/mm/yyyy hh:mm:ss", "mmm-yy",
                "dd.mm.yyyy", "h:mm AM/PM", "[h]:mm:ss"]
NUMBER_FORMATS = ["General", "0.00", "#,##0.00", '"£"#,##0.00', "@", "0%", "[$£-809]#,##0.00"]
VALUES = [datetime(2021, 10, 3), datetime(2021, 10, 3, 12, 30, 15), date(2022, 2, 28),
          time(13, 45), timedelta(hours=30), 44500, 44500.75, 0.1 + 0.2, 1240.0, 1234.567,
          3.14159265358979, True, False, "  padded  ", "Café Ltd", "=1+1", "0012345", ""]
# Numbers no date can show (Excel shows ####): under a date format the readers differ (a
# negative one: openpyxl a time on 29 December 1899, calamine the time alone; past the year
# 9999: openpyxl #VALUE!, calamine the number), so they are written under number formats only.
NOT_DATES = [-0.01, 1e20, 123456789012345678]


def _saved(book: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _every_kind_of_cell() -> bytes:
    """A hidden sheet first; then one whose cells start at C3, with gap rows, every value in
    every format, and a far cell at AB."""
    book = openpyxl.Workbook()
    hidden = book.active
    hidden.title, hidden.sheet_state = "Lookup", "hidden"
    hidden["A1"] = "code"
    sheet = book.create_sheet("Data")
    for row, number_format in enumerate(DATE_FORMATS + NUMBER_FORMATS):
        values = VALUES + NOT_DATES if number_format in NUMBER_FORMATS else VALUES
        for column, value in enumerate(values):
            cell = sheet.cell(row=3 + 2 * row, column=3 + column, value=value)
            cell.number_format = number_format
    sheet["AB70"] = "far"
    return _saved(book)


def _rows(data: bytes, **budget) -> tuple[str, dict[str, list[list[str]]]]:
    """(the reader, each sheet's rows without their trailing empty cells)."""
    book = excel.read_workbook(io.BytesIO(data))
    try:
        return book.reader, {title: [_trimmed(row) for row in book.records(title,
                                                                            excel.ReadLimits())]
                             for title in book.titles()}
    finally:
        book.close()


def _trimmed(row: list[str]) -> list[str]:
    while row and row[-1] == "":
        row = row[:-1]
    return row


def test_both_readers_give_the_same_rows_for_every_kind_of_cell(monkeypatch):
    data = _every_kind_of_cell()
    reader, fast = _rows(data)
    monkeypatch.setattr(xlsx_archive, "CALAMINE_CELLS", 0)
    other, streamed = _rows(data)
    assert (reader, other) == ("calamine", "openpyxl")
    assert list(fast) == ["Data", "Lookup"]  # visible sheets first
    assert fast == streamed
    assert fast["Data"][2][2:7] == ["2021-10-03", "2021-10-03 12:30:15", "2022-02-28",
                                    "13:45:00", "1900-01-01 06:00:00"]  # dd/mm/yyyy
    assert fast["Data"][22][4:9] == ["44620 days, 0:00:00", "13:45:00", "1 day, 6:00:00",
                                     "44500 days, 0:00:00", "44500 days, 18:00:00"]  # [h]:mm
    assert fast["Data"][69][27] == "far"


def test_both_readers_give_the_same_spend_table(monkeypatch):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Spend over £500, Q3"])
    sheet.append([])
    sheet.append([None, "Payment date", "Amount (GBP)", "Supplier name", "Postcode"])
    for day in range(1, 29):
        sheet.append([None, datetime(2021, 10, day), day * 101.5, f"Supplier {day % 5}",
                      "S60 1AA" if day % 3 else None])
    sheet.append([])
    sheet.append([None, datetime(2021, 11, 1), "#N/A?", "Acme", "S60 1AA"])
    data = _saved(book)

    def read():
        table = read_table(io.BytesIO(data), "spend")
        return table.header_row, table.columns, list(table.rows), table.skipped

    fast = read()
    monkeypatch.setattr(xlsx_archive, "CALAMINE_CELLS", 0)
    assert read() == fast
    assert len(fast[2]) == 29


def test_a_sheet_with_an_error_cell_is_streamed_so_the_error_reaches_its_row():
    book = openpyxl.Workbook()
    book.active.append(["Payment date", "Amount (GBP)", "Supplier name"])
    book.active.append(["2021-10-01", "#DIV/0!", "Acme"])  # openpyxl writes it as an error
    reader, rows = _rows(_saved(book))
    assert reader == "openpyxl"
    assert rows["Sheet"][1] == ["2021-10-01", "#DIV/0!", "Acme"]


def test_a_sheet_whose_used_range_is_too_large_to_hold_is_streamed():
    book = openpyxl.Workbook()
    book.active["A1"], book.active["Z200000"] = "first", "last"  # 5.2 million cells apart
    reader, rows = _rows(_saved(book))
    assert reader == "openpyxl"
    assert rows["Sheet"][0] == ["first"]
    assert len(rows["Sheet"]) == 200_000 and rows["Sheet"][-1][25] == "last"


def test_cells_that_do_not_say_where_they_are_are_streamed():
    data = workbooks.workbook_xml([workbooks.shared(0) + workbooks.shared(1),
                                   workbooks.shared(1)], ["Supplier", "Acme"])
    reader, rows = _rows(data)
    assert reader == "openpyxl"
    assert rows == {"Sheet1": [["Supplier", "Acme"], ["Acme"]]}


@pytest.mark.parametrize(("cells", "width"), [
    (workbooks.inline("a", "A1") + workbooks.inline("b", "C1"), 26),
    (workbooks.inline("a", "A1") + workbooks.inline("b", "AD1"), 30),
    (workbooks.inline("a", "B1") + workbooks.inline("b", "ZZ1"), 702),
])
def test_the_scan_bounds_a_sheet_by_its_rightmost_column(cells, width):
    (shape,) = xlsx_archive.check_archive(io.BytesIO(workbooks.workbook_xml([cells]))).sheets
    assert (shape.rows, shape.width) == (1, width)


def test_the_scan_takes_a_sheet_s_height_from_its_last_row_number():
    book = openpyxl.Workbook()
    book.active["B2"], book.active["C90"] = "x", "y"
    (shape,) = xlsx_archive.check_archive(io.BytesIO(_saved(book))).sheets
    assert (shape.rows, shape.last_row, shape.unplaced, shape.errors) == (2, 90, False, False)


@pytest.mark.filterwarnings("ignore:Cell B3 is marked as a date")  # openpyxl's, on that value
def test_rows_after_a_value_calamine_cannot_give_come_from_openpyxl(monkeypatch):
    book = openpyxl.Workbook()
    for day in range(1, 6):
        book.active.append([f"2021-10-0{day}", day * 10.5, "Acme"])
    book.active["B3"].number_format = "[h]:mm:ss"
    book.active["B3"] = 1e20  # a duration of 274 trillion years: past Python's timedelta
    data = _saved(book)
    reader, rows = _rows(data)
    monkeypatch.setattr(xlsx_archive, "CALAMINE_CELLS", 0)
    assert (reader, rows) == ("calamine", _rows(data)[1])
    assert rows["Sheet"][4] == ["2021-10-05", "52.5", "Acme"]


@pytest.mark.parametrize("member", ["xl/workbook.xml", "xl/styles.xml", "[Content_Types].xml"])
def test_a_document_type_declared_anywhere_is_refused_as_openpyxl_refuses_it(member):
    plain = _saved(openpyxl.Workbook())
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == member:
                body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
                data = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + body
            target.writestr(item, data)
    assert xlsx_archive.check_archive(io.BytesIO(out.getvalue())).doctype
    with pytest.raises(UnreadableFile, match="document type declaration"):
        excel.read_workbook(io.BytesIO(out.getvalue())).titles()


@pytest.mark.parametrize(("strings", "reader"), [
    (['<r><t xml:space="preserve">Rich </t></r><r><rPr><b/></rPr><t>Text Ltd</t></r>',
      '<t xml:space="preserve"> Acme </t>', "<t>Plain</t>"], "calamine"),
    (["<r><t>Rich </t></r><r><t>Text Ltd</t></r>"], "openpyxl"),  # no xml:space="preserve"
    (["<t> Acme </t>"], "openpyxl"),
    (["<t>Line_x000D_break</t>"], "openpyxl"),  # calamine would decode the escape
])
def test_shared_strings_calamine_would_give_otherwise_are_streamed(strings, reader, monkeypatch):
    cells = "".join(f'<c r="{chr(65 + i)}1" t="s"><v>{i}</v></c>' for i in range(len(strings)))
    data = workbooks.workbook_xml([cells], strings, numbered=True, raw_strings=True)
    chosen, rows = _rows(data)
    monkeypatch.setattr(xlsx_archive, "CALAMINE_CELLS", 0)
    assert (chosen, rows) == (reader, _rows(data)[1])
