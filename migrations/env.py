"""Alembic environment: the URL comes from the caller's connection or the app's settings."""

from alembic import context
from sqlalchemy import engine_from_config, pool

from exchange.db import database_url
from exchange.models import Base

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    from config.default import DATABASE_URL

    return database_url(config.get_main_option("sqlalchemy.url") or DATABASE_URL)


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True,
                      render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = engine_from_config({"sqlalchemy.url": _url()}, prefix="sqlalchemy.",
                                poolclass=pool.NullPool)
    with engine.connect() as connection:
        _run(connection)


def _run(connection) -> None:
    # Batch mode lets ALTERs work on SQLite as on PostgreSQL.
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=True, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
