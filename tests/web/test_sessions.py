"""Sessions kept by the hub, not by the cookie: the cookie carries a random session id whose
hash is a row; signing out, changing or resetting the password and disabling the person end the
row at once, and it ends by itself after the idle and absolute timeouts."""

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select, text

from exchange.cli import cli
from exchange.context import get_engine, get_uow
from exchange.models import User
from exchange.services.admin.passwords import reset_password
from tests.api.oauth_flows import (
    PASSWORD,
    REDIRECT_URI,
    authorize_url,
    csrf_from,
    pkce_pair,
    sign_in,
)

NEW_PASSWORD = "a brand new passphrase"  # noqa: S105 (a test password)


def cookie(browser) -> str:
    return browser.get_cookie("session").value


def signed_in(browser) -> bool:
    return browser.get("/returns").status_code == 200


@pytest.fixture
def ann(make_user):
    return make_user("rmbc", "ann@rmbc.example", PASSWORD)


@pytest.fixture
def browser(app, ann):
    browser = app.test_client()
    assert sign_in(browser, "ann@rmbc.example").status_code == 302
    return browser


def replay(app, value: str):
    """Another browser carrying a copy of a captured cookie."""
    thief = app.test_client()
    thief.set_cookie("session", value)
    return thief


def post_form(browser, path: str, **fields):
    page = browser.get(path).get_data(as_text=True)
    return browser.post(path, data={**fields, "csrf_token": csrf_from(page)})


def test_a_cookie_captured_before_signing_out_opens_nothing_afterwards(app, browser):
    captured = cookie(browser)

    assert post_form(browser, "/logout").status_code == 302

    assert not signed_in(replay(app, captured))


def test_only_a_hash_of_the_session_id_is_stored(browser):
    with get_engine().connect() as connection:
        rows = [tuple(row) for row in connection.execute(text("SELECT * FROM web_session"))]
    stored = " ".join(str(value) for row in rows for value in row)

    assert len(rows) == 1
    session_id = browser.application.session_interface.get_signing_serializer(
        browser.application).loads(cookie(browser))["sid"]
    assert session_id not in stored
    assert hashlib.sha256(session_id.encode()).hexdigest() in stored


def test_a_session_idle_for_longer_than_the_idle_timeout_ends(app, browser):
    idle = app.config["SESSION_IDLE_MINUTES"]
    start = datetime.now(UTC)
    with time_machine.travel(start + timedelta(minutes=idle - 1)):
        still = signed_in(browser)
    with time_machine.travel(start + timedelta(minutes=2 * idle)):
        after = signed_in(browser)

    assert idle == 30 and still and not after


def test_a_session_in_use_ends_at_the_absolute_timeout(app, browser):
    hours = app.config["SESSION_MAX_HOURS"]
    start, step = datetime.now(UTC), timedelta(minutes=20)
    seen = []
    moment = start
    while moment < start + timedelta(hours=hours + 1):
        moment += step
        with time_machine.travel(moment):
            seen.append((moment - start, signed_in(browser)))

    assert hours == 12
    assert all(ok for since, ok in seen if since < timedelta(hours=hours))
    assert not any(ok for since, ok in seen if since > timedelta(hours=hours))


