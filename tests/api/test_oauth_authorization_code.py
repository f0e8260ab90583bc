"""Authorization code with PKCE (S256 only), through the hub's own sign-in and consent pages."""

import pytest

from tests.api.oauth_flows import (
    PASSWORD,
    REDIRECT_URI,
    authorize_url,
    bearer,
    consent,
    csrf_from,
    exchange_code,
    get_code,
    pkce_pair,
    redirect_params,
    sign_in,
    user_tokens,
)


def test_a_person_signs_in_consents_and_the_app_gets_tokens_for_them(app, make_client, make_user):
    client_id, secret = make_client("rmbc", "returns:read returns:write",
                                    redirect_uris=[REDIRECT_URI], name="RMBC finance app")
    make_user("rmbc", "Ann@RMBC.example", PASSWORD)
    browser = app.test_client()
    verifier, challenge = pkce_pair()
    url = authorize_url(client_id, challenge)

    to_login = browser.get(url)
    assert to_login.status_code == 302
    assert to_login.headers["Location"].startswith("/login?next=")
    signed_in = sign_in(browser, "ann@rmbc.example", next_url=url)
    assert signed_in.status_code == 302 and signed_in.headers["Location"] == url
    page = browser.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "RMBC finance app" in html and "returns:write" in html and "<main" in html
    answer = browser.post(url, data={"decision": "allow", "csrf_token": csrf_from(html)})
    params = redirect_params(answer)
    assert params["state"] == "xyz" and "code" in params
    tokens = exchange_code(browser, client_id, secret, params["code"], verifier)

    assert tokens.status_code == 200
    body = tokens.get_json()
    assert body["scope"] == "returns:read returns:write"
    assert body["expires_in"] <= 3600 and body["refresh_token"]
    me = browser.get("/api/v1/me", headers=bearer(body["access_token"])).get_json()
    assert me["user"] == "ann@rmbc.example"
    assert me["partner"]["slug"] == "rmbc"
    assert me["client_id"] == client_id


def test_a_public_client_uses_pkce_instead_of_a_secret(app, make_client, make_user):
    client_id, secret = make_client("syp", "views:read", redirect_uris=[REDIRECT_URI],
                                    public=True)
    make_user("syp", "bob@syp.example", PASSWORD)
    browser = app.test_client()
    code, verifier = get_code(browser, client_id, "bob@syp.example")

    response = exchange_code(browser, client_id, None, code, verifier)

    assert secret is None
    assert response.status_code == 200
    assert response.get_json()["scope"] == "views:read"


@pytest.mark.parametrize("challenge, method", [
    ("use-verifier", "plain"),  # plain PKCE
    ("use-challenge", None),  # no method means plain (RFC 7636 4.3)
    (None, None),  # no PKCE at all
    (None, "S256"),
    ("too-short", "S256"),
])
def test_authorization_without_s256_pkce_is_refused(app, make_client, make_user,
                                                    challenge, method):
    client_id, _ = make_client("rmbc", "returns:read", redirect_uris=[REDIRECT_URI])
    make_user("rmbc", "ann@rmbc.example", PASSWORD)
    browser = app.test_client()
    sign_in(browser, "ann@rmbc.example")
    verifier, s256 = pkce_pair()
    value = {"use-verifier": verifier, "use-challenge": s256}.get(challenge, challenge)

    response = browser.get(authorize_url(client_id, value, method=method))

    assert response.status_code == 302
    params = redirect_params(response)
    assert params["error"] == "invalid_request"
    assert params["state"] == "xyz"
    assert "code" not in params


@pytest.mark.parametrize("verifier", [None, "wrong" * 10, "short"])
def test_a_code_without_the_right_verifier_gives_no_token(app, make_client, make_user, verifier):
    client_id, secret = make_client("rmbc", "returns:read", redirect_uris=[REDIRECT_URI])
    make_user("rmbc", "ann@rmbc.example", PASSWORD)
    browser = app.test_client()
    code, _ = get_code(browser, client_id, "ann@rmbc.example")

    response = exchange_code(browser, client_id, secret, code, verifier)

    assert response.status_code == 400
    assert response.get_json()["error"] in ("invalid_request", "invalid_grant")


def test_a_code_works_once_and_a_replay_revokes_what_it_gave(app, make_client, make_user):
    client_id, secret = make_client("rmbc", "returns:read", redirect_uris=[REDIRECT_URI])
    make_user("rmbc", "ann@rmbc.example", PASSWORD)
    browser = app.test_client()
    code, verifier = get_code(browser, client_id, "ann@rmbc.example")
    first = exchange_code(browser, client_id, secret, code, verifier).get_json()

    replay = exchange_code(browser, client_id, secret, code, verifier)

    assert replay.status_code == 400
    assert replay.get_json()["error"] == "invalid_grant"
    assert browser.get("/api/v1/me", headers=bearer(first["access_token"])).status_code == 401


