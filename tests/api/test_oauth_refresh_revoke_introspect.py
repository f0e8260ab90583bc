"""Refresh tokens rotate; revocation (RFC 7009) and introspection (RFC 7662) over HTTP."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from exchange.context import get_uow
from exchange.models import AuditEvent, OAuthToken, User
from exchange.models.base import utcnow
from tests.api.oauth_flows import bearer, user_tokens


def refresh(client, client_id, secret, refresh_token, **data):
    return client.post("/oauth/token", data={"grant_type": "refresh_token",
                                             "refresh_token": refresh_token, **data},
                       auth=(client_id, secret))


def introspect(client, client_id, secret, token, **data):
    return client.post("/oauth/introspect", data={"token": token, **data},
                       auth=(client_id, secret)).get_json()


def revoke(client, client_id, secret, token, **data):
    return client.post("/oauth/revoke", data={"token": token, **data}, auth=(client_id, secret))


def expire_every_token() -> None:
    with get_uow() as uow:
        uow.session.execute(update(OAuthToken).values(expires_at=utcnow() - timedelta(seconds=1)))
        uow.commit()


def test_refreshing_rotates_the_refresh_token_and_the_old_one_stops_working(
        app, client, make_client, make_user):
    client_id, secret, first = user_tokens(app, make_client, make_user)

    second = refresh(client, client_id, secret, first["refresh_token"])

    assert second.status_code == 200
    body = second.get_json()
    assert body["refresh_token"] != first["refresh_token"]
    assert body["access_token"] != first["access_token"]
    assert body["scope"] == first["scope"]
    me = client.get("/api/v1/me", headers=bearer(body["access_token"])).get_json()
    assert me["user"] == "ann@rmbc.example"
    old = refresh(client, client_id, secret, first["refresh_token"])
    assert old.status_code == 400 and old.get_json()["error"] == "invalid_grant"


def test_reusing_a_rotated_refresh_token_revokes_every_token_of_the_grant(
        app, client, make_client, make_user):
    client_id, secret, first = user_tokens(app, make_client, make_user)
    second = refresh(client, client_id, secret, first["refresh_token"]).get_json()

    refresh(client, client_id, secret, first["refresh_token"])  # the thief, or the victim

    assert client.get("/api/v1/me", headers=bearer(second["access_token"])).status_code == 401
    assert refresh(client, client_id, secret, second["refresh_token"]).status_code == 400


def test_a_refresh_may_narrow_the_scope_but_never_widen_it(app, client, make_client, make_user):
    client_id, secret, first = user_tokens(app, make_client, make_user)

    narrower = refresh(client, client_id, secret, first["refresh_token"], scope="returns:read")
    wider = refresh(client, client_id, secret, narrower.get_json()["refresh_token"],
                    scope="returns:read admin")

    assert narrower.get_json()["scope"] == "returns:read"
    assert wider.get_json()["error"] == "invalid_scope"


def test_a_refresh_token_is_useless_to_another_client(app, client, make_client, make_user):
    _, _, first = user_tokens(app, make_client, make_user)
    thief_id, thief_secret = make_client("syp", "returns:read",
                                         redirect_uris=["https://app.example.org/callback"])

    response = refresh(client, thief_id, thief_secret, first["refresh_token"])

    assert response.get_json()["error"] == "invalid_grant"


def test_a_revoked_access_token_gets_401(client, make_client):
    client_id, secret = make_client("rmbc", "returns:read")
    token = client.post("/oauth/token", data={"grant_type": "client_credentials"},
                        auth=(client_id, secret)).get_json()["access_token"]
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200

    response = revoke(client, client_id, secret, token, token_type_hint="access_token")

    assert response.status_code == 200
    denied = client.get("/api/v1/me", headers=bearer(token))
    assert denied.status_code == 401
    assert denied.get_json()["error"] == "invalid_token"
    with get_uow() as uow:
        event = uow.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "token.revoke")).one()
        assert event.actor == f"client:{client_id}" and event.partner_slug == "rmbc"


def test_revoking_a_refresh_token_ends_the_grant(app, client, make_client, make_user):
    client_id, secret, first = user_tokens(app, make_client, make_user)

    revoke(client, client_id, secret, first["refresh_token"])

    assert client.get("/api/v1/me", headers=bearer(first["access_token"])).status_code == 401
    assert refresh(client, client_id, secret, first["refresh_token"]).status_code == 400


def test_revoking_an_unknown_token_is_not_an_error(client, make_client):
    client_id, secret = make_client("rmbc", "returns:read")

    assert revoke(client, client_id, secret, "no-such-token").status_code == 200


def test_a_client_cannot_revoke_another_partners_token(client, make_client, partner_token):
    token = partner_token("rmbc", "returns:read")
    other_id, other_secret = make_client("syp", "returns:read admin")

    response = revoke(client, other_id, other_secret, token)

    assert response.status_code == 400 and response.get_json()["error"] == "invalid_grant"
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200


def test_revocation_needs_the_clients_secret(client, make_client, partner_token):
    token = partner_token("rmbc", "returns:read")
    client_id, _ = make_client("rmbc", "returns:read")

    response = revoke(client, client_id, "wrong", token)

    assert response.status_code == 401 and response.get_json()["error"] == "invalid_client"


def test_introspection_describes_a_live_token(app, client, make_client, make_user):
    client_id, secret, tokens = user_tokens(app, make_client, make_user)

    body = introspect(client, client_id, secret, tokens["access_token"])
    as_refresh = introspect(client, client_id, secret, tokens["refresh_token"],
                            token_type_hint="refresh_token")

    assert body["active"] is True
    assert body["client_id"] == client_id and body["partner"] == "rmbc"
    assert body["scope"] == "returns:read returns:write"
    assert body["username"] == "ann@rmbc.example" and body["token_type"] == "Bearer"
    assert body["exp"] - body["iat"] <= 3600
    assert as_refresh["active"] is True and "token_type" not in as_refresh


@pytest.mark.parametrize("state", ["revoked", "expired", "unknown"])
def test_introspection_says_inactive_for_revoked_expired_and_unknown_tokens(
        client, make_client, state):
    client_id, secret = make_client("rmbc", "returns:read")
    token = client.post("/oauth/token", data={"grant_type": "client_credentials"},
                        auth=(client_id, secret)).get_json()["access_token"]
    if state == "revoked":
        revoke(client, client_id, secret, token)
    elif state == "expired":
        expire_every_token()
    else:
        token = "never-issued"

    assert introspect(client, client_id, secret, token) == {"active": False}
    if state != "unknown":
        assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401


def test_introspection_hides_other_partners_tokens_unless_the_client_has_admin(
        client, make_client, partner_token):
    token = partner_token("rmbc", "returns:read")
    same_id, same_secret = make_client("rmbc", "views:read")
    other_id, other_secret = make_client("syp", "views:read")
    admin_id, admin_secret = make_client("symca", "admin")

    assert introspect(client, same_id, same_secret, token)["active"] is True
    assert introspect(client, other_id, other_secret, token) == {"active": False}
    assert introspect(client, admin_id, admin_secret, token)["partner"] == "rmbc"


def test_introspection_needs_a_confidential_clients_credentials(
        client, make_client, partner_token):
    token = partner_token("rmbc", "returns:read")
    public_id, _ = make_client("rmbc", "returns:read",
                               redirect_uris=["https://app.example.org/cb"], public=True)

    anonymous = client.post("/oauth/introspect", data={"token": token})
    public = client.post("/oauth/introspect", data={"token": token, "client_id": public_id})

    assert anonymous.status_code == 401 and anonymous.get_json()["error"] == "invalid_client"
    assert public.status_code in (400, 401) and public.get_json()["error"] == "invalid_client"


def test_disabling_a_person_ends_their_tokens_and_refreshes(app, client, make_client, make_user):
    client_id, secret, tokens = user_tokens(app, make_client, make_user)
    with get_uow() as uow:
        uow.session.execute(update(User).values(disabled=True))
        uow.commit()

    assert client.get("/api/v1/me", headers=bearer(tokens["access_token"])).status_code == 401
    assert refresh(client, client_id, secret, tokens["refresh_token"]).status_code == 400
    assert introspect(client, client_id, secret, tokens["access_token"]) == {"active": False}
