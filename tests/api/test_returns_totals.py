"""Totals, subtotals and report text in spend files, as publishers write them: each is left out,
named in a note and a warning with its row number, and never counted; a supplier that is merely
named "Total …" is paid like any other."""

import csv
import io
from decimal import Decimal

import pytest

from tests.api.returns_support import REAL_SPEND, issues_csv, post_return

HEAD = "Payment Date,Amount,Supplier Name,Expense Type,Service Area\n"
# Two months of payments, each with a subtotal, then a grand total and the report's footer, in
# every place publishers put the words: the row numbers of what is not a payment are the keys.
BLOCKS = HEAD + (
    "01/10/2021,100.00,Acme Ltd,Fees,Adults\n"  # 2
    "02/10/2021,250.50,Total Gas & Power Ltd,Gas,Adults\n"  # 3: a supplier, dated: a payment
    "03/10/2021,49.50,,Care,Adults\n"  # 4: a redacted payment, counted
    ",400.00,,October total,\n"  # 5: labelled in the description
    "01/11/2021,-20.00,Acme Ltd,Credit,Children\n"  # 6
    "02/11/2021,70.00,Beta Ltd,Fees,Children\n"  # 7
    ",50.00,,,\n"  # 8: a bare subtotal of November
    "30/11/2021,50.00,TOTAL,,\n"  # 9: labelled in the supplier column, with a date
    "Sub-total,450.00,,,\n"  # 10: labelled in the first column
    ",Total,,450.00,\n"  # 11: "Total" in the amount column, the figure elsewhere
    ",450.00,,,\n"  # 12: a bare grand total
    "Source: Agresso payments over £500,,,,\n"  # 13
    "© Crown copyright 2021,,,,\n"  # 14
    "Page 1 of 1,,,,\n"  # 15
    "*** End of report ***,,,,\n")  # 16
LEFT_OUT = {5: "total", 8: "total", 9: "total", 10: "total", 11: "total", 12: "total",
            13: "text", 14: "text", 15: "text", 16: "text"}


@pytest.fixture
def token(partner_token):
    return partner_token("rmbc", "returns:read returns:write")


def test_totals_subtotals_and_footers_are_left_out_named_and_never_counted(client, token):
    response = post_return(client, token, BLOCKS)

    receipt = response.get_json()
    assert response.status_code == 201, receipt["issues"]
    # Payments only: rows 2, 3, 4, 6 and 7, 450.00 in all (the redacted one included).
    assert (receipt["counts"]["rows"], receipt["counts"]["redacted"], receipt["totals"]) == (
        5, 1, {"amount": "450.00"})
    assert receipt["notes"] == [
        "Left out as totals or subtotals, not payments, and never counted: rows 5, 8, 9, 10, 11, "
        "12.",
        "Left out as report text around the data, not payments, and never counted: rows 13, 14, "
        "15, 16."]
    skipped = {int(i["row"]): i["message"] for i in issues_csv(client, token, receipt["id"])
               if i["code"] == "row.skipped"}
    assert set(skipped) == set(LEFT_OUT)
    assert skipped[8] == ("A total line: £50.00 is the sum of the payments from row 6 to the "
                          "row above it, with no payment date or supplier, so not a payment")
    assert skipped[12] == ("A total line: £450.00 is the sum of every payment above it, with no "
                           "payment date or supplier, so not a payment")
    assert skipped[9] == "A total line ('TOTAL'), not a payment"
    assert skipped[14] == "A line of report text ('© Crown copyright 2021'), not a payment"
    summary = [i for i in receipt["issues"] if i["code"] == "row.skipped"]
    assert [(i["count"], i["rows"]) for i in summary] == [(10, sorted(LEFT_OUT))]


def test_a_figure_with_no_date_or_supplier_that_totals_nothing_is_an_error_on_its_row(
        client, token):
    response = post_return(client, token, HEAD + "01/10/2021,100.00,Acme Ltd,Fees,\n"
                                                  ",99.00,,,\n")

    receipt = response.get_json()
    assert response.status_code == 422
    assert [(i["row"], i["code"]) for i in receipt["issues"]] == [(3, "payment_date.missing")]
    assert receipt["counts"]["rows"] == 2


def _real_with_totals_and_footer(name: str, amount_header: str) -> tuple[bytes, int, str, int]:
    """A real file with the total of its amount column appended as a bare row, then a footer:
    the bytes, the payment rows, their total and the row number of the total line, all worked
    out with csv and Decimal."""
    path = REAL_SPEND / name
    if not path.is_file():
        pytest.skip(f"real spend data not checked out at {REAL_SPEND}")
    text = path.read_bytes().decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text))
    headings = next(reader)
    at = headings.index(amount_header)
    rows = [cells for cells in reader if any(c.strip() for c in cells)]
    total = sum(Decimal(cells[at].replace(",", "")) for cells in rows)
    total_row = [""] * len(headings)
    total_row[at] = f"{total:.2f}"
    footer = ["© Calderdale Council"] + [""] * (len(headings) - 1)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows([total_row, footer])
    data = (text if text.endswith("\n") else text + "\n") + out.getvalue()
    return data.encode("utf-8"), len(rows), f"{total:.2f}", len(rows) + 2


def test_a_real_file_with_a_trailing_totals_row_and_footer_is_accepted_leaving_them_out(
        client, token):
    data, rows, total, total_at = _real_with_totals_and_footer(
        "calderdale/calderdale_clean_2022-08.csv", "Net Amount")

    response = post_return(client, token, data, filename="calderdale.csv", period="2022-23-Q2")

    receipt = response.get_json()
    assert response.status_code == 201, receipt["issues"][:5]
    assert (receipt["counts"]["rows"], receipt["totals"]) == (1956, {"amount": "15901508.75"})
    assert (rows, total) == (1956, "15901508.75")
    assert f"rows {total_at:,}." not in " ".join(receipt["notes"])
    assert f"Left out as totals or subtotals, not payments, and never counted: row {total_at:,}." \
        in receipt["notes"]
    assert (f"Left out as report text around the data, not payments, and never counted: "
            f"row {total_at + 1:,}.") in receipt["notes"]
