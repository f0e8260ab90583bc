"""The words that make a row a total or report text, and the supplier names that must not."""

import io

import pytest

import partners
from partners.lines import TOTAL_NAMES, footer_text, total_label


@pytest.mark.parametrize("label", [
    "Total", "TOTAL", "Totals", "Total:", "Grand Total", "GRAND TOTAL:", "Sub-total", "Sub Total",
    "SUBTOTAL", "Sub-total Adults", "Total (£)", "Total £", "Total for October 2017",
    "Total of Adults", "Total - Children", "Total spend", "Total payments", "October 2017 Total",
    "Directorate total", "Running total"])
def test_total_labels_as_publishers_write_them_are_recognised(label):
    assert total_label(["", label]) == label


@pytest.mark.parametrize("name", [
    "Total Gas & Power Ltd", "Total Fitness Ltd", "TOTAL CONSTRUCTION LTD", "Totally Local Ltd",
    "Total Produce plc", "Total Security Services", "Acme Ltd"])
def test_suppliers_whose_names_start_with_total_are_not_labels(name):
    assert total_label([name]) is None
    assert name not in TOTAL_NAMES


@pytest.mark.parametrize("text", [
    "Source: Wakefield Council Agresso", "Sources - ONS", "© Crown copyright 2017",
    "(c) Leeds City Council", "Copyright 2018 Oxford City Council", "Crown Copyright",
    "End of report", "*** End of Report ***", "Page 3 of 4", "Page 3", "Report run on 01/02/2018",
    "Printed on 3 Jan 2018", "Data correct as at 31/12/2017", "Number of records: 6,481",
    "Contains public sector information licensed under the Open Government Licence v3.0.",
    "-----", "Notes: amounts exclude VAT"])
def test_report_text_around_the_data_is_recognised(text):
    assert footer_text([text]) == text


@pytest.mark.parametrize("text", [
    "Acme Ltd", "Sourcing Solutions Ltd", "Page Group Ltd", "Notes Ltd",
    "Copyright Licensing Agency", "End Of Life Care Ltd", "Transactions Ltd", "01/10/2017",
    "123.45", "Source Ltd"])
def test_supplier_names_and_values_are_not_report_text(text):
    assert footer_text([text]) is None


def test_a_note_in_a_payments_own_row_leaves_it_a_payment():
    data = (b"Payment Date,Amount,Supplier Name,Comment\n"
            b"01/10/2021,10.00,,Notes: paid by BACS\n"
            b"Notes: paid by BACS,,,\n")

    table = partners.read_table(io.BytesIO(data), "spend", filename="spend.csv")

    assert [number for number, _ in table.rows] == [2]
    assert table.skipped == [(3, "A line of report text ('Notes: paid by BACS'), not a payment")]
