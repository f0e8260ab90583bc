"""Administration pages: admins only, CSRF on every form, a client's secret shown once, people
added and disabled, and every change in the audit log."""

import re

import pytest
from sqlalchemy import select

from exchange.context import get_uow
from exchange.models import AuditEvent, OAuthClient, Release, User
from exchange.models.jobs import MANUAL, JobRun
from tests.integration.releases_support import Q1, SCC, submit
from tests.pages.conftest import PASSWORD, csrf_of

PAGES = ["/admin/", "/admin/partners", "/admin/clients", "/admin/users", "/admin/releases",
         "/admin/jobs", "/admin/outbox"]


def audit(action: str) -> list[AuditEvent]:
    with get_uow() as uow:
        return list(uow.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def new_client(admin, **fields):
    form = {"csrf_token": admin.csrf, "partner": "rmbc", "name": "RMBC finance system",
            "scopes": ["returns:write", "returns:read"], **fields}
    return admin.post("/admin/clients", data=form)


@pytest.mark.parametrize("path", PAGES)
def test_every_admin_page_is_forbidden_to_someone_without_the_admin_role(signed_in, path):
    approver = signed_in(roles=("approver",))

    response = approver.get(path)

    assert response.status_code == 403
    assert "You cannot use this page" in response.text


@pytest.mark.parametrize("path", PAGES)
def test_every_admin_page_answers_an_admin(signed_in, path):
    assert signed_in("symca", roles=("admin",)).get(path).status_code == 200


def test_someone_not_signed_in_is_sent_to_sign_in(page_client):
    response = page_client.get("/admin/clients")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_a_non_admin_cannot_create_a_client_even_with_a_valid_form(signed_in):
    officer = signed_in()

    assert new_client(officer).status_code == 403
    with get_uow() as uow:
        assert uow.session.scalar(select(OAuthClient)) is None


def test_a_form_without_this_sessions_csrf_token_changes_nothing(signed_in):
    admin = signed_in("symca", roles=("admin",))

    assert new_client(admin, csrf_token="").status_code == 400
    assert new_client(admin, csrf_token="forged-" + admin.csrf).status_code == 400
    with get_uow() as uow:
        assert uow.session.scalar(select(OAuthClient)) is None
    assert audit("client.create") == []


def test_a_new_clients_secret_is_shown_once_works_and_is_never_shown_again(signed_in, client):
    admin = signed_in("symca", roles=("admin",))

    response = new_client(admin)

    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    client_id = re.search(r'<code id="client-id">([^<]+)</code>', response.text).group(1)
    secret = re.search(r'<code id="client-secret">([^<]+)</code>', response.text).group(1)
    token = client.post("/oauth/token", data={"grant_type": "client_credentials",
                                              "scope": "returns:read"}, auth=(client_id, secret))
    assert token.status_code == 200, token.get_json()
    listing = admin.get("/admin/clients").text
    assert client_id in listing and "RMBC finance system" in listing
    assert secret not in listing
    assert all(secret not in admin.get(path).text for path in PAGES)
    [event] = audit("client.create")
    assert (event.actor, event.partner_slug, event.subject) == (
        f"user:{admin.email}", "rmbc", client_id)
    assert secret not in str(event.detail)


def test_the_client_form_keeps_what_was_typed_and_shows_an_error_summary(signed_in):
    admin = signed_in("symca", roles=("admin",))

    response = new_client(admin, partner="", name="Nightly export", scopes=["views:read"])

    assert response.status_code == 400
    page = response.text
    assert "<title>Error:" in page
    assert '<a href="#partner">Choose the partner whose system this client is.</a>' in page
    assert 'value="Nightly export"' in page
    assert re.search(r'value="views:read"\s+checked', page)
    assert not re.search(r'value="returns:write"\s+checked', page)


def test_a_client_needs_a_name_and_a_scope(signed_in):
    admin = signed_in("symca", roles=("admin",))

    page = new_client(admin, name=" ", scopes=[]).text

    assert '<a href="#name">' in page and '<a href="#scopes">' in page
    assert re.search(r'<option value="rmbc"\s+selected', page)


def test_revoking_a_client_stops_its_tokens_and_is_audited(signed_in, make_client, client):
    admin = signed_in("symca", roles=("admin",))
    client_id, secret = make_client("rmbc", "returns:read")
    token = client.post("/oauth/token", data={"grant_type": "client_credentials"},
                        auth=(client_id, secret)).get_json()["access_token"]

    response = admin.post(f"/admin/clients/{client_id}/revoke",
                          data={"csrf_token": admin.csrf}, follow_redirects=True)

    assert response.status_code == 200
    assert f"Client {client_id} is revoked (live tokens revoked with it: 1)." in response.text
    assert client.get("/api/v1/returns",
                      headers={"Authorization": f"Bearer {token}"}).status_code == 401
    [event] = audit("client.revoke")
    assert (event.actor, event.subject) == (f"user:{admin.email}", client_id)


def test_revoking_a_client_that_does_not_exist_is_not_found(signed_in):
    admin = signed_in("symca", roles=("admin",))

    response = admin.post("/admin/clients/nope/revoke", data={"csrf_token": admin.csrf})

    assert response.status_code == 404


def test_an_admin_adds_a_person_who_can_then_sign_in(signed_in, page_client):
    admin = signed_in("symca", roles=("admin",))

    response = admin.post("/admin/users", data={
        "csrf_token": admin.csrf, "partner": "trft", "email": "Ann@TRFT.example",
        "name": "Ann Approver", "password": PASSWORD, "roles": ["approver"]},
        follow_redirects=True)

    assert "ann@trft.example can now sign in." in response.text
    with get_uow() as uow:
        ann = uow.session.scalar(select(User).where(User.email == "ann@trft.example"))
        assert (ann.partner.slug, ann.roles, ann.disabled) == ("trft", ["approver"], False)
    [event] = [e for e in audit("user.create") if e.subject == "ann@trft.example"]
    assert event.actor == f"user:{admin.email}"
    form = page_client.get("/login").text
    signed = page_client.post("/login", data={"email": "ann@trft.example", "password": PASSWORD,
                                              "csrf_token": csrf_of(form)})
    assert signed.status_code == 302


def test_the_person_form_keeps_input_but_never_the_password(signed_in):
    admin = signed_in("symca", roles=("admin",))

    response = admin.post("/admin/users", data={
        "csrf_token": admin.csrf, "partner": "trft", "email": "not-an-address",
        "name": "Ann", "password": "too-short", "roles": ["admin"]})

    assert response.status_code == 400
    page = response.text
    assert '<a href="#email">Enter an email address like name@example.org.</a>' in page
    assert '<a href="#password">Use a password of at least 12 characters.</a>' in page
    assert 'value="not-an-address"' in page and 'value="Ann"' in page
    assert re.search(r'value="admin"\s+checked', page)
    assert "too-short" not in page
    assert [e for e in audit("user.create") if e.actor != "cli"] == []


def test_adding_someone_already_there_is_refused_on_the_email_field(signed_in):
    admin = signed_in("symca", roles=("admin",))
    officer = signed_in("rmbc")

    page = admin.post("/admin/users", data={
        "csrf_token": admin.csrf, "partner": "rmbc", "email": officer.email, "name": "Twin",
        "password": PASSWORD}).text

    assert '<a href="#email">There is already a person with this email address.</a>' in page


def test_disabling_a_person_signs_them_out_and_is_audited(signed_in):
    admin = signed_in("symca", roles=("admin",))
    officer = signed_in("rmbc")
    assert officer.get("/dashboard/").status_code == 200
    with get_uow() as uow:
        officer_id = uow.session.scalar(select(User.id).where(User.email == officer.email))

    response = admin.post(f"/admin/users/{officer_id}/disable",
                          data={"csrf_token": admin.csrf}, follow_redirects=True)

    assert "The person is disabled" in response.text
    assert officer.get("/dashboard/").status_code == 302
    [event] = audit("user.disable")
    assert (event.actor, event.subject) == (f"user:{admin.email}", officer.email)


def test_admin_actions_are_listed_on_the_overview(signed_in):
    admin = signed_in("symca", roles=("admin",))
    new_client(admin)

    page = admin.get("/admin/").text

    assert "client.create" in page and f"user:{admin.email}" in page


def releases() -> list[tuple[str, int, str]]:
    with get_uow() as uow:
        return [tuple(row) for row in uow.session.execute(
            select(Release.period, Release.version, Release.published_by))]


def publish(client, **fields):
    form = {"csrf_token": client.csrf, "subregion": "south-yorkshire", "period": Q1, **fields}
    return client.post("/admin/releases", data=form, follow_redirects=True)


def test_an_admin_publishes_a_release_from_the_web_once_and_the_audit_log_shows_it(signed_in):
    admin = signed_in("symca", roles=("admin",))
    submit(SCC, "scc")
    assert f'<option value="{Q1}">' in admin.get("/admin/releases").text

    first = publish(admin)
    again = publish(admin)

    assert first.status_code == 200
    assert f"south-yorkshire {Q1} version 1. First release for this period." in first.text
    assert "Nothing changed" in again.text and "nothing was published" in again.text
    assert releases() == [(Q1, 1, f"user:{admin.email}")]
    [event] = audit("release.publish")
    assert (event.actor, event.detail["subregion"], event.detail["period"]) == (
        f"user:{admin.email}", "south-yorkshire", Q1)
    assert "release.publish" in admin.get("/admin/").text


def test_a_release_for_no_quarter_or_no_sub_region_is_refused_on_its_field(signed_in):
    admin = signed_in("symca", roles=("admin",))

    wrong_period = publish(admin, period="2021-22")
    wrong_place = publish(admin, subregion="rotherham")

    assert wrong_period.status_code == wrong_place.status_code == 400
    assert '<a href="#period">Releases are published per quarter, e.g. 2021-22-Q1.</a>' in (
        wrong_period.text)
    assert '<a href="#subregion">Choose a sub-region from the list.</a>' in wrong_place.text
    assert releases() == [] and audit("release.publish") == []


def test_someone_without_the_admin_role_or_a_csrf_token_cannot_publish_a_release(signed_in):
    analyst = signed_in("symca", roles=("approver",))
    admin = signed_in("symca", roles=("admin",))
    submit(SCC, "scc")

    assert publish(analyst).status_code == 403
    assert publish(admin, csrf_token="").status_code == 400
    assert releases() == [] and audit("release.publish") == []


def run_now(client, job_id: str, **fields):
    return client.post(f"/admin/jobs/{job_id}/run", data={"csrf_token": client.csrf, **fields},
                       follow_redirects=True)


def test_an_admin_runs_a_job_now_from_the_web_recorded_as_manual_and_audited(signed_in):
    admin = signed_in("symca", roles=("admin",))
    page = admin.get("/admin/jobs").text
    assert 'action="/admin/jobs/refresh_aggregates/run"' in page

    response = run_now(admin, "refresh_aggregates")

    assert response.status_code == 200
    assert "refresh_aggregates: ok: aggregates rebuilt for 0 spend returns" in response.text
    with get_uow() as uow:
        [run] = uow.session.scalars(select(JobRun))
        assert (run.job_id, run.trigger, run.outcome) == ("refresh_aggregates", MANUAL, "ok")
    [event] = audit("job.run")
    assert (event.actor, event.subject, event.detail) == (
        f"user:{admin.email}", f"job_run:{run.id}", {"job": "refresh_aggregates",
                                                     "outcome": "ok"})
    assert "job.run" in admin.get("/admin/").text


def test_running_a_job_needs_the_admin_role_a_csrf_token_and_a_job_that_exists(signed_in):
    approver = signed_in("rmbc", roles=("approver",))
    admin = signed_in("symca", roles=("admin",))

    assert run_now(approver, "refresh_aggregates").status_code == 403
    assert run_now(admin, "refresh_aggregates", csrf_token="").status_code == 400
    assert run_now(admin, "backup").status_code == 404
    with get_uow() as uow:
        assert uow.session.scalar(select(JobRun)) is None
    assert audit("job.run") == []


def test_the_admin_page_refuses_a_look_alike_address_on_the_email_field(signed_in):
    admin = signed_in("symca", roles=("admin",))

    response = admin.post("/admin/users", data={
        "csrf_token": admin.csrf, "partner": "rmbc", "email": "admin@hub.exаmple",
        "name": "Mallory", "password": PASSWORD})

    assert response.status_code == 400
    assert "look" in response.text
    with get_uow() as uow:
        assert uow.session.scalar(select(User).where(User.name == "Mallory")) is None


def test_a_person_signs_in_with_the_address_typed_in_any_equivalent_form(signed_in, page_client):
    admin = signed_in("symca", roles=("admin",))
    admin.post("/admin/users", data={"csrf_token": admin.csrf, "partner": "trft",
                                     "email": "bo@bücher.example", "name": "Bo",
                                     "password": PASSWORD})

    form = page_client.get("/login").text
    signed = page_client.post("/login", data={"email": "ＢＯ@BÜCHER.example",
                                              "password": PASSWORD, "csrf_token": csrf_of(form)})

    assert signed.status_code == 302
