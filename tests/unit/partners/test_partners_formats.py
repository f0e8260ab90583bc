"""Telling formats apart, decoding text, and the files that cannot be read at all."""

import codecs
import io
import json

import pytest

from partners import UnreadableFile, UnsupportedFormat, read_table

HEADER = "Payment date,Amount (GBP),Supplier name\r\n"


def _table(data: bytes, kind="spend", **options):
    table = read_table(io.BytesIO(data), kind, **options)
    return table, list(table.rows)


def test_empty_file_is_unreadable_and_says_it_is_empty(fixture_path):
    with pytest.raises(UnreadableFile, match="empty"):
        read_table(fixture_path("malformed/empty.csv").open("rb"), "spend")


def test_file_of_only_blank_lines_is_unreadable():
    with pytest.raises(UnreadableFile, match="empty"):
        _table(b"\r\n  \r\n,,,\r\n")


def test_png_image_is_an_unsupported_format_that_names_what_it_is(fixture_path):
    with pytest.raises(UnsupportedFormat, match="PNG image"):
        read_table(fixture_path("malformed/not_a_spreadsheet.png").open("rb"), "spend")


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "Excel 97-2003"),
        (bytes(range(256)) * 4, "binary data"),
    ],
    ids=["pdf", "old_xls", "binary"],
)
def test_other_binary_files_are_unsupported_formats(data, what):
    with pytest.raises(UnsupportedFormat, match=what):
        _table(data)


def test_header_only_file_yields_no_rows_and_says_so(fixture_path):
    table = read_table(fixture_path("template/header_only.csv").open("rb"), "spend")
    assert list(table.rows) == []
    assert "There are no rows with data below the headings." in table.notes


def test_text_without_recognisable_headings_lists_what_it_found():
    with pytest.raises(UnreadableFile) as raised:
        _table(b"Dear finance team,\r\nplease find attached our spend.\r\n")
    assert "no column for the payment date" in raised.value.message
    assert "'Dear finance team'" in raised.value.message


def test_missing_amount_column_is_named_in_the_message(fixture_path):
    with pytest.raises(UnreadableFile) as raised:
        read_table(fixture_path("transparency/missing_amount.csv").open("rb"), "spend")
    message = raised.value.message
    assert message.startswith("The file has no column for the amount")
    assert "'Paid Date'" in message and "'Supplier Name'" in message
    assert "payment date" not in message.split("The headings")[0]


def test_utf8_byte_order_mark_does_not_hide_the_first_heading(fixture_path):
    table, rows = _table(fixture_path("template/spend.csv").read_bytes())
    assert table.columns["payment_date"].letter == "A"
    assert table.columns["payment_date"].header == "Payment date"


def test_windows_1252_file_is_read_as_windows_1252_and_noted(fixture_path):
    table, rows = _table(fixture_path("transparency/oxford_2017_windows-1252.csv").read_bytes())
    assert rows[0][1]["supplier_name"] == "SAN REMO CAFÉ"
    assert table.columns["amount"].header == "Amount £"
    assert "Read as Windows-1252: the file is not UTF-8." in table.notes


def test_utf8_file_with_a_stray_windows_byte_far_down_keeps_its_real_utf8(count_and_total):
    good = "2024-04-01,10.00,O’Brien’s Café\r\n".encode()
    bad = b"2024-04-02,20.00,Smith\x92s Bakery\r\n"
    data = HEADER.encode() + good * 3000 + bad + good
    table, rows = _table(data)
    assert count_and_total(rows) == (3002, 3001 * 10 + 20)
    assert rows[3000][1]["supplier_name"] == "Smith’s Bakery"
    assert rows[3001][1]["supplier_name"] == "O’Brien’s Café"
    assert any("(line 3002)" in note for note in table.notes)


