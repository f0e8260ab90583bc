"""Real councils' spend files, sent through POST /api/v1/returns as a partner would send them.

The expected row counts and totals are the ones worked out independently of the adapter in
tests/unit/partners/test_partners_real_spend.py (gawk and a separate csv.reader script). Each file
is sent for the quarter its payments fall in; the few payments dated outside it are warnings."""

import csv
import io
from datetime import datetime
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import func, select

from exchange.context import get_uow
from exchange.models import SpendLine
from tests.api.returns_support import REAL_SPEND, REPO, issues_csv, post_return, sha256


@pytest.fixture
def token(partner_token):
    return partner_token("rmbc", "returns:read returns:write")


def real(name: str) -> bytes:
    if not REAL_SPEND.is_dir():
        pytest.skip(f"real spend data not checked out at {REAL_SPEND}")
    return (REAL_SPEND / name).read_bytes()


ACCEPTED = [
    # (file, quarter its payments are in, rows, total, payments dated outside that quarter)
    ("cabinet_office_25k/cabinet_office_clean_2022-07.csv", "2022-23-Q2", 318, "43776522.32", 0),
    ("calderdale/calderdale_clean_2022-08.csv", "2022-23-Q2", 1956, "15901508.75", 0),
    # 34 payments of the June 2012 report were made in May or July 2012 … all but the dates fit.
    ("lambeth/2012-06-payments.csv", "2012-13-Q1", 3155, "40292334.84", 34),
    ("leeds/leeds_raw_2011-09.csv", "2011-12-Q2", 9569, "85636646.06", 0),
    ("leeds/leeds_raw_2013-06.csv", "2013-14-Q1", 8334, "91086646.93", 0),
    ("leeds/leeds_raw_2020-06.csv", "2020-21-Q1", 16176, "104445727.45", 3),
    ("oxford_city_council/expenditure-over-500-apr-jun-2015.csv", "2015-16-Q1", 3993,
     "14057679.06", 0),
    ("oxford_city_council/expenditure-over-500-jan-mar-2014.csv", "2013-14-Q4", 3859,
     "13413467.98", 0),
    ("oxford_city_council/expenditure-over-500-jan-mar-2017.csv", "2016-17-Q4", 3913,
     "13397989.24", 0),
    ("sheffield/sheffield_clean_2012-10_quarter.csv", "2012-13-Q3", 12620, "138433428.36", 0),
    ("sheffield/sheffield_processed_2021-06.csv", "2021-22-Q1", 33548, "65210830.87", 0),
    ("trafford/trafford_supplier_spend_2026-27_first5000rows.csv", "2026-27-Q1", 5000,
     "16998760.56", 0),
]


@pytest.mark.parametrize(("name", "period", "rows", "total", "outside"), ACCEPTED,
                         ids=[case[0].split("/")[1] for case in ACCEPTED])
def test_real_spend_file_posted_to_the_api_is_accepted_with_its_worked_out_count_and_total(
        client, token, name, period, rows, total, outside):
    data = real(name)

    response = post_return(client, token, data, filename=name.split("/")[1], period=period)

    receipt = response.get_json()
    assert response.status_code == 201, receipt["issues"][:5]
    assert (receipt["status"], receipt["period"], receipt["version"]) == ("accepted", period, 1)
    assert receipt["counts"]["rows"] == rows
    assert receipt["totals"] == {"amount": total}
    assert receipt["sha256"] == sha256(data)
    assert sum(issue["count"] for issue in receipt["issues"]
               if issue["code"] == "payment_date.outside_period") == outside
    assert all(issue["severity"] == "warning" for issue in receipt["issues"])
    with get_uow() as uow:
        stored = select(func.count()).where(SpendLine.return_id == receipt["id"])
        assert uow.session.scalar(stored) == rows


