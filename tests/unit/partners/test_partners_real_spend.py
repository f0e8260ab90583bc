"""Every real spend file in ../shared/data/real/spend yields exactly its payment lines.

How the expected figures were worked out, without the adapter, twice:
1. gawk with FPAT='([^,]*)|("[^"]*")' (quoted cells), LC_ALL=C (Leeds 2020 is not valid UTF-8) and
   -M, summing each amount as whole pence from its text, over every line after the heading that
   has a date, an amount or a supplier name;
2. a 15-line script: csv.reader (latin-1), the amount heading typed in by hand, Decimal sum of every
   row whose amount cell is not empty.
Both gave the same count and total for every file. Lines not counted are explained per file.
"""

import contextlib
import csv
import io
from datetime import datetime
from decimal import Decimal

import openpyxl
import pytest

from partners import UnreadableFile, read_table

CASES = [
    # 318 lines after the heading, none blank.
    ("cabinet_office_25k/cabinet_office_clean_2022-07.csv", "hmt25k", 318, "43776522.32"),
    # 1,956 lines after the heading, none blank.
    ("calderdale/calderdale_clean_2022-08.csv", "transparency", 1956, "15901508.75"),
    # Rows 11-3165 are payments (9 report lines and the heading above). 639 of them have cells run
    # together (awk: NF 5 or 4); the amount was cut out of "dd/mm/yyyy<amount>" by hand in awk.
    # The total equals the report's own "Total" line (row 3167, skipped); 3166, 3168-3171 are blank.
    ("lambeth/2012-06-payments.csv", "lambeth", 3155, "40292334.84"),
    # Lines 2-9570 are payments; lines 9571-65506 (55,936) are all commas, not counted.
    ("leeds/leeds_raw_2011-09.csv", "transparency", 9569, "85636646.06"),
    # 8,334 lines after the heading, none blank.
    ("leeds/leeds_raw_2013-06.csv", "transparency", 8334, "91086646.93"),
    # Lines 2-16177 are payments; line 16178 is all commas, not counted.
    ("leeds/leeds_raw_2020-06.csv", "transparency", 16176, "104445727.45"),
    # 3,836 payments; every Paid Date is "00:00:00" (a value problem, so still counted).
    (
        "oxford_city_council/expenditure-over-500-apr-jun-2014.csv",
        "transparency",
        3836,
        "14165887.28",
    ),
    (
        "oxford_city_council/expenditure-over-500-apr-jun-2015.csv",
        "transparency",
        3993,
        "14057679.06",
    ),
    # Lines 2-3860 are payments; line 3861 is ",,xxx,,,,,,," (no date, amount or supplier).
    (
        "oxford_city_council/expenditure-over-500-jan-mar-2014.csv",
        "transparency",
        3859,
        "13413467.98",
    ),
    (
        "oxford_city_council/expenditure-over-500-jan-mar-2017.csv",
        "transparency",
        3913,
        "13397989.24",
    ),
    (
        "oxford_city_council/expenditure-over-500-oct-dec-2017.csv",
        "transparency",
        3855,
        "17382055.90",
    ),
    # 12,620 lines; the last is cut short (9 of 11 cells) but has date, amount and supplier.
    ("sheffield/sheffield_clean_2012-10_quarter.csv", "transparency", 12620, "138433428.36"),
    ("sheffield/sheffield_processed_2021-06.csv", "transparency", 33548, "65210830.87"),
    (
        "trafford/trafford_supplier_spend_2026-27_first5000rows.csv",
        "transparency",
        5000,
        "16998760.56",
    ),
    ("wakefield/wakefield_clean_2017-Q3.csv", "transparency", 6481, "62393868.26"),
]


def _read(path, **options):
    with open(path, "rb") as stream:
        table = read_table(stream, "spend", filename=path.name, **options)
        rows = list(table.rows)
    return table, rows


@pytest.mark.parametrize(
    ("name", "profile", "count", "total"), CASES, ids=[case[0].split("/")[1] for case in CASES]
)
def test_real_spend_file_yields_its_payment_lines_with_the_independently_worked_out_total(
    real_spend, count_and_total, name, profile, count, total
):
    table, rows = _read(real_spend(name))
    assert table.profile == profile
    assert count_and_total(rows) == (count, Decimal(total))
    assert {"payment_date", "amount", "supplier_name"} <= set(table.columns)


def test_lambeth_2011_supplier_summary_is_refused_as_a_summary_not_payment_lines(fixture_path):
    with pytest.raises(UnreadableFile) as raised:
        _read(fixture_path("lambeth/2011-01-payments.csv"))
    assert "summary by supplier" in raised.value.message
    assert "Sum of Invoice Nett Amount" in raised.value.message
    assert raised.value.row == 1


