"""The migrations build exactly the models, and go down and up again, on SQLite and PostgreSQL."""

import pytest
from sqlalchemy import inspect

from exchange.db import make_engine
from exchange.models import Base
from exchange.services.admin import migrations
from tests import databases


@pytest.fixture
def empty_engine(tmp_path):
    url = databases.create_database(tmp_path)
    engine = make_engine(url)
    yield engine
    engine.dispose()
    databases.drop_database(url)


def test_migrations_produce_exactly_the_models(empty_engine):
    migrations.upgrade(empty_engine)

    assert migrations.differences(empty_engine) == []
    tables = set(inspect(empty_engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_upgrade_then_downgrade_then_upgrade_leaves_the_same_schema(empty_engine):
    migrations.upgrade(empty_engine)
    migrations.downgrade(empty_engine, "base")
    assert set(inspect(empty_engine).get_table_names()) <= {"alembic_version"}

    migrations.upgrade(empty_engine)
    assert migrations.differences(empty_engine) == []
