"""GET /api/v1/admin/job-runs: administrators only, newest first, filtered, a page at a time."""

from datetime import UTC, datetime, timedelta

import pytest

from exchange.context import get_uow
from exchange.models.jobs import JobRun

URL = "/api/v1/admin/job-runs"
START = datetime(2026, 3, 1, 6, tzinfo=UTC)


def record(job_id: str, day: int, outcome: str = "ok", error: str | None = None) -> None:
    when = START + timedelta(days=day)
    with get_uow() as uow:
        uow.session.add(JobRun(job_id=job_id, scheduled_for=when, started_at=when,
                               finished_at=when + timedelta(seconds=3), outcome=outcome,
                               error=error, host="sched-1", pid=4242))
        uow.commit()


@pytest.fixture
def admin(partner_token):
    return {"Authorization": f"Bearer {partner_token('symca', 'admin')}"}


def test_without_a_token_the_job_runs_are_refused_with_401(client):
    response = client.get(URL)

    assert response.status_code == 401
    assert response.get_json()["error"] == "invalid_token"


@pytest.mark.parametrize("scopes", ["views:read", "returns:read returns:write feeds:read"])
def test_without_the_admin_scope_the_job_runs_are_refused_with_403(client, partner_token,
                                                                      scopes):
    record("outbox", 1)
    token = partner_token("rmbc", scopes)

    response = client.get(URL, headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 403
    assert response.get_json()["errors"] == {"scope": ["admin"]}
    assert "sched-1" not in response.get_data(as_text=True)


def test_an_administrator_sees_every_run_newest_first(client, admin):
    record("reminders", 1)
    record("outbox", 3, "failed", "DeliveryFailed: 1 e-mails not sent")
    record("publish_releases", 2)

    response = client.get(URL, headers=admin)

    assert response.status_code == 200
    body = response.get_json()
    assert [r["job"] for r in body["items"]] == ["outbox", "publish_releases", "reminders"]
    assert body["total"] == 3 and body["next"] is None
    failed = body["items"][0]
    assert failed["outcome"] == "failed" and failed["error"] == "DeliveryFailed: 1 e-mails not sent"
    assert failed["scheduled_for"].startswith("2026-03-04T06:00:00")
    assert (failed["host"], failed["pid"], failed["trigger"]) == ("sched-1", 4242, "scheduled")


def test_runs_are_filtered_by_job_and_outcome(client, admin):
    for day in range(3):
        record("outbox", day, "ok" if day else "failed", None if day else "boom")
    record("reminders", 5, "failed", "boom")

    by_job = client.get(URL, query_string={"job": "outbox"}, headers=admin).get_json()
    both = client.get(URL, query_string={"job": "outbox", "outcome": "failed"},
                      headers=admin).get_json()

    assert [r["job"] for r in by_job["items"]] == ["outbox"] * 3
    assert [(r["job"], r["outcome"]) for r in both["items"]] == [("outbox", "failed")]
    assert both["total"] == 1


def test_runs_come_a_page_at_a_time_with_a_link_to_the_next(client, admin):
    for day in range(5):
        record("outbox", day)

    first = client.get(URL, query_string={"limit": 2}, headers=admin).get_json()
    second = client.get(first["next"], headers=admin).get_json()
    last = client.get(second["next"], headers=admin).get_json()

    days = [r["scheduled_for"][:10] for page in (first, second, last) for r in page["items"]]
    assert days == ["2026-03-05", "2026-03-04", "2026-03-03", "2026-03-02", "2026-03-01"]
    assert first["total"] == 5 and last["next"] is None


@pytest.mark.parametrize("query", [{"outcome": "exploded"}, {"job": "backup"}, {"limit": 0}])
def test_a_bad_filter_is_refused_with_422_naming_it(client, admin, query):
    response = client.get(URL, query_string=query, headers=admin)

    assert response.status_code == 422
    assert set(response.get_json()["errors"]["query"]) == set(query)


def test_the_openapi_document_says_the_job_runs_need_the_admin_scope(client):
    spec = client.get("/api/v1/openapi.json").get_json()

    operation = spec["paths"]["/api/v1/admin/job-runs"]["get"]
    assert operation["security"] == [{"oauth2": ["admin"]}]
    assert {p["name"] for p in operation["parameters"]} >= {"job", "outcome", "limit", "offset"}
