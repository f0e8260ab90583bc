"""The shared row validator: every adapter's rows become typed rows and issues here."""

import random
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import pytest
from marshmallow import Schema

from exchange.validate import RowValidator
from exchange.validate import cells as validate_module
from schemas import KINDS, RowSchema
from schemas.fields import Money, Text, meta
from schemas.issues import ERROR, WARNING


@dataclass(frozen=True)
class Column:
    header: str
    letter: str


# Leeds' June 2013 layout, as its adapter would describe it.
LEEDS = {
    "payment_date": Column("DatePaid", "H"),
    "transaction_reference": Column("TransactionNumber", "I"),
    "amount": Column("NetAmount", "J"),
    "capital_revenue": Column("CapitalOrRevenue", "K"),
    "supplier_name": Column("SupplierName", "L"),
    "company_number": Column("Company Registration", "M"),
    "supplier_postcode": Column("Postcode", "N"),
    "expense_type": Column("DetailedExpenditureType", "F"),
}


def spend(period="2013-14-Q1", columns=LEEDS):
    return RowValidator("spend", columns, period)


def leeds_row(**changes):
    row = {"payment_date": "20-Jun-13", "transaction_reference": "1306-00001",
           "amount": "1240", "capital_revenue": "R",
           "supplier_name": "A J H  Pump Supply & Repair Ltd",
           "expense_type": "Operational Materials"}
    return row | changes


def codes(issues):
    return [issue.code for issue in issues]


def test_a_leeds_spend_line_becomes_a_typed_normalised_row():
    row, issues = spend().validate(2, leeds_row(amount=" -4,774.00 ", company_number="178738",
                                                supplier_postcode="s602ud"))
    assert issues == []
    assert row["payment_date"] == date(2013, 6, 20)
    assert row["amount"] == Decimal("-4774.00")
    assert row["capital_revenue"] == "revenue"
    assert row["company_number"] == "00178738"  # Wakefield-style leading zeros restored
    assert row["org_id"] == "GB-COH-00178738"
    assert row["supplier_postcode"] == "S60 2UD"
    assert row["supplier_name"] == "A J H  Pump Supply & Repair Ltd"  # stored as written
    assert row["supplier_name_normalised"] == "AJH PUMP SUPPLY AND REPAIR"
    assert row["redacted"] is False
    assert row["procurement_card"] is None and row["vat_number"] is None


def test_an_unreadable_amount_is_an_error_that_says_where_and_why():
    row, issues = spend().validate(7, leeds_row(amount="12,34.5x"))
    assert row is None
    (issue,) = issues
    assert (issue.severity, issue.code, issue.row) == (ERROR, "amount.invalid", 7)
    assert (issue.column, issue.column_letter, issue.value) == ("NetAmount", "J", "12,34.5x")
    assert issue.message == "Amount '12,34.5x' is not a number of pounds and pence."


def test_an_amount_with_three_decimal_places_is_refused_rather_than_rounded():
    row, issues = spend().validate(2, leeds_row(amount="10.125"))
    assert row is None
    assert "more than two decimal places" in issues[0].message


def test_oxfords_time_only_paid_dates_are_errors():
    row, issues = spend("2014-15-Q1").validate(2, leeds_row(payment_date="00:00:00"))
    assert row is None
    assert codes(issues) == ["payment_date.invalid"]
    assert "has a time (00:00:00) but no date" in issues[0].message


def test_a_payment_outside_the_returns_quarter_is_a_warning_and_the_row_is_kept():
    row, issues = spend().validate(2, leeds_row(payment_date="20/07/2013"))
    assert row is not None
    (issue,) = issues
    assert (issue.severity, issue.code) == (WARNING, "payment_date.outside_period")
    assert issue.message == ("Payment date 20/07/2013 is outside the return's period 2013-14-Q1 "
                             "(April to June 2013).")


def test_without_a_period_dates_are_not_checked_against_one():
    row, issues = spend(period=None).validate(2, leeds_row(payment_date="01/01/1999"))
    assert row is not None and issues == []


@pytest.mark.parametrize("empty", ["", "   ", None, "N/A", "n/a", "-"])
def test_a_payment_with_a_blank_supplier_name_is_counted_as_redacted_with_a_warning(empty):
    # Real files leave the names of private individuals blank (Wakefield, Oxford).
    row, issues = spend().validate(3, leeds_row(supplier_name=empty))
    assert row is not None
    assert (row["redacted"], row["supplier_name"], row["supplier_name_normalised"]) == (
        True, "REDACTED PERSONAL DATA", None)
    assert codes(issues) == ["supplier_name.redacted"]
    assert (issues[0].severity, issues[0].row, issues[0].column_letter) == (WARNING, 3, "L")
    assert issues[0].message.startswith(
        "No supplier name: counted as a redacted payment." if not (empty or "").strip()
        else f"'{empty}' reads as a name withheld: counted as a redacted payment.")


