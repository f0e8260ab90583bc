"""`hub clients ...` and `hub users ...`: register, use, revoke; everything audited."""

import json

from sqlalchemy import select

from exchange.cli import cli
from exchange.context import get_uow
from exchange.models import AuditEvent, User


def hub(app, *args, input=None):
    return app.test_cli_runner().invoke(cli, list(args), input=input)


def audit_actions() -> list[tuple[str, str | None]]:
    with get_uow() as uow:
        events = uow.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        return [(e.action, e.partner_slug) for e in events]


def test_clients_create_prints_the_secret_once_as_json_and_it_works(app, client):
    result = hub(app, "clients", "create", "--partner", "rmbc", "--scopes",
                 "returns:write returns:read", "--name", "RMBC ledger", "--json")

    assert result.exit_code == 0, result.output
    created = json.loads(result.output)
    assert set(created) == {"client_id", "client_secret"}
    token = client.post("/oauth/token", data={"grant_type": "client_credentials"},
                        auth=(created["client_id"], created["client_secret"]))
    assert token.get_json()["scope"] == "returns:read returns:write"
    assert ("client.create", "rmbc") in audit_actions()


def test_clients_revoke_stops_the_client_and_its_tokens(app, client):
    created = json.loads(hub(app, "clients", "create", "--partner", "syp", "--scopes",
                             "views:read", "--json").output)
    auth = (created["client_id"], created["client_secret"])
    token = client.post("/oauth/token", data={"grant_type": "client_credentials"},
                        auth=auth).get_json()["access_token"]

    result = hub(app, "clients", "revoke", created["client_id"])

    assert result.exit_code == 0 and "1 live tokens" in result.output
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code \
        == 401
    assert client.post("/oauth/token", data={"grant_type": "client_credentials"},
                       auth=auth).status_code == 401
    assert ("client.revoke", "syp") in audit_actions()


def test_a_client_with_a_redirect_uri_signs_people_in(app):
    result = hub(app, "clients", "create", "--partner", "rmbc", "--scopes", "returns:read",
                 "--redirect-uri", "https://app.example.org/callback", "--public")

    assert result.exit_code == 0, result.output
    assert "authorization_code refresh_token" in result.output
    assert "client_secret" not in result.output


def test_clients_create_refuses_unknown_partners_and_scopes(app):
    no_partner = hub(app, "clients", "create", "--partner", "nobody", "--scopes",
                     "returns:read")
    bad_scope = hub(app, "clients", "create", "--partner", "rmbc", "--scopes", "everything")
    bad_uri = hub(app, "clients", "create", "--partner", "rmbc", "--scopes", "returns:read",
                  "--redirect-uri", "http://app.example.org/cb")

    assert no_partner.exit_code == 1 and "no partner 'nobody'" in no_partner.output
    assert bad_scope.exit_code == 1 and "Unknown scopes: everything" in bad_scope.output
    assert bad_uri.exit_code == 1 and "https" in bad_uri.output


def test_users_create_hashes_the_password_with_argon2_and_records_roles(app):
    result = hub(app, "users", "create", "--partner", "rmbc", "--email", "Head@RMBC.example",
                 "--name", "Head of Procurement", "--approver",
                 input="a long enough password\na long enough password\n")

    assert result.exit_code == 0, result.output
    with get_uow() as uow:
        user = uow.session.scalars(select(User)).one()
        assert user.email == "head@rmbc.example" and user.roles == ["approver"]
        assert user.password_hash.startswith("$argon2id$")
    assert ("user.create", "rmbc") in audit_actions()


def test_users_create_refuses_short_passwords_and_duplicate_emails(app):
    args = ["users", "create", "--partner", "rmbc", "--email", "ann@rmbc.example", "--name",
            "Ann"]
    short = hub(app, *args, "--password", "short")
    first = hub(app, *args, "--password", "a long enough password")
    again = hub(app, *args, "--password", "a long enough password")

    assert short.exit_code == 1 and "at least 12 characters" in short.output
    assert first.exit_code == 0
    assert again.exit_code == 1 and "already a user" in again.output


def test_users_create_refuses_a_look_alike_address_and_creates_nobody(app):
    result = hub(app, "users", "create", "--partner", "rmbc", "--email", "admin@hub.exаmple",
                 "--name", "Mallory", "--password", "a long enough password")

    assert result.exit_code != 0
    assert "look" in result.output
    with get_uow() as uow:
        assert uow.session.scalars(select(User)).all() == []


def test_users_create_stores_the_canonical_address_so_a_fullwidth_twin_is_a_duplicate(app):
    first = hub(app, "users", "create", "--partner", "rmbc", "--email", "Ann@Bücher.example",
                "--name", "Ann", "--password", "a long enough password")
    twin = hub(app, "users", "create", "--partner", "rmbc", "--email", "ａｎｎ@bücher.example",
               "--name", "Ann", "--password", "a long enough password")

    assert first.exit_code == 0, first.output
    assert "ann@xn--bcher-kva.example" in first.output
    assert twin.exit_code != 0 and "already" in twin.output
