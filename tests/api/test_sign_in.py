"""The hub's own sign-in page: email and password, CSRF-protected, rate-limited."""

import pytest
from sqlalchemy import update

from exchange.context import get_uow
from exchange.models import User
from tests.api.oauth_flows import PASSWORD, csrf_from, sign_in


def test_the_sign_in_page_is_a_labelled_form_with_a_csrf_token(client):
    html = client.get("/login").get_data(as_text=True)

    assert '<html lang="en-GB">' in html and "<main" in html
    assert '<label for="email">' in html and '<label for="password">' in html
    assert csrf_from(html)


def test_signing_in_with_the_right_password_starts_a_session(client, make_user):
    make_user("rmbc", "ann@rmbc.example", PASSWORD)

    response = sign_in(client, "ANN@rmbc.example ")

    assert response.status_code == 302
    assert "ann@rmbc.example" in client.get("/signed-in").get_data(as_text=True)


@pytest.mark.parametrize("email, password", [
    ("ann@rmbc.example", "wrong password!"),
    ("nobody@rmbc.example", PASSWORD),
])
def test_a_wrong_email_or_password_gets_the_same_error_summary(client, make_user, email, password):
    make_user("rmbc", "ann@rmbc.example", PASSWORD)

    response = sign_in(client, email, password)

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "There is a problem" in html and "The email address or password is not right." in html
    assert client.get("/signed-in").status_code == 302


def test_a_disabled_person_cannot_sign_in(client, make_user):
    user_id = make_user("rmbc", "ann@rmbc.example", PASSWORD)
    with get_uow() as uow:
        uow.session.execute(update(User).where(User.id == user_id).values(disabled=True))
        uow.commit()

    assert sign_in(client, "ann@rmbc.example").status_code == 400


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x",
                                      "/\\evil.example", "javascript:alert(1)"])
def test_sign_in_never_redirects_off_the_site(client, make_user, next_url):
    make_user("rmbc", "ann@rmbc.example", PASSWORD)

    response = sign_in(client, "ann@rmbc.example", next_url=next_url)

    assert response.headers["Location"] == "/signed-in"


def test_failed_sign_ins_are_rate_limited_per_person_and_address(
        app, client, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "3 per minute")
    make_user("rmbc", "ann@rmbc.example", PASSWORD)

    statuses = [sign_in(client, "ann@rmbc.example", "guess number one").status_code
                for _ in range(4)]

    assert statuses == [400, 400, 400, 429]
    assert client.get("/login").status_code == 200  # only POST is limited


def test_signing_out_needs_the_forms_csrf_token_and_ends_the_session(client, make_user):
    make_user("rmbc", "ann@rmbc.example", PASSWORD)
    sign_in(client, "ann@rmbc.example")

    forged = client.post("/logout", data={"csrf_token": "forged"})
    still_in = client.get("/signed-in").status_code
    page = client.get("/logout").get_data(as_text=True)
    out = client.post("/logout", data={"csrf_token": csrf_from(page)})

    assert forged.status_code == 400 and still_in == 200
    assert out.status_code == 302
    assert client.get("/signed-in").status_code == 302
