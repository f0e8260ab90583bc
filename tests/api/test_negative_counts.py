"""Counts of people, starts and hours, and contributions given, are never below zero: a negative
one is an error naming the row and column, and nothing of the return is stored."""

import pytest

from tests.api.returns_support import changes, post_return, table_counts


@pytest.fixture
def token(partner_token):
    return partner_token("rmbc", "returns:read returns:write")


def test_a_negative_measure_is_rejected_naming_its_row_and_column(client, token):
    before = table_counts()

    response = post_return(client, token, "Measure,Value,Unit\n"
                           "local_employees,100,people\napprenticeship_starts,-5,starts\n",
                           kind="measures")

    receipt = response.get_json()
    assert response.status_code == 422
    assert [(i["severity"], i["row"], i["column"], i["column_letter"], i["code"])
            for i in receipt["issues"]] == [("error", 3, "Value", "B", "value.negative")]
    assert "'-5' is negative" in receipt["issues"][0]["message"]
    assert "measure_line" not in changes(before, table_counts())


def test_a_negative_cash_contribution_is_rejected_naming_its_row(client, token):
    response = post_return(client, token,
                           "Contributor name,Contribution type,Quantity,Value\n"
                           "Don Valley Joinery Ltd,cash_donation,,250.00\n"
                           "Don Valley Joinery Ltd,cash_donation,,-250.00\n"
                           "Clifton Cafe,volunteering_hours,-3,\n",
                           kind="contributions")

    issues = response.get_json()["issues"]
    assert response.status_code == 422
    assert [(i["row"], i["column"], i["code"]) for i in issues] == [
        (3, "Value", "value.negative"), (4, "Quantity", "quantity.negative")]


def test_zero_is_a_count_like_any_other(client, token):
    response = post_return(client, token, "Measure,Value\napprenticeship_starts,0\n",
                           kind="measures")

    assert response.status_code in (201, 202), response.get_json()
