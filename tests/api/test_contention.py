"""Requests that race each other, sent at once by threads to a live server: each gets its
documented answer (a new version, or the first one's receipt replayed), never a 500."""

import json
import threading
import uuid
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import psycopg
import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

from exchange.context import get_uow
from exchange.models import PartnerReturn
from tests.conftest import requires_postgres

SPEND = ("Payment Date,Amount,Supplier Name,Supplier Postcode\n"
         "01/10/2021,{amount},Rotherham Widgets Ltd,S60 2UD\n"
         "02/10/2021,250.50,Sheffield Steel plc,S1 2HH\n")


@pytest.fixture
def live(app):
    """The test app served by werkzeug in threads, on a free port: its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


def upload(base: str, token: str, data: str, headers=None) -> tuple[int, dict, dict]:
    """POST a spend return for 2021-22-Q3 as multipart: (status, headers, JSON body)."""
    boundary = uuid.uuid4().hex
    parts = [("kind", "spend"), ("period", "2021-22-Q3")]
    body = b"".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                    f"{value}\r\n".encode() for name, value in parts)
    body += (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
             f'filename="spend.csv"\r\nContent-Type: text/csv\r\n\r\n').encode()
    body += data.encode() + f"\r\n--{boundary}--\r\n".encode()
    request = Request(f"{base}/api/v1/returns", data=body, method="POST", headers={  # noqa: S310
        "Authorization": f"Bearer {token}", **(headers or {}),
        "Content-Type": f"multipart/form-data; boundary={boundary}"})
    return _send(request)


def _send(request: Request) -> tuple[int, dict, dict]:
    try:
        with urlopen(request, timeout=120) as response:  # noqa: S310 - our own loopback server
            return response.status, dict(response.headers), json.load(response)
    except HTTPError as err:
        return err.code, dict(err.headers), json.load(err)


def at_once(calls: list) -> list:
    """Run each call in its own thread, released together; their results in order."""
    start, results = threading.Barrier(len(calls)), [None] * len(calls)

    def run(index, call):
        start.wait()
        results[index] = call()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(180)
    return results


def returns_of(kind: str = "spend") -> list[PartnerReturn]:
    with get_uow() as uow:
        return list(uow.session.scalars(select(PartnerReturn).where(PartnerReturn.kind == kind)
                                        .order_by(PartnerReturn.id)))


def test_three_different_files_for_one_return_at_once_become_three_versions(
        live, partner_token):
    token = partner_token("syp", "returns:write")

    answers = at_once([lambda n=n: upload(live, token, SPEND.format(amount=f"{n}00.00"))
                       for n in (1, 2, 3)])

    assert [status for status, _, _ in answers] == [201, 201, 201], answers
    assert sorted(body["version"] for _, _, body in answers) == [1, 2, 3]
    stored = returns_of()
    assert [r.is_current for r in stored].count(True) == 1
    latest = max(stored, key=lambda r: r.version)
    assert latest.is_current and latest.supersedes_id is not None


def test_one_request_repeated_at_once_with_one_key_is_stored_once_and_replayed(
        live, partner_token):
    token = partner_token("syp", "returns:write")
    key = {"Idempotency-Key": "retry-7f3a"}

    answers = at_once([lambda: upload(live, token, SPEND.format(amount="100.00"), key)] * 4)

    statuses = sorted(status for status, _, _ in answers)
    assert statuses == [200, 200, 200, 201], answers
    assert {body["id"] for _, _, body in answers} == {returns_of()[0].id}
    replayed = [headers.get("Idempotent-Replayed") for status, headers, _ in answers
                if status == 200]
    assert replayed == ["true"] * 3
    assert len(returns_of()) == 1


def test_the_same_bytes_sent_at_once_without_a_key_are_stored_once(live, partner_token):
    token = partner_token("syp", "returns:write")

    answers = at_once([lambda: upload(live, token, SPEND.format(amount="100.00"))] * 3)

    assert sorted(status for status, _, _ in answers) == [200, 200, 201], answers
    assert len(returns_of()) == 1


def test_four_partners_first_uploads_at_once_on_a_new_hub_all_succeed(live, partner_token):
    slugs = ["syp", "trft", "rmbc", "scc"]
    tokens = [partner_token(slug, "returns:write") for slug in slugs]

    answers = at_once([lambda t=t: upload(live, t, SPEND.format(amount="100.00"))
                       for t in tokens])

    assert [status for status, _, _ in answers] == [201] * 4, answers
    assert sorted(r.partner_id for r in returns_of()) == sorted(
        {r.partner_id for r in returns_of()})


@requires_postgres
def test_a_request_behind_a_held_lock_is_answered_503_with_retry_after(
        live, partner_token, database_url):
    token = partner_token("syp", "returns:read")
    url = make_url(database_url).set(drivername="postgresql")
    with psycopg.connect(url.render_as_string(hide_password=False)) as other:
        other.execute("LOCK TABLE partner_return IN ACCESS EXCLUSIVE MODE")

        status, headers, body = _send(Request(f"{live}/api/v1/returns",  # noqa: S310
                                              headers={"Authorization": f"Bearer {token}"}))

        other.rollback()
    assert status == 503, body
    assert headers["Retry-After"] == "5"
    assert body["message"] == "The hub is busy: wait a few seconds and try again."
