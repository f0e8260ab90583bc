"""Settings come from config/default.py and the environment; production refuses unsafe ones."""

import pytest

from exchange import create_app
from exchange.errors import ConfigError


@pytest.fixture(autouse=True)
def _instance_key_in_a_temporary_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("EXCHANGE_SECRET_KEY_FILE", str(tmp_path / "instance" / "secret_key"))


def test_development_defaults_to_sqlite_in_the_instance_folder(monkeypatch):
    for name in ("DATABASE_URL", "EXCHANGE_DATABASE_URL", "EXCHANGE_ENV", "SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    app = create_app()
    assert app.config["DATABASE_URL"].startswith("sqlite:///")
    assert app.config["DATABASE_URL"].endswith("instance/exchange.db")


def test_database_url_and_secret_key_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("EXCHANGE_TOKEN_RATE_LIMIT", "7 per minute")
    app = create_app()
    assert app.config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'x.db'}"
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert app.config["TOKEN_RATE_LIMIT"] == "7 per minute"


def test_production_refuses_to_start_without_a_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("EXCHANGE_ENV", "production")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app()
    assert not (tmp_path / "instance" / "secret_key").exists()  # production never makes one


def test_production_may_use_the_key_file_hub_init_wrote(monkeypatch, tmp_path):
    from exchange import instance_key

    key, _ = instance_key.ensure(tmp_path / "instance" / "secret_key")
    monkeypatch.setenv("EXCHANGE_ENV", "production")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    monkeypatch.delenv("SECRET_KEY", raising=False)

    assert create_app().secret_key == key


def test_production_refuses_to_start_without_a_database_url(monkeypatch):
    monkeypatch.setenv("EXCHANGE_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-real-secret-from-a-vault")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("EXCHANGE_DATABASE_URL", raising=False)
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        create_app()


def test_production_with_a_secret_and_a_database_starts_with_secure_cookies(monkeypatch, tmp_path):
    monkeypatch.setenv("EXCHANGE_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-real-secret-from-a-vault")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_plain_postgresql_urls_use_psycopg_3():
    from exchange.db import database_url

    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("sqlite:///x.db") == "sqlite:///x.db"
