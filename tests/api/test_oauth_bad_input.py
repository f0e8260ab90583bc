"""Bad input to every OAuth and sign-in endpoint gets an error answer, never a 500."""

import pytest
from authlib.oauth2.rfc8414 import AuthorizationServerMetadata

OAUTH_POSTS = ["/oauth/token", "/oauth/revoke", "/oauth/introspect"]

BAD_BODIES = [
    {},
    {"grant_type": "client_credentials"},
    {"grant_type": 'client"credentials\\'},
    {"grant_type": "authorization_code", "code": "x" * 5000, "client_id": "é" * 300},
    {"token": "x", "token_type_hint": 'nonsense"'},
    {"token": "", "token_type_hint": "access_token", "client_id": "a", "client_secret": ""},
    {"grant_type": "refresh_token", "refresh_token": '"\\\x00'},
    {"grant_type": "client_credentials", "grant_type_2": "x", "scope": "a\x01b"},
]

BAD_HEADERS = [
    {},
    {"Authorization": "Basic !!!not-base64!!!"},
    {"Authorization": "Basic " + "QQ=="},  # "A": no colon
    {"Authorization": "Bearer something"},
    {"Authorization": "Basic " + "x" * 10000},
]


@pytest.mark.parametrize("path", OAUTH_POSTS)
@pytest.mark.parametrize("body", BAD_BODIES)
@pytest.mark.parametrize("headers", BAD_HEADERS)
def test_bad_form_posts_to_oauth_endpoints_get_rfc6749_error_json(client, path, body, headers):
    response = client.post(path, data=body, headers=headers)

    assert 400 <= response.status_code < 500, response.get_data(as_text=True)
    assert response.is_json
    assert "error" in response.get_json()


@pytest.mark.parametrize("path", OAUTH_POSTS)
def test_json_bodies_and_other_methods_get_error_json(client, path):
    as_json = client.post(path, json={"grant_type": "client_credentials"})
    as_get = client.get(path)

    assert 400 <= as_json.status_code < 500 and "error" in as_json.get_json()
    assert as_get.status_code == 405 and as_get.get_json()["code"] == 405


@pytest.mark.parametrize("query", [
    "",
    "response_type=code",
    "response_type=token&client_id=x",
    "response_type=code&client_id=nobody",
    'response_type=code&client_id=a"b&redirect_uri=https://x/"y',
    "response_type=code&client_id=x&client_id=y",
    "response_type=%ff%fe&state=%00",
])
def test_bad_authorization_requests_are_refused_without_a_500(client, query):
    response = client.get("/oauth/authorize?" + query)

    assert 400 <= response.status_code < 500
    assert "error" in response.get_json()


def test_a_browser_sees_an_accessible_error_page_for_a_bad_authorization_request(client):
    response = client.get("/oauth/authorize?response_type=code&client_id=nobody",
                          headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "<main" in html and 'role="alert"' in html and "invalid_client" in html


@pytest.mark.parametrize("form", [
    {},
    {"email": "a@b.c"},
    {"email": "a@b.c", "password": "x", "csrf_token": "forged"},
    {"email": "\x00" * 10, "password": "é" * 10000},
])
def test_bad_sign_in_forms_show_the_form_again_with_errors(client, form):
    response = client.post("/login", data=form)

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "There is a problem" in html
    assert '<label for="email">' in html and '<label for="password">' in html


def test_the_server_metadata_is_valid_rfc8414(client):
    body = client.get("/.well-known/oauth-authorization-server").get_json()

    AuthorizationServerMetadata(body).validate()
