"""Rate limits count failed authentications per (client or person, address): a stranger's wrong
guesses never lock a partner out, successes are never counted, a forwarded address is believed
only from configured proxies, and counters in Redis are shared by every worker."""

import json
import os
import secrets
import socket
import subprocess
import sys

import pytest

from config.default import ROOT
from exchange import create_app
from tests.api.oauth_flows import PASSWORD, sign_in

ATTACKER = {"REMOTE_ADDR": "192.0.2.66"}
VICTIM = {"REMOTE_ADDR": "198.51.100.7"}
PROXY = {"REMOTE_ADDR": "10.0.0.2"}
REDIS = ("127.0.0.1", 6379)


def token_request(client, client_id, secret, environ=ATTACKER, **headers):
    return client.post("/oauth/token", data={"grant_type": "client_credentials"},
                       auth=(client_id, secret), environ_base=environ, headers=headers)


@pytest.fixture
def three_a_minute(app, monkeypatch):
    monkeypatch.setitem(app.config, "TOKEN_RATE_LIMIT", "3 per minute")
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "3 per minute")


def test_wrong_secrets_for_a_victims_client_id_do_not_lock_the_victim_out(
        client, make_client, three_a_minute):
    victim_id, victim_secret = make_client("rmbc", "returns:read")

    guesses = [token_request(client, victim_id, "guess").status_code for _ in range(4)]
    victim = token_request(client, victim_id, victim_secret, environ=VICTIM)

    assert guesses == [401, 401, 401, 429]
    assert victim.status_code == 200


def test_successful_token_requests_are_never_counted(client, make_client, three_a_minute):
    client_id, secret = make_client("rmbc", "returns:read")

    statuses = [token_request(client, client_id, secret).status_code for _ in range(6)]

    assert statuses == [200] * 6


@pytest.mark.parametrize("endpoint", ["/oauth/introspect", "/oauth/revoke"])
def test_introspection_and_revocation_have_the_token_endpoints_limit(
        client, make_client, three_a_minute, endpoint):
    client_id, _ = make_client("rmbc", "returns:read")

    statuses = [client.post(endpoint, data={"token": "x"}, auth=(client_id, "guess"),
                            environ_base=ATTACKER).status_code for _ in range(4)]

    assert statuses == [401, 401, 401, 429]


def test_a_forwarded_address_is_not_believed_without_a_configured_proxy(
        client, make_client, three_a_minute):
    client_id, _ = make_client("rmbc", "returns:read")

    statuses = [token_request(client, client_id, "guess", **{
        "X-Forwarded-For": f"203.0.113.{n}"}).status_code for n in range(4)]

    assert statuses == [401, 401, 401, 429]


@pytest.fixture
def hub_behind_one_proxy(app):
    """A second app on the same database, told that one proxy stands in front of it."""
    config = type("Config", (), {
        "TESTING": True, "DATABASE_URL": app.config["DATABASE_URL"],
        "BLOB_DIR": app.config["BLOB_DIR"], "SECRET_KEY": app.config["SECRET_KEY"],
        "TRUSTED_PROXY_HOPS": 1, "TOKEN_RATE_LIMIT": "3 per minute"})
    hub = create_app(config)
    yield hub
    hub.extensions["exchange"]["engine"].dispose()


def test_behind_a_configured_proxy_each_forwarded_client_is_counted_on_its_own(
        hub_behind_one_proxy, make_client):
    victim_id, victim_secret = make_client("rmbc", "returns:read")
    browser = hub_behind_one_proxy.test_client()

    guesses = [token_request(browser, victim_id, "guess", PROXY,
                             **{"X-Forwarded-For": "203.0.113.9"}).status_code
               for _ in range(4)]
    victim = token_request(browser, victim_id, victim_secret, PROXY,
                           **{"X-Forwarded-For": "198.51.100.4"})

    assert guesses == [401, 401, 401, 429]
    assert victim.status_code == 200


def test_wrong_passwords_from_one_address_do_not_lock_the_person_out_elsewhere(
        app, make_user, three_a_minute):
    make_user("rmbc", "ann@rmbc.example", PASSWORD)
    attacker, ann = app.test_client(), app.test_client()
    attacker.environ_base.update(ATTACKER)
    ann.environ_base.update(VICTIM)

    guesses = [sign_in(attacker, "ann@rmbc.example", "a guess").status_code for _ in range(4)]

    assert guesses == [400, 400, 400, 429]
    assert sign_in(ann, "ann@rmbc.example").status_code == 302


def test_successful_sign_ins_are_never_counted(app, make_user, three_a_minute):
    make_user("rmbc", "ann@rmbc.example", PASSWORD)

    statuses = [sign_in(app.test_client(), "ann@rmbc.example").status_code for _ in range(5)]

    assert statuses == [302] * 5


def _redis_is_up() -> bool:
    try:
        socket.create_connection(REDIS, timeout=1).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_is_up() and os.environ.get("EXCHANGE_REQUIRE_REDIS") != "1",
                    reason="needs Redis on 127.0.0.1:6379 (.ci/run starts it)")
def test_counters_in_redis_are_shared_by_every_worker(app, make_client, database_url):
    client_id, _ = make_client("rmbc", "returns:read")
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "worker-test-key",
           "EXCHANGE_RATELIMIT_STORAGE_URI": f"redis://{REDIS[0]}:{REDIS[1]}",
           # Counters of this test only: other runs share the Redis server.
           "EXCHANGE_RATELIMIT_KEY_PREFIX": f"anchor-test-{secrets.token_hex(8)}",
           "EXCHANGE_TOKEN_RATE_LIMIT": "3 per minute"}

    def worker(tries: int) -> list[int]:
        done = subprocess.run([sys.executable, "-m", "tests.api.limiter_worker", "--client-id",
                               client_id, "--tries", str(tries)], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120, check=True)
        return json.loads(done.stdout.strip().splitlines()[-1])

    assert worker(2) == [401, 401]
    assert worker(2) == [401, 429]  # the second worker saw the first one's failures
