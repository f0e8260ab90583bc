"""Throwaway databases for tests: a SQLite file, or a fresh PostgreSQL database on the server."""

import os
import uuid
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from exchange.db import database_url


def configured_url() -> str | None:
    """TEST_DATABASE_URL names a PostgreSQL server to test on; unset means SQLite."""
    return os.environ.get("TEST_DATABASE_URL") or None


def is_postgres(url: str) -> bool:
    return url.startswith(("postgresql", "postgres"))


def create_database(tmp_dir: Path) -> str:
    """A new empty database on the configured server (or a SQLite file); returns its URL."""
    server = configured_url()
    if not server:
        return f"sqlite:///{tmp_dir / ('test-' + uuid.uuid4().hex[:8] + '.db')}"
    url = make_url(database_url(server))
    name = f"exchange_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(_libpq(url.set(database="postgres")), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    if not is_postgres(url):
        return
    parsed = make_url(url)
    with psycopg.connect(_libpq(parsed.set(database="postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')


def _libpq(url) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)