def test_a_required_number_written_as_n_a_is_missing():
    row, issues = spend().validate(3, leeds_row(amount="N/A"))
    assert codes(issues) == ["amount.missing"]
    assert issues[0].message == "Amount is missing ('N/A'); every row needs one."


def test_every_problem_in_a_row_is_reported_not_just_the_first():
    row, issues = spend().validate(4, leeds_row(amount="x", payment_date="x", supplier_name=""))
    assert row is None
    assert sorted(codes(issues)) == ["amount.invalid", "payment_date.invalid"]


@pytest.mark.parametrize("name", ["REDACTED PERSONAL DATA", "Redacted - personal data",
                                  "Personal Information", "*****"])
def test_redacted_names_are_flagged_kept_and_never_matched(name):
    row, issues = spend().validate(2, leeds_row(supplier_name=name))
    assert [(i.code, i.severity, i.value) for i in issues] == [
        ("supplier_name.redacted", WARNING, name)]
    assert row["redacted"] is True
    assert row["supplier_name_normalised"] is None
    assert row["supplier_name"] == name


def test_a_bad_postcode_or_company_number_is_a_warning_and_is_left_out():
    row, issues = spend().validate(2, leeds_row(supplier_postcode="S60 2U",
                                                company_number="123456789"))
    assert row is not None
    assert row["supplier_postcode"] is None and row["company_number"] is None
    assert [(i.severity, i.code) for i in issues] == [
        (WARNING, "company_number.invalid"), (WARNING, "supplier_postcode.invalid")]
    assert issues[1].message == (
        "Supplier postcode 'S60 2U' is not a UK postcode; it has been left out.")


def test_placeholders_in_identifier_columns_are_silently_empty():
    row, issues = spend().validate(2, leeds_row(company_number="Awaiting",
                                                supplier_postcode="N/A"))
    assert issues == [] and row["company_number"] is None and row["supplier_postcode"] is None


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\")", "+cmd|' /C calc'!A0", "@SUM(A1)",
                                  "-2+3"])
def test_text_a_spreadsheet_would_run_as_a_formula_is_flagged_and_kept(text):
    row, issues = spend().validate(2, leeds_row(expense_type=text))
    assert row["expense_type"] == text
    assert [(i.severity, i.code, i.column) for i in issues] == [
        (WARNING, "formula.suspicious", "DetailedExpenditureType")]


@pytest.mark.parametrize("text", ["-4.50", "+44 114 273 4567", "-", "Parts - Plumbing"])
def test_text_that_only_looks_like_a_formula_is_not_flagged(text):
    row, issues = spend().validate(2, leeds_row(expense_type=text))
    assert issues == []


def test_a_zero_payment_is_a_warning():
    row, issues = spend().validate(2, leeds_row(amount="0.00"))
    assert row["amount"] == Decimal("0.00")
    assert codes(issues) == ["amount.zero"]


def test_an_excel_serial_date_inside_the_quarter_is_read_with_a_warning():
    row, issues = spend().validate(2, leeds_row(payment_date="41445"))
    assert row["payment_date"] == date(2013, 6, 20)
    assert codes(issues) == ["payment_date.excel_serial"]
    assert issues[0].severity == WARNING


def test_an_excel_serial_date_outside_the_quarter_is_an_error():
    row, issues = spend().validate(2, leeds_row(payment_date="44500"))
    assert row is None
    assert "Excel date serial number" in issues[0].message


def test_text_longer_than_the_standard_allows_is_an_error():
    row, issues = spend().validate(2, leeds_row(transaction_reference="x" * 101))
    assert row is None
    assert codes(issues) == ["transaction_reference.too_long"]


def test_spreadsheet_and_json_values_are_accepted_as_typed():
    row, issues = spend().validate(2, {
        "payment_date": datetime(2013, 6, 20, 0, 0), "amount": 1234.5600000000002,
        "supplier_name": "ACME", "supplier_id": 100234.0, "procurement_card": True,
        "company_number": 1234567, "irrecoverable_vat": 0,
    })
    assert issues == []
    assert row["payment_date"] == date(2013, 6, 20)
    assert row["amount"] == Decimal("1234.56")
    assert row["supplier_id"] == "100234"
    assert row["procurement_card"] is True
    assert row["company_number"] == "01234567"
    assert row["irrecoverable_vat"] == Decimal("0.00")


def test_rows_without_column_information_report_the_field_name():
    validator = RowValidator("spend", {}, "2013-14-Q1")
    assert validator.missing_columns() == ["payment_date", "amount", "supplier_name"]
    row, issues = validator.validate(1, {"payment_date": "2013-06-20", "amount": "x",
                                         "supplier_name": "ACME", "not_a_field": "ignored"})
    assert (issues[0].column, issues[0].column_letter) == ("amount", None)
    assert spend().missing_columns() == []


