"""A diff a person can read: spend lines matched by transaction number, so a changed amount is one
changed line with its before and after, only the columns that changed, and its row number in
both files; amounts written as money on the page."""

import pytest

from tests.api.oauth_flows import PASSWORD, sign_in
from tests.api.returns_support import bearer, post_return

HEADER = "Payment Date,Amount,Supplier Name,Supplier ID,Transaction Number\n"


@pytest.fixture
def token(partner_token):
    return partner_token("rmbc", "returns:read returns:write")


def test_a_changed_amount_is_one_changed_line_with_both_row_numbers(client, token):
    post_return(client, token, HEADER + "01/10/2021,100.00,Acme Ltd,A1,T1\n"
                "02/10/2021,1000.00,Bolt Ltd,B1,T2\n"
                "03/10/2021,50.00,Cog Ltd,C1,T3\n")
    # T2's amount corrected and moved down a row; T3 removed; T4 new
    second = post_return(client, token, HEADER + "01/10/2021,100.00,Acme Ltd,A1,T1\n"
                         "04/10/2021,75.00,Dial Ltd,D1,T4\n"
                         "02/10/2021,1200.00,Bolt Ltd,B1,T2\n").get_json()

    diff = client.get(f"/api/v1/returns/{second['id']}/diff", headers=bearer(token)).get_json()

    assert diff["matched_by"] == "transaction_reference"
    assert diff["counts"] == {"added": 1, "removed": 1, "changed": 1, "unchanged": 1}
    [line] = diff["changed"]
    assert (line["key"], line["row_before"], line["row_after"]) == ("T2", 3, 4)
    assert line["changes"] == [{"field": "amount", "before": "1000.00", "after": "1200.00"}]
    assert [(r["transaction_reference"], r["row"]) for r in diff["added"]] == [("T4", 3)]
    assert [(r["transaction_reference"], r["row"]) for r in diff["removed"]] == [("T3", 4)]


def test_the_diff_page_shows_only_the_changed_column_as_money(app, client, token, make_user):
    post_return(client, token, HEADER + "02/10/2021,1000.00,Bolt Ltd,B1,T2\n")
    second = post_return(client, token, HEADER + "02/10/2021,1234.50,Bolt Ltd,B1,T2\n").get_json()
    officer = app.test_client()
    make_user("rmbc", "ann@rmbc.example", PASSWORD)
    sign_in(officer, "ann@rmbc.example")

    page = officer.get(f"/returns/{second['id']}/diff").get_data(as_text=True)

    changed = page.split('id="changed"')[1].split("</table>")[0]
    assert "£1,000" in changed and "£1,234.50" in changed
    assert "Bolt Ltd" not in changed  # the supplier did not change
    assert "Amount" in changed
