"""Resource protection: bearer tokens become g.partner; 401 and 403 in the one JSON shape."""

import pytest
from flask import g

from exchange.auth import current_actor, require_scope
from tests.api.oauth_flows import bearer, sign_in, user_tokens

ERROR_KEYS = {"code", "status", "error", "message", "errors"}


def test_me_names_the_tokens_partner_client_and_scopes(client, partner_token):
    token = partner_token("trft", "returns:read views:read")

    body = client.get("/api/v1/me", headers=bearer(token)).get_json()

    assert body["partner"] == {"slug": "trft", "kind": "health",
                               "name": body["partner"]["name"]}
    assert body["scopes"] == ["returns:read", "views:read"]
    assert body["user"] is None and body["expires_at"]


def test_each_partners_token_is_only_ever_that_partners(client, partner_token):
    tokens = {slug: partner_token(slug, "returns:read") for slug in ("rmbc", "syp", "symca")}

    seen = {slug: client.get("/api/v1/me", headers=bearer(token)).get_json()["partner"]["slug"]
            for slug, token in tokens.items()}

    assert seen == {"rmbc": "rmbc", "syp": "syp", "symca": "symca"}


def test_the_partner_list_needs_a_token_and_then_lists_every_partner(client, partner_token):
    assert client.get("/api/v1/partners").status_code == 401

    body = client.get("/api/v1/partners", headers=bearer(partner_token("rmbc", "views:read")))

    assert body.status_code == 200
    assert {"rmbc", "syp", "symca"} <= {p["slug"] for p in body.get_json()}


@pytest.mark.parametrize("headers", [
    {},
    {"Authorization": "Bearer"},
    {"Authorization": "Bearer not-a-token"},
    {"Authorization": "Basic dXNlcjpwYXNz"},
    {"Authorization": "Token abc"},
    {"Authorization": "Bearer a b c"},
    {"Authorization": "Bearer \u00e9\u00ff"},
])
def test_no_or_bad_token_gets_401_with_the_json_error_and_www_authenticate(client, headers):
    response = client.get("/api/v1/me", headers=headers)

    assert response.status_code == 401
    body = response.get_json()
    assert set(body) == ERROR_KEYS
    assert body["code"] == 401 and body["error"] == "invalid_token"
    assert response.headers["WWW-Authenticate"] == (
        'Bearer realm="anchor-exchange", error="invalid_token"')


def test_a_signed_in_browser_session_is_not_an_api_credential(app, client, make_user):
    make_user("rmbc", "ann@rmbc.example", "correct horse battery staple")
    sign_in(client, "ann@rmbc.example")

    assert client.get("/api/v1/me").status_code == 401


def test_a_user_token_names_the_person(app, client, make_client, make_user):
    _, _, tokens = user_tokens(app, make_client, make_user, roles=("approver",),
                               scopes="returns:approve")

    body = client.get("/api/v1/me", headers=bearer(tokens["access_token"])).get_json()

    assert body["user"] == "ann@rmbc.example" and body["scopes"] == ["returns:approve"]


@require_scope("returns:write", "returns:read")
def _protected():
    return {"partner": g.partner.slug, "scopes": sorted(g.scopes), "actor": current_actor(),
            "client_id": g.token.client_id, "user": g.user, "places": g.partner.place_ids,
            "expires_at": g.token.expires_at}


def call_protected(app, token=None):
    headers = bearer(token) if token else {}
    with app.test_request_context("/anything", headers=headers):
        return _protected()  # a dict when let through, else the error response


def test_require_scope_lets_through_a_token_with_every_scope_named(app, partner_token):
    token = partner_token("rmbc", "returns:write returns:read views:read")

    result = call_protected(app, token)

    assert result["partner"] == "rmbc" and result["user"] is None
    assert result["places"] and result["expires_at"].tzinfo is not None
    assert result["scopes"] == ["returns:read", "returns:write", "views:read"]
    assert result["actor"] == f"client:{result['client_id']}"


@pytest.mark.parametrize("scopes", ["returns:write", "returns:read views:read", "admin"])
def test_a_token_missing_a_scope_gets_403_insufficient_scope(app, partner_token, scopes):
    response = call_protected(app, partner_token("rmbc", scopes))

    assert response.status_code == 403
    body = response.get_json()
    assert set(body) == ERROR_KEYS
    assert body["error"] == "insufficient_scope"
    assert response.headers["WWW-Authenticate"] == (
        'Bearer realm="anchor-exchange", error="insufficient_scope", '
        'scope="returns:write returns:read"')


def test_require_scope_checks_the_token_before_the_scope(app):
    response = call_protected(app)

    assert response.status_code == 401


def test_the_current_actor_of_a_person_is_their_email(app, make_client, make_user):
    _, _, tokens = user_tokens(app, make_client, make_user,
                               scopes="returns:write returns:read")

    assert call_protected(app, tokens["access_token"])["actor"] == "user:ann@rmbc.example"


def test_protected_routes_say_so_in_the_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").get_json()

    assert spec["paths"]["/api/v1/me"]["get"]["security"] == [{"oauth2": []}]