def test_an_unhashable_json_value_is_an_error_not_a_crash():
    row, issues = spend().validate(2, leeds_row(amount=["1", "2"]))
    assert codes(issues) == ["amount.invalid"]


def test_a_contribution_needs_a_quantity_or_a_value():
    validator = RowValidator("contributions", {}, "2021-22-Q3")
    row, issues = validator.validate(2, {"contributor_name": "ACME",
                                         "contribution_type": "Volunteering hours"})
    assert codes(issues) == ["quantity_or_value.missing"]
    row, issues = validator.validate(2, {"contributor_name": "ACME", "quantity": "16",
                                         "contribution_type": "Volunteering hours"})
    assert issues == [] and row["contribution_type"] == "volunteering_hours"


def test_commitment_status_is_read_forgivingly_and_wrong_values_list_the_choices():
    validator = RowValidator("commitments", {}, "2021-22-Q3")
    row, _ = validator.validate(2, {"commitment": "Real Living Wage", "status": "In progress",
                                    "target": "100", "actual": "85.5"})
    assert (row["commitment"], row["status"]) == ("real_living_wage", "in_progress")
    assert row["actual"] == Decimal("85.5")
    row, issues = validator.validate(3, {"commitment": "x", "status": "done"})
    assert issues[0].message == ("Status 'done' is not one of the allowed values: it must be one "
                                 "of not_started, in_progress, achieved.")


def test_a_bad_evidence_link_is_a_warning():
    validator = RowValidator("commitments", {}, None)
    row, issues = validator.validate(2, {"commitment": "x", "status": "achieved",
                                         "evidence_url": "www.example.org"})
    assert row is not None and row["evidence_url"] is None
    assert [(i.severity, i.code) for i in issues] == [(WARNING, "evidence_url.invalid")]


def test_supplier_records_get_a_matching_name_and_org_id():
    row, issues = RowValidator("suppliers", {}, None).validate(2, {
        "supplier_id": "100234", "supplier_name": "Don Valley Joinery Ltd",
        "charity_number": "1146304", "sme": "Y", "vcse": "not known",
    })
    assert issues == []
    assert (row["org_id"], row["supplier_name_normalised"]) == ("GB-CHC-1146304",
                                                                "DON VALLEY JOINERY")
    assert (row["sme"], row["vcse"]) == (True, None)  # stored as a flag; unknown is None
    assert "redacted" not in row


def test_the_validator_is_compiled_from_whatever_fields_the_schema_declares(monkeypatch):
    class FeeRowSchema(RowSchema):
        fee = Money(required=True, metadata=meta("Fee", "A fee.", "1.00"))
        memo = Text(20, metadata=meta("Memo", "A note.", "hello"))

    monkeypatch.setitem(KINDS, "fees", FeeRowSchema)
    row, issues = RowValidator("fees", {}, None).validate(2, {"fee": "£1,000", "memo": " hi "})
    assert row == {"fee": Decimal("1000.00"), "memo": "hi"} and issues == []


def test_rows_are_not_loaded_through_marshmallow(monkeypatch):
    def no_load(*args, **kwargs):
        raise AssertionError("load() is too slow for a million rows")

    monkeypatch.setattr(Schema, "load", no_load)
    row, issues = spend().validate(2, leeds_row())
    assert row is not None


def test_memory_of_converted_values_is_bounded(monkeypatch):
    monkeypatch.setattr(validate_module, "CACHE_LIMIT", 100)
    validator = spend()
    for i in range(1000):
        validator.validate(i, leeds_row(amount=f"{i}.01"))
    assert len(validator.cells["amount"].cache) <= 100


def synthetic_spend_rows(count, seed=1):
    """Spend lines with the repetition of real files: few dates, Zipf-ish suppliers."""
    rnd = random.Random(seed)
    dates = [f"{d:02d}/{m:02d}/2021" for m in (10, 11, 12) for d in range(1, 29)]
    suppliers = [(f"SUPPLIER {i} LTD", f"{i:07d}" if i % 3 == 0 else "") for i in range(3000)]
    suppliers += [("REDACTED PERSONAL DATA", "")] * 200
    for i in range(count):
        name, company = suppliers[min(int(rnd.paretovariate(1.2)) - 1, len(suppliers) - 1)]
        amount = rnd.choice(["500.00", "1,000.00", "250"]) if i % 2 else (
            f"{rnd.randint(500, 2_000_000) / 100:.2f}")
        yield i + 2, {
            "payment_date": rnd.choice(dates), "amount": amount, "supplier_name": name,
            "supplier_id": str(i % 5000), "company_number": company, "charity_number": "",
            "vat_number": "", "supplier_postcode": "", "expense_type": f"Type {i % 150}",
            "service_area": f"Area {i % 30}", "transaction_reference": f"2110-{i:07d}",
            "irrecoverable_vat": "0.00", "capital_revenue": "R", "procurement_card": "No",
        }