def _blank_cell_rows(data: bytes, header: str, encoding: str = "utf-8-sig",
                     negate: bool = False) -> list[int]:
    """Spreadsheet row numbers (heading = row 1) whose cell under ``header`` is blank (or,
    with ``negate``, is not)."""
    reader = csv.reader(io.StringIO(data.decode(encoding)))
    headings = next(reader)
    at = headings.index(header)
    return [number for number, cells in enumerate(reader, start=2)
            if any(c.strip() for c in cells) and (not cells[at].strip()) != negate]


def test_oxford_apr_jun_2014_is_rejected_because_every_paid_date_is_00_00_00(client, token):
    # The council's export lost its dates: every "Paid Date" cell holds "00:00:00", so no payment
    # can be placed in a quarter. That is a genuine value problem, reported on every row.
    data = real("oxford_city_council/expenditure-over-500-apr-jun-2014.csv")

    response = post_return(client, token, data, filename="oxford-2014-q1.csv", period="2014-15-Q1")

    receipt = response.get_json()
    assert response.status_code == 422
    assert receipt["status"] == "rejected"
    # rows: the data rows read, accepted or not
    assert receipt["counts"] == {"rows": 3836, "errors": 3836, "warnings": 0, "redacted": 0}
    # One issue for the one cause, naming the first rows; issues.csv lists every row.
    [summary] = receipt["issues"]
    assert (summary["severity"], summary["code"], summary["column"], summary["column_letter"],
            summary["count"], summary["rows"], summary["row"]) == (
        "error", "payment_date.invalid", "Paid Date", "E", 3836, list(range(2, 12)), None)
    assert summary["message"].startswith("3,836 rows have the same error in 'Paid Date'. "
                                         "Rows 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 3,826 more")
    assert "'00:00:00'" in summary["message"]
    rows = issues_csv(client, token, receipt["id"])
    assert [int(row["row"]) for row in rows] == _blank_cell_rows(data, "Paid Date", negate=True)
    assert {(row["code"], row["value"]) for row in rows} == {
        ("payment_date.invalid", "00:00:00")}


def _worked_out(data: bytes, amount: str, supplier: str, encoding: str = "utf-8-sig"):
    """Independently of the hub: the rows with anything in them, the sum of their amounts and
    the spreadsheet row numbers (heading = row 1) whose supplier name is blank or the words
    DETAILS REDACTED."""
    reader = csv.reader(io.StringIO(data.decode(encoding)))
    headings = next(reader)
    at, name_at = headings.index(amount), headings.index(supplier)
    rows = [(number, cells) for number, cells in enumerate(reader, start=2)
            if any(c.strip() for c in cells)]
    total = sum(Decimal(cells[at].replace(",", "")) for _, cells in rows)
    return len(rows), f"{total:.2f}", [number for number, cells in rows
                                        if cells[name_at].strip() in ("", "DETAILS REDACTED")]


