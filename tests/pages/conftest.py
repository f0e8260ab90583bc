"""Page tests: real sign-in through the form (with its CSRF token), real database, real views."""

import re

import pytest
from flask import g
from flask.testing import FlaskClient

PASSWORD = "a long enough password"  # noqa: S105 (a test password)
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = TOKEN.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


class PageClient(FlaskClient):
    """A test client whose every request starts with an empty ``flask.g``, as a served request
    does. The ``app`` fixture keeps one app context open for the whole test, and Flask reuses it
    for the client's requests, so per-request caches in ``g`` (the signed-in person, whether
    there is demo data) would otherwise carry over from one request to the next."""

    def open(self, *args, **kwargs):
        for name in list(g):
            g.pop(name)
        return super().open(*args, **kwargs)


@pytest.fixture
def page_client(app):
    app.test_client_class = PageClient
    try:
        yield app.test_client()
    finally:
        app.test_client_class = None


@pytest.fixture
def signed_in(app, make_user, page_client):
    """signed_in("rmbc", roles=("admin",)) -> a test client signed in as a new person of the
    partner; ``client.csrf`` is its session's CSRF token."""
    made = []

    def sign_in(partner: str = "rmbc", roles=(), email: str | None = None):
        email = email or f"person{len(made)}@{partner}.example"
        make_user(partner, email, PASSWORD, roles=roles)
        client = PageClient(app, app.response_class, use_cookies=True)
        form = client.get("/login")
        response = client.post("/login", data={"email": email, "password": PASSWORD,
                                               "csrf_token": csrf_of(form.text)})
        assert response.status_code == 302, response.text
        client.csrf = csrf_of(client.get("/logout").text)
        client.email = email
        made.append(client)
        return client

    return sign_in
