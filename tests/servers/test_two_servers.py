"""Two `hub serve` instances (gunicorn subprocesses) on two ports over one database — and, when
there is one, one Redis — serve one hub: a whole return walked across both. On PostgreSQL the
bytes live in the database (its default blob store); on SQLite the two share one database file
and one blob directory."""

import base64
import hashlib
import html
import json
import os
import re
import secrets
import socket

import pytest

from exchange.blobs import open_store
from exchange.context import get_engine
from tests.api.oauth_flows import PASSWORD, csrf_from
from tests.databases import is_postgres
from tests.servers.hubs import Client, ServedHub, serve_env

REDIS = ("127.0.0.1", 6379)
PERIOD = "2021-22-Q3"


def redis_is_up() -> bool:
    try:
        socket.create_connection(REDIS, timeout=1).close()
        return True
    except OSError:
        return os.environ.get("EXCHANGE_REQUIRE_REDIS") == "1"  # then its absence fails


def spend_file(lines: int) -> bytes:
    """A spend CSV past one 1 MiB chunk of the database blob store."""
    rows = "".join(f"{1 + n % 28:02d}/10/2021,{100 + n % 900}.{n % 100:02d},"
                   f"Supplier {n % 997} of Rotherham Ltd,S60 2UD,INV-{n:07d}\n"
                   for n in range(lines))
    return ("Payment Date,Amount,Supplier Name,Supplier Postcode,Transaction Number\n"
            + rows).encode()


@pytest.fixture(scope="module")
def two_hubs(_prepared_app, database_url, tmp_path_factory):
    """Two served hubs on one database (and one Redis when up), for this module's tests."""
    tmp_path = tmp_path_factory.mktemp("two-hubs")
    settings = {"DATABASE_URL": database_url, "SECRET_KEY": secrets.token_hex(32),
                "EXCHANGE_BLOB_DIR": str(tmp_path / "blobs"), "EXCHANGE_LOG_LEVEL": "WARNING",
                "EXCHANGE_TOKEN_RATE_LIMIT": "3 per minute"}
    if redis_is_up():
        settings |= {"RATELIMIT_STORAGE_URI": f"redis://{REDIS[0]}:{REDIS[1]}",
                     # counters of this test only: other runs share the Redis server
                     "EXCHANGE_RATELIMIT_KEY_PREFIX": f"two-hubs-{secrets.token_hex(8)}"}
    hubs = [ServedHub(serve_env(**settings), tmp_path / f"hub-{n}.log") for n in (1, 2)]
    for hub in hubs:
        hub.blob_dir = tmp_path / "blobs"
    try:
        for hub in hubs:
            hub.wait_ready()
        yield hubs
    finally:
        for hub in hubs:
            hub.stop()


def token(client: Client, client_id: str, secret: str, scope: str) -> str:
    status, _, body = client.form("/oauth/token", {"grant_type": "client_credentials",
                                                   "scope": scope},
                                  {"Authorization": basic(client_id, secret)})
    assert status == 200, body
    return json.loads(body)["access_token"]


def basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def test_a_return_is_walked_across_two_servers_sharing_one_database(two_hubs, make_client,
                                                                     make_user, database_url):
    one, two = (Client(hub.url) for hub in two_hubs)
    client_id, secret = make_client("rmbc", scopes := "returns:write returns:read views:read")
    make_user("rmbc", "approver@rmbc.example", PASSWORD, roles=("approver",))
    bearer = {"Authorization": f"Bearer {token(one, client_id, secret, scopes)}"}
    data = spend_file(16_000)
    assert len(data) > 1024 * 1024

    # Uploaded on the first server…
    status, _, body = one.upload("/api/v1/returns", {"kind": "spend", "period": PERIOD},
                                 "payments.csv", data, bearer)
    assert status == 201, body[:2000]
    return_id = int(re.search(rb'"id":\s*(\d+)', body).group(1))

    # …its exact bytes downloaded from the second, with the same token.
    status, headers, served = two.get(f"/api/v1/returns/{return_id}/file", bearer)
    assert status == 200
    assert hashlib.sha256(served).hexdigest() == hashlib.sha256(data).hexdigest()
    assert int(headers["Content-Length"]) == len(data)
    # the store both servers chose by default, by database
    kept_in = open_store({"BLOB_DIR": str(two_hubs[0].blob_dir)}, get_engine())
    assert kept_in.kind == ("database" if is_postgres(database_url) else "directory")
    assert kept_in.exists(hashlib.sha256(data).hexdigest())

    # The partnership view on the first says RMBC's return awaits approval…
    status, before = one.json(f"/api/v1/views/partnership/rotherham?from={PERIOD}&to={PERIOD}",
                              bearer)
    assert status == 200, before
    assert [c["awaiting_approval"] for c in before["completeness"]] == [["rmbc"]]

    # …an approver signs in on the second and approves on the first (one session, two servers)…
    person = Client(two.base)
    page = person.get("/login")[2].decode()
    status, _, _ = person.form("/login", {"email": "approver@rmbc.example",
                                          "password": PASSWORD, "csrf_token": csrf_from(page)})
    assert status == 200  # redirected to the home page, signed in
    same_person_on_one = Client(one.base, person.cookies)
    status, _, confirm = same_person_on_one.get(f"/approvals/{return_id}")
    assert status == 200, confirm[:2000]
    status, _, answer = same_person_on_one.form("/approvals", {
        "return_id": str(return_id), "confirm": "yes",
        "csrf_token": csrf_from(html.unescape(confirm.decode()))})
    assert status == 200, answer[:2000]

    # …and the view read on the second counts it, approved.
    status, after = two.json(f"/api/v1/views/partnership/rotherham?from={PERIOD}&to={PERIOD}",
                             bearer)
    assert status == 200
    assert [c["awaiting_approval"] for c in after["completeness"]] == [[]]
    assert "rmbc" in after["completeness"][0]["counted"]


@pytest.mark.skipif(not redis_is_up(), reason="needs Redis on 127.0.0.1:6379 (.ci/run starts it)")
def test_the_token_endpoints_rate_limit_is_shared_by_both_servers(two_hubs, make_client):
    one, two = (Client(hub.url) for hub in two_hubs)
    client_id, _ = make_client("rmbc", "returns:read")

    def wrong_secret(server: Client) -> int:
        return server.form("/oauth/token", {"grant_type": "client_credentials"},
                           {"Authorization": basic(client_id, "not-the-secret")})[0]

    assert [wrong_secret(one), wrong_secret(two), wrong_secret(one)] == [401, 401, 401]
    assert wrong_secret(two) == 429  # the second server counted the first one's failures
