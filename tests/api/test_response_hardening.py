"""What the API's responses must not echo or let be kept: a forged Host in the OAuth metadata,
the uploader's Content-Type and file name in `/file`, partner data in a shared cache."""

import io

import pytest

from tests.api.returns_support import SPEND, bearer, sha256

METADATA = "/.well-known/oauth-authorization-server"


@pytest.fixture
def token(partner_token):
    return partner_token("rmbc", "returns:read returns:write")


def upload(client, token, data: bytes, filename: str, content_type: str):
    return client.post("/api/v1/returns", headers=bearer(token), content_type="multipart/form-data",
                       data={"kind": "spend", "period": "2021-22-Q3",
                             "file": (io.BytesIO(data), filename, content_type)})


def test_a_forged_host_header_is_refused_and_never_reaches_the_oauth_metadata(client):
    forged = client.get(METADATA, headers={"Host": "evil.example"})

    assert forged.status_code == 400
    assert "evil.example" not in forged.get_data(as_text=True)
    assert client.get(METADATA).get_json()["issuer"] == "http://localhost"


def test_a_configured_issuer_wins_over_the_host_of_the_request(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "OAUTH2_ISSUER", "https://hub.example.org")

    body = client.get(METADATA).get_json()

    assert body["issuer"] == "https://hub.example.org"
    assert body["token_endpoint"] == "https://hub.example.org/oauth/token"


@pytest.mark.parametrize("filename, expected", [
    ("../../etc/passwd.csv", "passwd.csv"),
    ("..\\..\\boot.csv", "boot.csv"),
    ("pay\x00ments\x1b.csv", "payments.csv"),
    ("Rotherham £ spend.csv", "Rotherham £ spend.csv"),
])
def test_the_file_is_served_as_its_stored_kind_with_a_cleaned_name(client, token, filename,
                                                                   expected):
    data = SPEND.replace("60.00", f"6{len(filename)}.00").encode()
    created = upload(client, token, data, filename, "text/html")
    assert created.status_code == 201, created.get_json()

    response = client.get(f"/api/v1/returns/{created.get_json()['id']}/file",
                          headers=bearer(token))

    assert response.status_code == 200 and response.data == data
    assert response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    for bad in ("..", "/", "\\", "\x00", "\r", "\n", "%00", "%0D", "%0A"):
        assert bad not in disposition, bad
    from werkzeug.http import parse_options_header

    _, options = parse_options_header(disposition)
    assert options["filename"] == expected


def test_a_file_of_no_known_kind_is_served_as_octet_stream_whatever_was_claimed(client, token):
    data = b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>"
    created = upload(client, token, data, "x.html", "text/html")
    assert created.status_code == 415
    receipt = created.get_json()["errors"]["receipt"]

    response = client.get(f"/api/v1/returns/{receipt['id']}/file", headers=bearer(token))

    assert response.status_code == 200 and response.data == data
    assert response.mimetype == "application/octet-stream"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_api_responses_with_partner_data_say_no_store(client, token):
    created = upload(client, token, SPEND.encode(), "spend.csv", "text/csv").get_json()
    assert created["sha256"] == sha256(SPEND)

    for path in ("/api/v1/returns", f"/api/v1/returns/{created['id']}",
                 f"/api/v1/returns/{created['id']}/file", f"/api/v1/returns/{created['id']}/lines",
                 f"/api/v1/returns/{created['id']}/issues.csv", "/api/v1/me", "/api/v1/nowhere"):
        response = client.get(path, headers=bearer(token))
        assert "no-store" in response.headers.get("Cache-Control", ""), path
    assert "no-store" in client.get("/api/v1/returns").headers["Cache-Control"]


def test_the_published_standard_may_still_be_cached(client):
    response = client.get("/api/v1/standard/spend.csv")

    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