@pytest.mark.parametrize(("name", "period", "amount", "rows", "total", "blank", "redacted",
                          "outside"), [
    # 84 of Wakefield's Oct-Dec 2017 payments have a blank supplier name and 315 say DETAILS
    # REDACTED; 24 were paid in January 2018 (warnings: the file is the council's "2017 Q3"
    # publication).
    ("wakefield/wakefield_clean_2017-Q3.csv", "2017-18-Q3", "Net Amount", 6481,
     "62393868.26", 84, 399, 24),
    # 69 of Oxford's Oct-Dec 2017 payments have a blank supplier name; Redactive Publishing
    # Ltd is a real company, not a redaction.
    ("oxford_city_council/expenditure-over-500-oct-dec-2017.csv", "2017-18-Q3", "Amount", 3855,
     "17382055.90", 69, 69, 0),
], ids=["wakefield-2017-Q3", "oxford-oct-dec-2017"])
def test_real_file_with_blank_supplier_names_is_accepted_counting_those_payments_as_redacted(
        client, token, name, period, amount, rows, total, blank, redacted, outside):
    data = real(name)
    worked_out = _worked_out(data, amount, "Supplier Name")
    assert worked_out[:2] == (rows, total) and len(worked_out[2]) == redacted
    blanks = _blank_cell_rows(data, "Supplier Name")
    assert len(blanks) == blank

    response = post_return(client, token, data, filename=name.split("/")[1], period=period)

    receipt = response.get_json()
    assert response.status_code == 201, receipt["issues"][:5]
    assert (receipt["counts"]["rows"], receipt["totals"]) == (rows, {"amount": total})
    assert receipt["counts"]["redacted"] == redacted
    issues = issues_csv(client, token, receipt["id"])
    withheld = [issue for issue in issues if issue["code"] == "supplier_name.redacted"]
    assert [int(issue["row"]) for issue in withheld] == worked_out[2]
    assert {(issue["column"], issue["severity"]) for issue in withheld} == {
        ("Supplier Name", "warning")}
    assert [int(issue["row"]) for issue in withheld if issue["value"] == ""] == blanks
    outside_rows = [issue for issue in issues if issue["code"] == "payment_date.outside_period"]
    assert len(outside_rows) == outside
    with get_uow() as uow:
        by_redaction = {redacted: (lines, keyed) for redacted, lines, keyed in uow.session.execute(
            select(SpendLine.redacted, func.count(), func.count(SpendLine.supplier_key))
            .where(SpendLine.return_id == receipt["id"]).group_by(SpendLine.redacted))}
        amount_stored = uow.session.scalar(select(func.sum(SpendLine.amount)).where(
            SpendLine.return_id == receipt["id"]))
    # Redacted lines are kept in the total and matched to no supplier.
    assert by_redaction[True] == (redacted, 0)
    assert by_redaction[False][0] == rows - redacted
    assert f"{amount_stored:.2f}" == total


# --- The same files saved as Excel workbooks give the same totals through the API ------------


def _as_workbook(data: bytes, amount_header: str) -> bytes:
    """The CSV opened and saved by Excel: amounts become numbers, ISO dates become dates."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Sheet1")
    amount_at = None
    for cells in csv.reader(io.StringIO(data.decode("utf-8-sig"))):
        if amount_at is None:
            amount_at = cells.index(amount_header)
        else:
            cells[amount_at] = float(cells[amount_at].replace(",", ""))
            cells = [_maybe_date(cell) for cell in cells]
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _maybe_date(cell):
    for layout in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(cell, layout)
        except (TypeError, ValueError):
            pass
    return cell


@pytest.mark.parametrize(("name", "period", "amount_header", "rows", "total"), [
    ("cabinet_office_25k/cabinet_office_clean_2022-07.csv", "2022-23-Q2", "Amount", 318,
     "43776522.32"),
    ("calderdale/calderdale_clean_2022-08.csv", "2022-23-Q2", "Net Amount", 1956, "15901508.75"),
    ("oxford_city_council/expenditure-over-500-jan-mar-2017.csv", "2016-17-Q4", "Amount", 3913,
     "13397989.24"),
], ids=["cabinet_office", "calderdale", "oxford-jan-mar-2017"])
def test_real_file_saved_as_xlsx_gives_the_same_count_and_total_through_the_api(
        client, token, name, period, amount_header, rows, total):
    workbook = _as_workbook(real(name), amount_header)

    response = post_return(client, token, workbook, filename="return.xlsx", period=period)

    receipt = response.get_json()
    assert response.status_code == 201, receipt["issues"][:5]
    assert receipt["counts"]["rows"] == rows
    assert receipt["totals"] == {"amount": total}
    assert receipt["sha256"] == sha256(workbook)
    assert not any(i["code"] == "payment_date.outside_period" for i in receipt["issues"])


def test_lambeth_supplier_summary_is_rejected_saying_it_is_a_summary_not_payments(
        client, token):
    data = (REPO / "tests" / "fixtures" / "partners" / "lambeth" / "2011-01-payments.csv"
            ).read_bytes()

    response = post_return(client, token, data, filename="2011-01-payments.csv",
                           period="2010-11-Q4")

    receipt = response.get_json()
    assert response.status_code == 422
    [issue] = receipt["issues"]
    assert (issue["row"], issue["code"]) == (1, "file.unreadable")
    assert "summary by supplier" in issue["message"]