def test_utf16_tab_separated_unicode_text_from_excel_is_read():
    text = "Payment date\tAmount (GBP)\tSupplier name\r\n2024-04-01\t10.00\tŁódź Ltd\r\n"
    table, rows = _table(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert rows == [
        (2, {"payment_date": "2024-04-01", "amount": "10.00", "supplier_name": "Łódź Ltd"})
    ]
    assert "Read as UTF-16 text." in table.notes


def test_semicolon_separated_file_with_decimal_commas_is_split_on_semicolons():
    data = b"Payment date;Amount (GBP);Supplier name\n2024-04-01;10,50;Acme\n2024-04-02;3,25;Beta\n"
    table, rows = _table(data)
    assert [row["amount"] for _, row in rows] == ["10,50", "3,25"]
    assert "Columns are separated by semicolons." in table.notes


def test_description_full_of_semicolons_does_not_fool_the_separator_choice():
    data = HEADER.encode() + b'2024-04-01,10.00,"A; B; C; D; E; F"\r\n' * 5
    _, rows = _table(data)
    assert rows[0][1]["supplier_name"] == "A; B; C; D; E; F"


def test_old_mac_file_with_carriage_returns_only_is_read():
    data = HEADER.replace("\r\n", "\r").encode() + b"2024-04-01,10.00,Acme\r2024-04-02,5,Beta\r"
    _, rows = _table(data)
    assert [number for number, _ in rows] == [2, 3]


def test_quoted_cell_with_a_line_break_is_one_row_as_excel_shows_it():
    data = HEADER.encode() + b'2024-04-01,10.00,"Acme\r\nTrading"\r\n2024-04-02,5,Beta\r\n'
    _, rows = _table(data)
    assert rows == [
        (2, {"payment_date": "2024-04-01", "amount": "10.00", "supplier_name": "Acme\r\nTrading"}),
        (3, {"payment_date": "2024-04-02", "amount": "5", "supplier_name": "Beta"}),
    ]


def test_missing_closing_quote_is_explained_rather_than_swallowing_the_file():
    body = "".join(f"2024-04-{day % 28 + 1:02d},{day}.00,Supplier {day}\r\n" for day in range(9000))
    data = (HEADER + '2024-04-01,1.00,"Acme\r\n' + body).encode()
    table = read_table(io.BytesIO(data), "spend")
    with pytest.raises(UnreadableFile, match="quotation mark"):
        list(table.rows)


def test_report_title_and_blank_lines_above_the_headings_are_passed_over():
    data = b"Payments over \xc2\xa3500\r\n\r\nRun on 2 July 2012,,\r\n" + HEADER.encode()
    data += b"2024-04-01,10.00,Acme\r\n"
    table, rows = _table(data)
    assert table.header_row == 4
    assert rows == [(5, {"payment_date": "2024-04-01", "amount": "10.00", "supplier_name": "Acme"})]
    assert "The 3 lines above the headings (row 4) were not read." in table.notes


def test_short_rows_are_padded_and_surrounding_spaces_stripped():
    data = b"Payment date,Amount (GBP),Supplier name,Supplier ID\r\n"
    data += b" 2024-04-01 , 10.00 ,Acme\xc2\xa0\r\n"
    _, rows = _table(data)
    assert rows[0][1] == {
        "payment_date": "2024-04-01",
        "amount": "10.00",
        "supplier_name": "Acme",
        "supplier_id": "",
    }


def test_the_callers_stream_is_left_open():
    stream = io.BytesIO(HEADER.encode() + b"2024-04-01,10.00,Acme\r\n")
    list(read_table(stream, "spend").rows)
    assert not stream.closed


def test_unknown_kind_is_a_programming_error_not_a_partner_error():
    with pytest.raises(ValueError, match="unknown kind"):
        read_table(io.BytesIO(HEADER.encode()), "expenses")


# --- JSON ---------------------------------------------------------------------------------------


def test_json_list_of_objects_keeps_number_text_exactly(fixture_path):
    table, rows = _table(fixture_path("template/spend.json").read_bytes())
    assert table.format == "json" and table.profile == "template" and table.header_row == 0
    assert [number for number, _ in rows] == [1, 2]
    assert rows[1][1]["amount"] == "-310.5"
    assert rows[1][1]["charity_number"] == "1098765"


def test_json_object_with_a_rows_list_is_read(fixture_path):
    _, rows = _table(fixture_path("template/spend_rows_object.json").read_bytes())
    assert [row["amount"] for _, row in rows] == ["1250.10", "7"]
    assert rows[1][1].get("supplier_id", "") == ""


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'[{"payment_date": "2024-04-01",}]', "not valid"),
        (b'{"payments": []}', 'a "rows" list'),
        (b'[{"payment_date": "2024-04-01", "amount": "1", "supplier_name": "A"}, 7]', "Item 2"),
        (b'[{"date": "2024-04-01"}]', "no column for the"),
    ],
    ids=["syntax_error", "no_rows_key", "item_not_an_object", "missing_fields"],
)
def test_malformed_json_is_unreadable_with_a_plain_message(data, message):
    with pytest.raises(UnreadableFile, match=message):
        _table(data)


def test_json_nested_values_are_passed_on_as_json_text_for_the_validator():
    data = json.dumps([{"payment_date": "2024-04-01", "amount": {"net": 1}, "supplier_name": "A"}])
    _, rows = _table(data.encode())
    assert json.loads(rows[0][1]["amount"]) == {"net": "1"}


def test_an_upload_spooled_to_a_temporary_file_is_read_like_any_stream(fixture_path):
    # Werkzeug hands uploads over as SpooledTemporaryFile objects.
    from tempfile import SpooledTemporaryFile

    with SpooledTemporaryFile(max_size=1024) as upload:
        upload.write(fixture_path("hmt25k/cabinet_office_clean_2022-07.csv").read_bytes())
        upload.seek(0)
        table = read_table(upload, "spend", media_type="text/csv")
        assert sum(1 for _ in table.rows) == 318


def test_a_character_cut_in_two_at_the_end_of_the_sample_does_not_change_the_encoding():
    from partners.formats.text import choose_encoding

    assert choose_encoding("Café".encode()[:-1]) == "utf-8"
    assert choose_encoding(b"Caf\xe9 Rouge\n") == "cp1252"
    assert choose_encoding("O’Brien".encode() + b" Caf\xe9\n") == "utf-8"  # stray byte only
