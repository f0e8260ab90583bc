"""The read limits are settings: lowered, an upload past one gets a rejected receipt that names
the setting, and its bytes are kept. (A JSON body past MAX_JSON_BYTES is 413: test_errors.py.)"""

import pytest

from tests.api.returns_support import bearer, post_return

HEADER = "Date Paid,Amount,Supplier Name"


@pytest.fixture
def token(partner_token):
    return partner_token("rmbc", "returns:write returns:read")


@pytest.mark.parametrize("setting, value, data, named", [
    ("MAX_COLUMNS", 4, f"{HEADER},a,b\n01/05/2025,1.00,Acme,x,y\n", "(MAX_COLUMNS)"),
    ("MAX_LINE_BYTES", 300_000, f"{HEADER}\n01/05/2025,1.00,{'A' * 400_000}\n",
     "(MAX_LINE_BYTES)"),
])
def test_an_upload_past_a_lowered_limit_is_rejected_naming_it_and_kept(
        app, client, token, monkeypatch, setting, value, data, named):
    monkeypatch.setitem(app.config, setting, value)

    response = post_return(client, token, data)

    assert response.status_code == 422
    receipt = response.get_json()
    assert receipt["status"] == "rejected"
    assert any(named in issue["message"] for issue in receipt["issues"])
    kept = client.get(f"/api/v1/returns/{receipt['id']}/file", headers=bearer(token))
    assert kept.status_code == 200 and kept.data == data.encode()
