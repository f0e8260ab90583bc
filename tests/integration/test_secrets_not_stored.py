"""No client secret, access token, refresh token, authorization code or password is ever in the
database or the logs in plain text: every flow runs, then every column of every table is
searched, and so is every log record down to DEBUG."""

import json
import logging

from sqlalchemy import MetaData, select

from exchange.context import get_engine
from tests.api.oauth_flows import (
    PASSWORD,
    REDIRECT_URI,
    bearer,
    exchange_code,
    get_code,
    sign_in,
)


def dump_database() -> str:
    """Every value of every row of every table actually in the database, as text."""
    metadata = MetaData()
    metadata.reflect(bind=get_engine())
    lines = []
    with get_engine().connect() as connection:
        for table in metadata.sorted_tables:
            for row in connection.execute(select(table)):
                lines.append(f"{table.name}: " + " | ".join(map(str, row)))
    return "\n".join(lines)


def run_every_flow(app, make_client, make_user) -> list[str]:
    """Client credentials, auth code with PKCE, refresh, introspection and revocation;
    returns every secret seen on the way."""
    http = app.test_client()
    machine_id, machine_secret = make_client("rmbc", "returns:write returns:read")
    app_id, app_secret = make_client("rmbc", "returns:read", redirect_uris=[REDIRECT_URI])
    make_user("rmbc", "ann@rmbc.example", PASSWORD, roles=("approver",))
    secrets = [machine_secret, app_secret, PASSWORD]

    machine = http.post("/oauth/token", data={"grant_type": "client_credentials"},
                        auth=(machine_id, machine_secret)).get_json()
    secrets.append(machine["access_token"])
    assert http.get("/api/v1/me", headers=bearer(machine["access_token"])).status_code == 200

    code, verifier = get_code(http, app_id, "ann@rmbc.example")
    person = exchange_code(http, app_id, app_secret, code, verifier).get_json()
    renewed = http.post("/oauth/token", data={"grant_type": "refresh_token",
                                              "refresh_token": person["refresh_token"]},
                        auth=(app_id, app_secret)).get_json()
    secrets += [code, verifier, person["access_token"], person["refresh_token"],
                renewed["access_token"], renewed["refresh_token"]]

    assert http.post("/oauth/introspect", data={"token": renewed["access_token"]},
                     auth=(app_id, app_secret)).get_json()["active"] is True
    http.post("/oauth/revoke", data={"token": machine["access_token"]},
              auth=(machine_id, machine_secret))
    http.post("/oauth/revoke", data={"token": renewed["refresh_token"]},
              auth=(app_id, app_secret))
    sign_in(app.test_client(), "ann@rmbc.example", "a wrong password for the logs")
    secrets.append("a wrong password for the logs")
    return secrets


def test_no_secret_or_token_is_stored_in_plain_text(app, make_client, make_user):
    secrets = run_every_flow(app, make_client, make_user)

    dump = dump_database()

    assert "oauth_token" in dump and "oauth_client" in dump and "hub_user" in dump
    for secret in secrets:
        assert secret not in dump
        assert json.dumps(secret)[1:-1] not in dump


def test_no_secret_or_token_is_logged_even_at_debug(app, make_client, make_user, caplog):
    caplog.set_level(logging.DEBUG)
    for name in ("authlib", "exchange", "flask-limiter", "sqlalchemy.engine", "werkzeug"):
        caplog.set_level(logging.DEBUG, logger=name)

    secrets = run_every_flow(app, make_client, make_user)

    logged = caplog.text + "\n".join(repr(record.args) for record in caplog.records)
    assert "Issue token" in logged  # Authlib's DEBUG records were captured
    assert "INSERT INTO oauth_token" in logged  # and the SQL with its parameters
    for secret in secrets:
        assert secret not in logged
