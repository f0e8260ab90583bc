"""What every page gets: security headers, a CSP without unsafe-inline, CSRF on every form, and
a session cookie that scripts and other sites cannot use."""

import re

from tests.api.oauth_flows import PASSWORD, csrf_from, sign_in


def test_every_page_has_a_strict_content_security_policy_and_security_headers(client):
    response = client.get("/login")

    policy = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_no_page_has_an_inline_script_or_style(client, make_user):
    make_user("rmbc", "ann@rmbc.example", PASSWORD)
    sign_in(client, "ann@rmbc.example")

    for path in ("/login", "/", "/upload", "/returns"):
        html = client.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert "<style" not in html and " style=" not in html, path


def test_the_session_cookie_is_http_only_and_same_site_lax(client, make_user):
    make_user("rmbc", "ann@rmbc.example", PASSWORD)

    cookie = sign_in(client, "ann@rmbc.example").headers["Set-Cookie"]

    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_the_session_cookie_is_secure_and_https_kept_when_configured(
        app, client, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)
    make_user("rmbc", "ann@rmbc.example", PASSWORD)

    response = sign_in(client, "ann@rmbc.example")

    assert "Secure" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_a_page_form_posted_without_its_csrf_token_is_refused_and_changes_nothing(
        client, make_user, uow):
    make_user("rmbc", "ann@rmbc.example", PASSWORD)
    sign_in(client, "ann@rmbc.example")

    response = client.post("/upload", data={"kind": "spend", "period": "2021-22-Q3",
                                            "action": "submit"})

    assert response.status_code == 400
    assert "The form has expired" in response.get_data(as_text=True)
    with uow:
        assert uow.returns.for_partner(uow.partners.get("rmbc").id) == []


def test_a_csrf_token_from_another_session_is_refused(app, client, make_user):
    make_user("rmbc", "ann@rmbc.example", PASSWORD)
    sign_in(client, "ann@rmbc.example")
    other = app.test_client()
    token = csrf_from(other.get("/login").get_data(as_text=True))

    response = client.post("/approvals", data={"csrf_token": token, "return_id": "1"})

    assert response.status_code == 400


def test_the_api_and_token_endpoint_take_no_csrf_token(client):
    response = client.post("/oauth/token", data={"grant_type": "client_credentials"})

    assert response.status_code in (400, 401)
    assert response.get_json()["error"] == "invalid_client"


def test_pages_send_someone_not_signed_in_to_sign_in_and_back(client):
    response = client.get("/upload?kind=spend")

    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/upload?kind%3Dspend"


def test_the_consent_page_lets_its_form_lead_only_to_the_redirect_uris_origin(client):
    with client.application.test_request_context(
            "/oauth/authorize?redirect_uri=https://app.example.org:8443/cb"):
        from exchange.web.security import consent_policy
        assert "form-action 'self' https://app.example.org:8443" in consent_policy()


def test_a_crafted_redirect_uri_cannot_add_to_the_content_security_policy(client):
    response = client.get("/oauth/authorize?response_type=code&client_id=nobody"
                          "&redirect_uri=https://evil.example;script-src%20*",
                          headers={"Accept": "text/html"})

    policy = response.headers["Content-Security-Policy"]
    assert "evil" not in policy and "script-src *" not in policy
    assert policy.count("script-src") == 1
