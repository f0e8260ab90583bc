"""Redaction as real files write it: a payment with a date and an amount but its supplier name
blank, or a name saying it is withheld, is counted as redacted, kept in every total, matched to
no supplier, and told in one summary warning; the rows are each in issues.csv."""


import pytest
from sqlalchemy import select

from exchange.context import get_uow
from exchange.models import SpendLine
from tests.api.returns_support import issues_csv, post_return

HEAD = "Payment Date,Amount,Supplier Name,Supplier ID,Supplier Postcode\n"
WITHHELD = [  # (row, name as written)
    (2, ""), (3, "*****"), (4, "Redacted"), (5, "Personal data"), (6, "N/A"),
    (8, "REDACTED PERSONAL DATA")]
SPEND = HEAD + (
    "01/10/2021,10.00,,,\n"
    "02/10/2021,20.00,*****,,\n"
    "03/10/2021,30.00,Redacted,,\n"
    "04/10/2021,40.00,Personal data,Redacted,\n"
    "05/10/2021,50.00,N/A,,\n"
    "06/10/2021,60.00,Total Gas & Power Ltd,T1,\n"
    "07/10/2021,70.00,REDACTED PERSONAL DATA,,\n")


@pytest.fixture
def token(partner_token):
    return partner_token("rmbc", "returns:read returns:write")


def test_payments_with_blank_or_withheld_names_are_counted_as_redacted_in_one_warning(
        client, token):
    response = post_return(client, token, SPEND)

    receipt = response.get_json()
    assert response.status_code == 201, receipt["issues"]
    assert receipt["counts"] == {"rows": 7, "errors": 0, "warnings": 6, "redacted": 6}
    assert receipt["totals"] == {"amount": "280.00"}  # every payment, redacted or not
    [warning] = receipt["issues"]
    assert (warning["severity"], warning["code"], warning["count"], warning["rows"],
            warning["column"]) == ("warning", "supplier_name.redacted", 6,
                                   [row for row, _ in WITHHELD], "Supplier Name")
    assert warning["message"].startswith(
        "6 payments are counted as redacted: the supplier name is blank or says it is withheld. "
        "They stay in every total and are never matched to a supplier. Rows 2, 3, 4, 5, 6, 8;")
    listed = issues_csv(client, token, receipt["id"])
    assert [(int(i["row"]), i["value"], i["code"]) for i in listed] == [
        (row, name, "supplier_name.redacted") for row, name in WITHHELD]
    with get_uow() as uow:
        lines = uow.session.execute(
            select(SpendLine.row_number, SpendLine.supplier_name, SpendLine.redacted,
                   SpendLine.supplier_key, SpendLine.supplier_name_normalised)
            .where(SpendLine.return_id == receipt["id"]).order_by(SpendLine.row_number)).all()
    assert [(row, redacted, key is None, normalised is None)
            for row, _, redacted, key, normalised in lines] == [
        (row, row != 7, row != 7, row != 7) for row in range(2, 9)]
    # A blank name is kept as the words the standard asks for.
    assert lines[0].supplier_name == "REDACTED PERSONAL DATA"
    assert lines[5].supplier_name == "Total Gas & Power Ltd"  # a supplier, dated: a payment


def test_a_supplier_id_saying_redacted_is_never_used_to_match_a_supplier(client, token):
    # Wakefield writes "Redacted" in every Supplier ID cell, beside real names.
    suppliers = ("Supplier ID,Supplier Name,Site Postcode\n"
                 "Redacted,Somebody Else Ltd,S60 2UD\n")
    assert post_return(client, token, suppliers, kind="suppliers").status_code == 201
    spend = HEAD + "01/10/2021,10.00,Zeta Ltd,Redacted,\n"

    receipt = post_return(client, token, spend).get_json()

    assert (receipt["status"], receipt["counts"]["redacted"], receipt["issues"]) == (
        "accepted", 0, [])
    with get_uow() as uow:
        line = uow.session.execute(select(SpendLine.location_status, SpendLine.redacted).where(
            SpendLine.return_id == receipt["id"])).one()
    assert tuple(line) == ("unknown", False)


def test_a_row_with_an_amount_but_no_date_is_still_an_error_not_a_redaction(client, token):
    response = post_return(client, token, SPEND + ",5.00,,,\n")

    receipt = response.get_json()
    assert response.status_code == 422
    errors = [i for i in receipt["issues"] if i["severity"] == "error"]
    assert [(i["row"], i["code"]) for i in errors] == [(9, "payment_date.missing")]