def test_lambeth_2012_report_reads_below_its_preamble_and_splits_run_together_cells(real_spend):
    table, rows = _read(real_spend("lambeth/2012-06-payments.csv"))
    by_number = dict(rows)
    assert table.header_row == 10
    assert rows[0][0] == 11 and rows[-1][0] == 3165
    # Row 19 of the file: "A A GuestHouses,25/06/2012900,PRIVATE RESIDENTIAL CARE"
    assert by_number[19]["payment_date"] == "25/06/2012"
    assert by_number[19]["amount"] == "900"
    assert by_number[19]["expense_type"] == "PRIVATE RESIDENTIAL CARE"
    # Row 441: "Catch2212/06/2012,8755.20" is the charity Catch22.
    assert by_number[441]["supplier_name"] == "Catch22"
    assert by_number[441]["payment_date"] == "12/06/2012"
    # Row 1382: supplier, date and amount all in one cell.
    assert (by_number[1382]["payment_date"], by_number[1382]["amount"]) == ("29/05/2012", "740")
    # "†" was a non-breaking space read as Mac Roman.
    assert by_number[293]["expense_type"] == "GAS -  GENERAL"
    assert table.skipped == [(3167, "A total line ('Total'), not a payment")]
    assert any("639 rows" in note for note in table.notes)


def test_lambeth_report_with_a_summary_table_appended_stops_at_the_summary(
    fixture_path, count_and_total
):
    # Derived from 2012-06: rows 11-30 and 32-36 are real payment lines (awk sum 89833.69, the
    # same figure typed into its Total line at row 38); row 31 is a blank row inside the data; the
    # summary table starts at row 40.
    table, rows = _read(fixture_path("lambeth/2012-06-summary-appended.csv"))
    assert count_and_total(rows) == (25, Decimal("89833.69"))
    assert table.skipped[:2] == [(31, "Blank row"), (38, "A total line ('Total'), not a payment")]
    summary = [number for number, reason in table.skipped if "summary table" in reason]
    assert summary == [40, 41, 42, 43]
    assert any(note.startswith("Stopped reading at row 40") for note in table.notes)


def test_leeds_2020_file_with_stray_windows_bytes_reads_every_payment_line(real_spend):
    table, rows = _read(real_spend("leeds/leeds_raw_2020-06.csv"))
    by_number = dict(rows)
    assert len(rows) == 16176
    assert by_number[5171]["supplier_name"] == "Fylde Coast Women¿s Aid"
    assert by_number[5559]["supplier_name"] == "Hall Plant Hire Limited"  # 0xA0 padding stripped
    note = next(note for note in table.notes if "Windows-1252" in note)
    assert "5171, 5559, 9956, 9957" in note


def test_leeds_2020_stray_bytes_sample_reads_its_six_rows(fixture_path):
    table, rows = _read(fixture_path("transparency/leeds_2020-06_stray_bytes.csv"))
    assert [row["transaction_reference"] for _, row in rows] == [
        "2006-05169",
        "2006-05170",
        "2006-05171",
        "2006-05558",
        "2006-09955",
        "2006-09956",
    ]
    assert rows[1][1]["supplier_name"] == "Fylde Coast Women¿s Aid"


def test_leeds_2011_file_ignores_trailing_blank_rows_and_its_three_headless_columns(real_spend):
    table, rows = _read(real_spend("leeds/leeds_raw_2011-09.csv"))
    assert rows[-1][0] == 9570
    assert table.skipped == []
    assert "Columns M, N, O have no heading and were not read." in table.notes
    assert any(note.startswith("55,936 empty rows") for note in table.notes)
    assert rows[0][1]["amount"] == "2,142.73"  # raw text: thousands separators are the validator's


def test_oxford_file_with_lost_dates_still_yields_every_row_with_its_00_00_00_date(real_spend):
    _, rows = _read(real_spend("oxford_city_council/expenditure-over-500-apr-jun-2014.csv"))
    assert len(rows) == 3836
    assert {row["payment_date"] for _, row in rows} == {"00:00:00"}


def test_oxford_jan_mar_2014_stray_xxx_row_is_skipped_with_a_reason(real_spend):
    table, _ = _read(real_spend("oxford_city_council/expenditure-over-500-jan-mar-2014.csv"))
    assert len(table.skipped) == 1
    number, reason = table.skipped[0]
    assert number == 3861 and "'xxx'" in reason


def test_oxford_header_typos_are_recognised(real_spend):
    table, _ = _read(real_spend("oxford_city_council/expenditure-over-500-apr-jun-2015.csv"))
    assert table.columns["service_area"].header == "Organisatonal Unit"
    table, _ = _read(real_spend("oxford_city_council/expenditure-over-500-jan-mar-2017.csv"))
    assert table.columns["expense_type"].header == "Expenditure Catergory"


