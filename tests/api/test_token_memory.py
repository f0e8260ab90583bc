"""Bearer tokens are remembered for two seconds in the process that validated them, but a
revocation made in the same process counts on the very next request."""

from sqlalchemy import update

from exchange.context import get_engine, get_uow
from exchange.models.oauth import OAuthToken
from exchange.oauth import token_cache
from exchange.services.admin import accounts


def me(client, token: str) -> int:
    return client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code


def client_credentials(app, make_client, scopes: str = "views:read") -> tuple[str, str]:
    client_id, secret = make_client("rmbc", scopes)
    response = app.test_client().post("/oauth/token", data={
        "grant_type": "client_credentials", "scope": scopes}, auth=(client_id, secret))
    return client_id, response.get_json()["access_token"]


def test_a_token_revoked_at_the_revocation_endpoint_stops_working_at_once(app, client,
                                                                          make_client):
    client_id, secret = make_client("rmbc", "views:read")
    token = client.post("/oauth/token", data={"grant_type": "client_credentials"},
                        auth=(client_id, secret)).get_json()["access_token"]
    assert me(client, token) == 200 and me(client, token) == 200

    revoked = client.post("/oauth/revoke", data={"token": token}, auth=(client_id, secret))

    assert revoked.status_code == 200
    assert me(client, token) == 401


def test_revoking_the_client_stops_its_remembered_token_at_once(app, client, make_client):
    client_id, token = client_credentials(app, make_client)
    assert me(client, token) == 200

    accounts.revoke_client(get_uow(), client_id, actor="test")

    assert me(client, token) == 401


def test_a_token_revoked_by_a_plain_sql_update_stops_working_at_once(app, client, make_client):
    _, token = client_credentials(app, make_client)
    assert me(client, token) == 200

    with get_engine().begin() as connection:
        connection.execute(update(OAuthToken).values(revoked_at=OAuthToken.issued_at))

    assert me(client, token) == 401


def test_a_remembered_token_is_read_again_after_the_memory_expires(app, client, make_client):
    _, token = client_credentials(app, make_client)
    cache = token_cache.cache_for(get_engine())
    assert me(client, token) == 200
    remembered = dict(cache._entries)
    assert len(remembered) == 1 and token not in remembered  # kept by hash, not the token

    key = next(iter(remembered))
    cache._entries[key] = (0.0, remembered[key][1])  # as if two seconds had passed

    assert cache.get(key) is None
    assert me(client, token) == 200 and cache.get(key) is not None
