"""Operations: every log line is JSON carrying its request's id, a 500's incident id is that
id, and Prometheus reads the hub's figures at /metrics with an admin token."""

import io
import json
import logging

import pytest

from exchange import logs
from exchange.context import get_uow
from exchange.models import JobRun, OutboxMessage
from exchange.models.base import utcnow
from tests.api.returns_support import SPEND, bearer, post_return
from tests.api.test_errors import crashing_app  # noqa: F401 - the fixture


@pytest.fixture
def log_lines():
    """The JSON lines the hub's formatter writes while the test runs."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


def test_a_500_gives_its_request_id_as_incident_and_logs_it_as_json_without_a_traceback(
        crashing_app, log_lines):  # noqa: F811
    response = crashing_app.test_client().get("/api/v1/crash")

    request_id = response.headers["X-Request-Id"]
    assert response.get_json()["message"].endswith(f"(incident {request_id})")
    [line] = [line for line in log_lines() if line["level"] == "ERROR"]
    assert line["request_id"] == request_id
    assert line["message"] == f"unhandled error {request_id} on GET /api/v1/crash"
    assert line["error"] == "RuntimeError: secret internals: password=***"
    assert "Traceback" not in json.dumps(line)


def test_a_plain_request_id_from_a_proxy_is_kept_and_anything_else_replaced(client):
    kept = client.get("/healthz", headers={"X-Request-Id": "edge-7f3a9c21"})
    replaced = client.get("/healthz", headers={"X-Request-Id": "<script>bad id</script>"})

    assert kept.headers["X-Request-Id"] == "edge-7f3a9c21"
    assert len(replaced.headers["X-Request-Id"]) == 32
    assert replaced.headers["X-Request-Id"].isalnum()


def test_secrets_in_query_strings_never_reach_a_log_line(log_lines):
    logging.getLogger("werkzeug").info(
        '127.0.0.1 "POST /oauth/token?client_id=abc&client_secret=s3cr3t&code=xyz HTTP/1.1" 400')

    [line] = log_lines()
    assert "s3cr3t" not in line["message"] and "xyz" not in line["message"]
    assert "client_secret=***" in line["message"] and "client_id=abc" in line["message"]


def test_metrics_need_the_admin_scope(client, partner_token):
    assert client.get("/metrics").status_code == 401
    partner = partner_token("rmbc", "returns:read")
    assert client.get("/metrics", headers=bearer(partner)).status_code == 403


def test_metrics_count_requests_by_route_ingested_lines_job_runs_and_the_outbox(
        client, partner_token):
    admin = bearer(partner_token("symca", "admin"))
    before = _scrape(client, admin)
    writer = partner_token("syp", "returns:write")
    assert post_return(client, writer, SPEND).status_code == 201
    client.get("/api/v1/returns/999999", headers=bearer(partner_token("syp", "returns:read")))
    with get_uow() as uow:
        now = utcnow()
        uow.session.add(JobRun(job_id="outbox", scheduled_for=now, started_at=now,
                               finished_at=now, outcome="ok", host="h", pid=1))
        uow.session.add(OutboxMessage(recipients=["ann@rmbc.example"], subject="s", body="b",
                                      dedupe_key="k"))
        uow.commit()

    after = _scrape(client, admin)

    def grew(name):
        return after.get(name, 0) - before.get(name, 0)

    assert grew('exchange_ingest_lines_total{kind="spend"}') == 6
    assert grew('exchange_ingest_returns_total{kind="spend",status="accepted"}') == 1
    assert grew('exchange_http_requests_total{method="POST",route="/api/v1/returns",'
                'status="201"}') == 1
    # Ids do not multiply the series: the route is the URL rule.
    assert grew('exchange_http_requests_total{method="GET",'
                'route="/api/v1/returns/<int:return_id>",status="404"}') == 1
    assert after['exchange_job_runs{job="outbox",outcome="ok"}'] == 1
    assert after["exchange_outbox_queued"] == 1


def _scrape(client, headers) -> dict[str, float]:
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 200
    assert response.content_type.startswith("text/plain")
    figures = {}
    for line in response.get_data(as_text=True).splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            figures[name] = float(value)
    return figures