def test_wakefield_duplicate_column_names_keep_their_own_letters(real_spend):
    table, rows = _read(real_spend("wakefield/wakefield_clean_2017-Q3.csv"))
    duplicates = [
        (c.header, c.letter) for c in table.ignored if c.header == "Procurement Classification"
    ]
    assert duplicates == [("Procurement Classification", "S"), ("Procurement Classification", "U")]
    assert table.columns["amount"].letter == "O"
    assert rows[0][1]["company_number"] == "00178738"  # leading zeros kept: it is text


def test_sheffield_2012_file_cut_short_yields_its_last_row_and_says_so(real_spend):
    table, rows = _read(real_spend("sheffield/sheffield_clean_2012-10_quarter.csv"))
    assert rows[-1] == (12621, rows[-1][1])
    assert rows[-1][1]["supplier_id"] == "57"
    assert any("row 12621" in note and "cut short" in note for note in table.notes)


def test_cabinet_office_file_is_read_with_the_hm_treasury_profile(fixture_path):
    table, rows = _read(fixture_path("hmt25k/cabinet_office_clean_2022-07.csv"))
    assert table.profile == "hmt25k"
    assert table.columns["payment_date"].header == "Date"
    assert table.columns["supplier_name"].header == "Supplier"
    assert [c.header for c in table.ignored] == ["#", "Departmental Family", "Entity"]
    assert rows[96][1]["service_area"] == "IPA FUNCTION, PROFESSION AND STANDARDS"


def test_calderdale_company_charity_and_vat_columns_are_mapped(real_spend):
    table, _ = _read(real_spend("calderdale/calderdale_clean_2022-08.csv"))
    assert table.columns["company_number"].header == "Supplier Registered Company Number"
    assert table.columns["charity_number"].header == "Supplier Registered Charity Number"
    assert table.columns["vat_number"].letter == "L"
    assert table.columns["supplier_name"].header == "Supplier(Beneficiary) Name"


def test_trafford_beneficiary_other_id_is_the_supplier_id(real_spend):
    # The council's CSVW metadata: "BeneficiaryOtherID: Internal ID of the supplier or beneficiary".
    table, _ = _read(real_spend("trafford/trafford_supplier_spend_2026-27_first5000rows.csv"))
    assert table.columns["supplier_id"].header == "BeneficiaryOtherID"


# --- The same files saved as Excel workbooks give the same rows --------------------------------


def _as_workbook(path, amount_header, dates=False) -> io.BytesIO:
    """Open the CSV the way Excel would: amounts become numbers, ISO dates become dates."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Sheet1")
    with open(path, encoding="utf-8", newline="") as text:
        reader = csv.reader(text)
        amount_at = None
        for cells in reader:
            if amount_at is None and amount_header in cells:
                amount_at = cells.index(amount_header)
            elif amount_at is not None and len(cells) > amount_at:
                with contextlib.suppress(ValueError):  # Lambeth's run-together rows stay text
                    cells[amount_at] = float(cells[amount_at].replace(",", ""))
            if dates:
                cells = [_maybe_date(cell) for cell in cells]
            sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def _maybe_date(cell):
    try:
        return datetime.strptime(cell, "%Y-%m-%d")
    except (TypeError, ValueError):
        return cell


XLSX_CASES = [
    ("cabinet_office_25k/cabinet_office_clean_2022-07.csv", "Amount", True, 318, "43776522.32"),
    ("calderdale/calderdale_clean_2022-08.csv", "Net Amount", True, 1956, "15901508.75"),
    ("lambeth/2012-06-payments.csv", "Invoice Nett Amount", False, 3155, "40292334.84"),
    (
        "oxford_city_council/expenditure-over-500-apr-jun-2015.csv",
        "Amount",
        False,
        3993,
        "14057679.06",
    ),
]


@pytest.mark.parametrize(
    ("name", "amount_header", "dates", "count", "total"),
    XLSX_CASES,
    ids=[case[0].split("/")[1] for case in XLSX_CASES],
)
def test_real_spend_file_saved_as_xlsx_gives_the_same_count_and_total(
    real_spend, count_and_total, name, amount_header, dates, count, total
):
    workbook = _as_workbook(real_spend(name), amount_header, dates)
    table = read_table(workbook, "spend", filename="return.xlsx")
    rows = list(table.rows)
    assert table.format == "xlsx"
    assert count_and_total(rows) == (count, Decimal(total))
    if dates:
        assert rows[0][1]["payment_date"][:4] == "2022"  # an Excel date comes back as ISO text
        assert len(rows[0][1]["payment_date"]) == 10