def test_an_expired_code_gives_no_token(app, make_client, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "AUTHORIZATION_CODE_SECONDS", 0)
    client_id, secret = make_client("rmbc", "returns:read", redirect_uris=[REDIRECT_URI])
    make_user("rmbc", "ann@rmbc.example", PASSWORD)
    browser = app.test_client()
    code, verifier = get_code(browser, client_id, "ann@rmbc.example")

    response = exchange_code(browser, client_id, secret, code, verifier)

    assert response.get_json()["error"] == "invalid_grant"


def test_a_code_issued_to_one_client_is_useless_to_another(app, make_client, make_user):
    client_id, _ = make_client("rmbc", "returns:read", redirect_uris=[REDIRECT_URI])
    other_id, other_secret = make_client("rmbc", "returns:read", redirect_uris=[REDIRECT_URI])
    make_user("rmbc", "ann@rmbc.example", PASSWORD)
    browser = app.test_client()
    code, verifier = get_code(browser, client_id, "ann@rmbc.example")

    response = exchange_code(browser, other_id, other_secret, code, verifier)

    assert response.get_json()["error"] == "invalid_grant"


def test_saying_no_sends_the_person_back_with_access_denied(app, make_client, make_user):
    client_id, _ = make_client("rmbc", "returns:read", redirect_uris=[REDIRECT_URI])
    make_user("rmbc", "ann@rmbc.example", PASSWORD)
    browser = app.test_client()
    sign_in(browser, "ann@rmbc.example")

    answer = consent(browser, authorize_url(client_id, pkce_pair()[1]), decision="deny")

    assert redirect_params(answer)["error"] == "access_denied"


def test_consent_without_the_forms_csrf_token_is_refused(app, make_client, make_user):
    client_id, _ = make_client("rmbc", "returns:read", redirect_uris=[REDIRECT_URI])
    make_user("rmbc", "ann@rmbc.example", PASSWORD)
    browser = app.test_client()
    sign_in(browser, "ann@rmbc.example")

    answer = browser.post(authorize_url(client_id, pkce_pair()[1]), data={"decision": "allow"})

    assert answer.status_code == 400
    assert "Location" not in answer.headers


def test_only_approvers_can_grant_returns_approve(app, make_client, make_user):
    scopes = "returns:read returns:approve"
    _, _, officer = user_tokens(app, make_client, make_user, scopes=scopes)
    _, _, approver = user_tokens(app, make_client, make_user, email="head@rmbc.example",
                                 scopes=scopes, roles=("approver",))

    assert officer["scope"] == "returns:read"
    assert approver["scope"] == "returns:approve returns:read"


def test_a_person_cannot_authorize_another_partners_application(app, make_client, make_user):
    client_id, _ = make_client("syp", "returns:read", redirect_uris=[REDIRECT_URI])
    make_user("rmbc", "ann@rmbc.example", PASSWORD)
    browser = app.test_client()
    sign_in(browser, "ann@rmbc.example")

    response = browser.get(authorize_url(client_id, pkce_pair()[1]))

    assert response.status_code == 403
    assert response.get_json()["error"] == "access_denied"


def test_an_unregistered_redirect_uri_is_never_redirected_to(app, make_client, make_user):
    client_id, _ = make_client("rmbc", "returns:read", redirect_uris=[REDIRECT_URI])

    response = app.test_client().get(authorize_url(client_id, pkce_pair()[1],
                                                   redirect_uri="https://evil.example/cb"))

    assert response.status_code == 400
    assert "Location" not in response.headers
    assert response.get_json()["error"] == "invalid_request"


def test_an_unknown_scope_is_sent_back_as_invalid_scope(app, make_client):
    client_id, _ = make_client("rmbc", "returns:read", redirect_uris=[REDIRECT_URI])

    response = app.test_client().get(authorize_url(client_id, pkce_pair()[1], scope="admin"))

    assert redirect_params(response)["error"] == "invalid_scope"


def test_a_confidential_client_cannot_leave_out_its_secret_even_with_pkce(
        app, make_client, make_user):
    client_id, _ = make_client("rmbc", "returns:read", redirect_uris=[REDIRECT_URI])
    make_user("rmbc", "ann@rmbc.example", PASSWORD)
    browser = app.test_client()
    code, verifier = get_code(browser, client_id, "ann@rmbc.example")

    response = exchange_code(browser, client_id, None, code, verifier)

    assert response.get_json()["error"] == "invalid_client"