def test_changing_the_password_ends_every_other_session_of_the_person(app, browser):
    other = app.test_client()
    sign_in(other, "ann@rmbc.example")

    response = post_form(browser, "/account/password", current_password=PASSWORD,
                         new_password=NEW_PASSWORD, confirm_password=NEW_PASSWORD)

    assert response.status_code == 302
    assert signed_in(browser) and not signed_in(other)
    assert sign_in(app.test_client(), "ann@rmbc.example").status_code == 400
    assert sign_in(app.test_client(), "ann@rmbc.example", NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize("fields, message", [
    ({"current_password": "not my password", "new_password": NEW_PASSWORD,
      "confirm_password": NEW_PASSWORD}, "Your current password is not right."),
    ({"current_password": PASSWORD, "new_password": "short", "confirm_password": "short"},
     "at least 12 characters"),
    ({"current_password": PASSWORD, "new_password": NEW_PASSWORD,
      "confirm_password": NEW_PASSWORD + "!"}, "The two new passwords are not the same."),
])
def test_a_password_change_needs_the_current_password_and_a_good_new_one(
        app, browser, fields, message):
    response = post_form(browser, "/account/password", **fields)

    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert sign_in(app.test_client(), "ann@rmbc.example").status_code == 302


def test_a_password_change_without_the_forms_csrf_token_is_refused(browser):
    response = browser.post("/account/password", data={
        "current_password": PASSWORD, "new_password": NEW_PASSWORD,
        "confirm_password": NEW_PASSWORD})

    assert response.status_code == 400
    assert sign_in(browser, "ann@rmbc.example").status_code == 302


@pytest.fixture
def admin(app, make_user):
    make_user("rmbc", "boss@rmbc.example", PASSWORD, roles=("admin",))
    browser = app.test_client()
    sign_in(browser, "boss@rmbc.example")
    return browser


def test_disabling_a_person_ends_their_sessions_at_once(app, admin, browser, ann):
    captured = cookie(browser)

    page = admin.get("/admin/users").get_data(as_text=True)
    admin.post(f"/admin/users/{ann}/disable", data={"csrf_token": csrf_from(page)})

    assert not signed_in(browser) and not signed_in(replay(app, captured))
    with get_uow() as uow:
        assert uow.session.scalar(text("SELECT count(*) FROM web_session WHERE user_id = :id"),
                                  {"id": ann}) == 0


def test_an_administrator_forces_a_password_reset_from_the_people_page(app, admin, browser, ann):
    page = admin.get("/admin/users").get_data(as_text=True)

    response = admin.post(f"/admin/users/{ann}/reset-password",
                          data={"csrf_token": csrf_from(page)})

    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "temporary password" in html
    temporary = html.split('data-temporary-password="')[1].split('"')[0]
    assert not signed_in(browser)
    person = app.test_client()
    assert sign_in(person, "ann@rmbc.example", PASSWORD).status_code == 400
    assert sign_in(person, "ann@rmbc.example", temporary).status_code == 302
    assert person.get("/returns").headers["Location"].startswith("/account/password")
    assert post_form(person, "/account/password", current_password=temporary,
                     new_password=NEW_PASSWORD, confirm_password=NEW_PASSWORD).status_code == 302
    assert signed_in(person)


def test_hub_users_reset_password_prints_a_temporary_one_and_ends_the_sessions(
        app, browser, ann):
    result = app.test_cli_runner().invoke(cli, ["users", "reset-password", "ann@rmbc.example"])

    assert result.exit_code == 0, result.output
    temporary = result.output.split("Temporary password: ")[1].split()[0]
    assert not signed_in(browser)
    assert sign_in(app.test_client(), "ann@rmbc.example", temporary).status_code == 302
    with get_uow() as uow:
        assert uow.session.scalar(select(User.must_change_password).where(User.id == ann))


def test_the_session_cookie_does_not_outlive_the_absolute_timeout(app, browser):
    limit = timedelta(hours=app.config["SESSION_MAX_HOURS"])
    expires = browser.get_cookie("session").expires

    assert app.permanent_session_lifetime <= limit
    assert expires is None or expires <= datetime.now(UTC) + limit


def test_someone_whose_password_was_reset_must_change_it_before_letting_an_app_in(
        app, ann, make_client):
    client_id, _ = make_client("rmbc", "returns:read", redirect_uris=[REDIRECT_URI])
    _, temporary = reset_password(get_uow(), user_id=ann)
    person = app.test_client()
    sign_in(person, "ann@rmbc.example", temporary)

    response = person.get(authorize_url(client_id, pkce_pair()[1]))

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/password")
