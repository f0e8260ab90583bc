"""The migrations build exactly the models, and go down and up again, on SQLite and PostgreSQL."""

import io

import pytest
from sqlalchemy import inspect, text

from exchange.blobs import DatabaseBlobStore
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


def test_going_down_past_compressed_blob_chunks_leaves_each_chunk_as_the_bytes_sent(
        empty_engine):
    migrations.upgrade(empty_engine)
    data = b"Payment Date,Supplier,Amount\r\n" + b"01/10/2021,Acme Ltd,10.00\r\n" * 5000
    sha, _ = DatabaseBlobStore(empty_engine, chunk_size=50_000).save(io.BytesIO(data))

    migrations.downgrade(empty_engine, "0029")

    with empty_engine.connect() as conn:
        chunks = conn.execute(text("SELECT c.data FROM blob_chunk c JOIN blob b "
                                   "ON b.id = c.blob_id WHERE b.sha256 = :sha ORDER BY c.seq"),
                              {"sha": sha}).scalars().all()
    assert b"".join(chunks) == data and len(chunks) == 3
