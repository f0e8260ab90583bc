"""Each part of a file has a limit (partners/limits.py), checked while reading: past it, the file
is refused with a message naming the setting; at it, the file reads as before."""

import codecs
import io
import zipfile

import openpyxl
import pytest

from partners import ReadLimits, UnreadableFile, read_table
from partners.formats import columns
from partners.formats.columns import ColumnReader, Declined
from tests.workbooks import inline, shared, workbook_xml

HEADER = "Date Paid,Amount,Supplier Name"
LINE = "01/05/2025,120.00,Acme Ltd"
SMALL = ReadLimits(columns=5, line_bytes=300_000, cell_bytes=100, xlsx_rows=3, json_bytes=400)


def read(data: bytes, limits: ReadLimits = SMALL, filename: str = "spend.csv"):
    table = read_table(io.BytesIO(data), "spend", filename=filename, limits=limits)
    return list(table.rows)


def refusal(data: bytes, limits: ReadLimits = SMALL, filename: str = "spend.csv") -> str:
    with pytest.raises(UnreadableFile) as refused:
        read(data, limits, filename)
    return refused.value.message


def test_a_heading_row_wider_than_max_columns_is_refused():
    message = refusal(f"{HEADER},a,b,c\r\n{LINE}\r\n".encode())

    assert "Row 1 has 6 columns" in message and "at most 5 columns (MAX_COLUMNS)" in message


def test_a_heading_row_at_max_columns_is_read():
    assert len(read(f"{HEADER},a,b\r\n{LINE},x,y\r\n".encode())) == 1


@pytest.mark.parametrize("ending, encoding", [
    ("\r\n", "utf-8"), ("\r", "utf-8"), ("\r\n", "utf-16"), ("\r\n", "cp1252")])
def test_a_line_longer_than_max_line_bytes_is_refused_before_it_is_read_whole(ending, encoding):
    data = f"{HEADER}{ending}{LINE}{ending}{LINE},{'z' * 400_000}{ending}".encode(encoding)
    if encoding == "cp1252":
        data = data.replace(b"Acme", b"Acm\xe9")

    message = refusal(data)

    assert message.startswith("Line 3 is longer than 300,000 bytes")
    assert "(MAX_LINE_BYTES)" in message


def test_a_line_without_any_newline_is_refused():
    data = codecs.BOM_UTF8 + f"{HEADER}\n{LINE}{'z' * 3_000_000}".encode()

    assert "Line 2 is longer than 300,000 bytes" in refusal(data)


def test_the_columnar_reader_declines_a_record_longer_than_max_line_bytes(monkeypatch):
    monkeypatch.setattr(columns, "CHUNK", 1 << 16)  # so the record runs on past a chunk
    cell = "q\n" * 200_000
    data = f'{HEADER}\n{LINE}\n01/05/2025,1.00,"{cell}"\n'.encode()
    stream = io.BytesIO(data)
    table = read_table(stream, "spend", filename="spend.csv", limits=SMALL)

    with pytest.raises(Declined, match="MAX_LINE_BYTES"):
        list(ColumnReader(stream, table, "spend"))


def workbook(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_workbook_row_wider_than_max_columns_is_refused_before_openpyxl_reads_it():
    data = workbook([HEADER.split(","), LINE.split(",") + list("abc")])

    assert "A row of the sheet has 6 columns" in refusal(data, filename="spend.xlsx")


def test_a_workbook_cell_beyond_max_columns_is_refused():
    book = openpyxl.Workbook()
    book.active.append(HEADER.split(","))
    book.active["Z2"] = "far away"
    out = io.BytesIO()
    book.save(out)

    assert "has 26 columns" in refusal(out.getvalue(), filename="spend.xlsx")


def test_a_workbook_cell_far_beyond_max_columns_is_refused_before_openpyxl_reads_it():
    data = workbook_xml([inline("Date Paid") + inline("x", ref="ABC1")])

    assert "A row of the sheet has 731 columns" in refusal(data, filename="spend.xlsx")


def test_a_workbook_with_more_rows_than_max_xlsx_rows_is_refused():
    data = workbook([HEADER.split(",")] + [LINE.split(",")] * 3)

    message = refusal(data, filename="spend.xlsx")

    assert "more than 3 rows" in message and "(MAX_XLSX_ROWS)" in message


def test_a_shared_string_longer_than_max_cell_bytes_is_refused():
    names = HEADER.split(",")
    data = workbook_xml(["".join(shared(n) for n in range(3)), shared(3) + shared(4) + shared(5)],
                        strings=[*names, "01/05/2025", "1.00", "y" * 150])

    message = refusal(data, filename="spend.xlsx")

    assert "A cell's text is longer than 100 bytes" in message and "MAX_CELL_BYTES" in message


def test_a_workbook_within_the_limits_is_read():
    data = workbook([HEADER.split(","), LINE.split(",")])

    assert len(read(data, filename="spend.xlsx")) == 1


def test_a_workbook_of_shared_strings_within_the_limits_is_read():
    names = HEADER.split(",")
    data = workbook_xml(["".join(shared(n) for n in range(3)), shared(3) + shared(4) + shared(5)],
                        strings=[*names, "01/05/2025", "1.00", "y" * 80])

    assert read(data, filename="spend.xlsx")[0][1]["supplier_name"] == "y" * 80


def test_a_workbook_row_of_more_xml_than_max_line_bytes_is_refused():
    data = workbook([HEADER.split(","), ["01/05/2025", "1.00", "w" * 2000]])
    limits = ReadLimits(line_bytes=1000)

    assert "A row of the sheet is longer than 1,000 bytes" in refusal(data, limits, "spend.xlsx")


def test_json_rows_naming_more_keys_than_max_columns_are_refused():
    data = b'[{"payment_date": "2025-05-01", "amount": "1", "supplier_name": "A", "a": 1, ' \
           b'"b": 2, "c": 3}]'

    assert "(MAX_COLUMNS)" in refusal(data, filename="spend.json")


def test_json_larger_than_max_json_bytes_is_refused():
    data = b"[" + b", ".join([b'{"amount": "1"}'] * 40) + b"]"

    assert "(MAX_JSON_BYTES)" in refusal(data, filename="spend.json")


def test_the_limits_come_from_the_settings():
    limits = ReadLimits.from_config({"MAX_COLUMNS": 7, "MAX_LINE_BYTES": "1000"})

    assert limits == ReadLimits(columns=7, line_bytes=1000)


def test_a_damaged_workbook_is_still_said_to_be_damaged():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert "damaged" in refusal(out.getvalue(), filename="spend.xlsx")
