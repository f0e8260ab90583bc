"""Guesses for the mapping step: coded headings written out and sample values of the right shape
prefill the form; a column is guessed for one field at most, and nothing is guessed from noise."""

import pytest

from partners.guess import expand, guess_columns

SAMPLES = {
    "PAY_DT": "04/10/2021", "TXN_DT": "2021-10-04", "PSTNG_DT": "04.10.2021",
    "TRX_AMT": "1,250.00", "NET_AMT": "-10.50", "LC_AMT": "12.00",
    "SUPP_NM": "Rotherham Widgets Ltd", "CRED_NM": "Acme Ltd", "VNDR_NM": "Sheffield Steel plc",
    "SUPP_ID": "S1", "CRED_NO": "C1", "DOC_REF": "D-1", "COST_CTR": "Estates", "GL_ACCT": "5010",
}


@pytest.mark.parametrize(("header", "expected"), [
    (["PAY_DT", "TRX_AMT", "SUPP_NM", "SUPP_ID", "COST_CTR"],
     {"payment_date": "PAY_DT", "amount": "TRX_AMT", "supplier_name": "SUPP_NM",
      "supplier_id": "SUPP_ID", "service_area": "COST_CTR"}),
    (["TXN_DT", "NET_AMT", "CRED_NM", "CRED_NO"],
     {"payment_date": "TXN_DT", "amount": "NET_AMT", "supplier_name": "CRED_NM",
      "supplier_id": "CRED_NO"}),
    (["DOC_REF", "PSTNG_DT", "VNDR_NM", "LC_AMT", "GL_ACCT"],
     {"payment_date": "PSTNG_DT", "amount": "LC_AMT", "supplier_name": "VNDR_NM",
      "transaction_reference": "DOC_REF"}),
])
def test_coded_headings_are_guessed_to_the_fields_a_person_would_choose(header, expected):
    samples = [[SAMPLES[h] for h in header]]
    guesses = guess_columns("spend", header, samples, {})
    assert {name: header[index] for name, index in guesses.items()} == expected


def test_abbreviations_are_written_out():
    assert expand("TRX_AMT") == "transactionamount"
    assert expand("Supp Nm") == "suppliername"


def test_columns_already_recognised_are_kept_and_not_guessed_again():
    header = ["Payment Date", "TRX_AMT", "SUPP_NM"]
    guesses = guess_columns("spend", header, [["04/10/2021", "1.00", "Acme"]],
                            {"payment_date": 0})
    assert guesses == {"payment_date": 0, "amount": 1, "supplier_name": 2}


def test_headings_like_no_field_are_not_guessed():
    assert guess_columns("spend", ["X1", "ZZZ", "QQ"], [["a", "b", "c"]], {}) == {}
