"""No hub signs with a key anybody else knows: without SECRET_KEY, each instance makes its own
random key (written once, readable by its owner only) and every mode signs with it."""

import os
import stat

import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface

from exchange import create_app
from tests.api.oauth_flows import PASSWORD

OLD_DEVELOPMENT_CONSTANT = "dev-only-insecure-secret"  # noqa: S105 (the key being retired)


@pytest.fixture
def like_make_run(monkeypatch, tmp_path, database_url):
    """The environment of `make run` / `hub run`: no SECRET_KEY, no EXCHANGE_ENV."""
    for name in ("SECRET_KEY", "EXCHANGE_SECRET_KEY", "EXCHANGE_ENV"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("EXCHANGE_BLOB_DIR", str(tmp_path / "blobs"))
    monkeypatch.setenv("EXCHANGE_SECRET_KEY_FILE", str(tmp_path / "instance" / "secret_key"))
    return tmp_path / "instance" / "secret_key"


def signed_with(key: str, data: dict) -> str:
    """A session cookie value as Flask would sign it with ``key``."""
    other = Flask("forger")
    other.secret_key = key
    return SecureCookieSessionInterface().get_signing_serializer(other).dumps(data)


def test_a_hub_without_a_secret_key_signs_with_a_random_key_kept_in_its_instance(like_make_run):
    app = create_app()

    key_file = like_make_run
    assert app.secret_key == key_file.read_text().strip()
    assert len(app.secret_key) >= 64 and app.secret_key != OLD_DEVELOPMENT_CONSTANT
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert create_app().secret_key == app.secret_key  # every start (and worker) uses the same


def test_two_instances_get_different_keys(like_make_run, monkeypatch, tmp_path):
    first = create_app().secret_key
    monkeypatch.setenv("EXCHANGE_SECRET_KEY_FILE", str(tmp_path / "elsewhere" / "secret_key"))

    assert create_app().secret_key != first


def test_a_cookie_signed_with_the_old_development_constant_is_refused(like_make_run, app,
                                                                      make_user):
    admin_id = make_user("rmbc", "admin@rmbc.example", PASSWORD, roles=("admin",))
    hub = create_app()
    browser = hub.test_client()
    browser.set_cookie(hub.config["SESSION_COOKIE_NAME"],
                       signed_with(OLD_DEVELOPMENT_CONSTANT, {"user_id": admin_id}))

    response = browser.get("/admin/users")

    assert response.status_code == 302 and "/login" in response.headers["Location"]
