"""Client credentials over HTTP: machine clients of one partner get short-lived tokens."""

import pytest

from exchange.context import get_uow
from exchange.services.admin import accounts
from tests.api.oauth_flows import bearer


def token_request(client, client_id, secret, **data):
    return client.post("/oauth/token", data={"grant_type": "client_credentials", **data},
                       auth=(client_id, secret))


def test_client_credentials_give_a_bearer_token_that_expires_within_an_hour(client, make_client):
    client_id, secret = make_client("rmbc", "returns:write returns:read")

    response = token_request(client, client_id, secret, scope="returns:write")

    assert response.status_code == 200
    body = response.get_json()
    assert body["token_type"] == "Bearer"
    assert 0 < body["expires_in"] <= 3600
    assert body["scope"] == "returns:write"
    assert "refresh_token" not in body
    assert response.headers["Cache-Control"] == "no-store"
    me = client.get("/api/v1/me", headers=bearer(body["access_token"])).get_json()
    assert me["partner"]["slug"] == "rmbc"
    assert me["client_id"] == client_id
    assert me["scopes"] == ["returns:write"]
    assert me["user"] is None


def test_a_client_may_send_its_secret_in_the_form_instead_of_basic_auth(client, make_client):
    client_id, secret = make_client("syp", "views:read")

    response = client.post("/oauth/token", data={
        "grant_type": "client_credentials", "client_id": client_id, "client_secret": secret})

    assert response.status_code == 200
    assert response.get_json()["scope"] == "views:read"


def test_leaving_out_the_scope_gets_every_scope_the_client_may_have(client, make_client):
    client_id, secret = make_client("rmbc", "views:read returns:read")

    body = token_request(client, client_id, secret).get_json()

    assert body["scope"] == "returns:read views:read"


def test_a_wrong_secret_gives_invalid_client(client, make_client):
    client_id, secret = make_client("rmbc", "returns:read")

    basic = token_request(client, client_id, secret + "x")
    post = client.post("/oauth/token", data={"grant_type": "client_credentials",
                                             "client_id": client_id, "client_secret": "nope"})

    assert basic.status_code == 401
    assert basic.get_json()["error"] == "invalid_client"
    assert post.status_code in (400, 401)
    assert post.get_json()["error"] == "invalid_client"


def test_an_unknown_client_gives_invalid_client(client):
    response = token_request(client, "no-such-client", "whatever")

    assert response.status_code == 401
    assert response.get_json()["error"] == "invalid_client"


@pytest.mark.parametrize("scope", ["returns:approve", "returns:read admin", "nonsense", ""])
def test_a_scope_beyond_what_the_client_may_have_is_refused(client, make_client, scope):
    client_id, secret = make_client("rmbc", "returns:read")

    response = token_request(client, client_id, secret, scope=scope)

    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_scope"


def test_a_revoked_client_gets_no_tokens_and_its_tokens_stop_working(client, make_client):
    client_id, secret = make_client("rmbc", "returns:read")
    token = token_request(client, client_id, secret).get_json()["access_token"]

    accounts.revoke_client(get_uow(), client_id)

    assert token_request(client, client_id, secret).get_json()["error"] == "invalid_client"
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401


def test_a_client_credentials_client_cannot_use_other_grants(client, make_client):
    client_id, secret = make_client("rmbc", "returns:read")

    response = client.post("/oauth/token", data={"grant_type": "refresh_token",
                                                 "refresh_token": "anything"},
                           auth=(client_id, secret))

    assert response.status_code == 400
    assert response.get_json()["error"] == "unauthorized_client"


@pytest.mark.parametrize("grant_type", ["password", "implicit", "urn:nonsense", ""])
def test_grants_the_hub_does_not_offer_are_refused(client, make_client, grant_type):
    client_id, secret = make_client("rmbc", "returns:read")

    response = client.post("/oauth/token", data={"grant_type": grant_type, "username": "a",
                                                 "password": "b"}, auth=(client_id, secret))

    assert response.status_code == 400
    assert response.get_json()["error"] == "unsupported_grant_type"


def test_failed_token_requests_are_rate_limited_per_client_and_address(
        app, client, make_client, monkeypatch):
    monkeypatch.setitem(app.config, "TOKEN_RATE_LIMIT", "3 per minute")
    client_id, secret = make_client("rmbc", "returns:read")

    statuses = [token_request(client, client_id, "wrong").status_code for _ in range(4)]

    assert statuses == [401, 401, 401, 429]
    limited = token_request(client, client_id, secret)
    assert limited.get_json()["error"] == "too_many_requests"
    assert "Retry-After" in limited.headers


def test_token_metadata_describes_the_server(client):
    body = client.get("/.well-known/oauth-authorization-server").get_json()

    assert body["issuer"] == "http://localhost"
    assert body["token_endpoint"] == "http://localhost/oauth/token"
    assert body["revocation_endpoint"] == "http://localhost/oauth/revoke"
    assert body["introspection_endpoint"] == "http://localhost/oauth/introspect"
    assert body["code_challenge_methods_supported"] == ["S256"]
    assert "implicit" not in body["grant_types_supported"]
    assert "password" not in body["grant_types_supported"]
    assert "returns:approve" in body["scopes_supported"]
