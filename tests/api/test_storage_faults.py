"""When the store of submitted bytes fails, the sender gets a clear JSON answer (503 or 507),
nothing is recorded and no temporary file is left; /readyz says the server is not ready."""

import subprocess

import pytest

from tests.api.returns_support import SPEND, post_return, sha256, table_counts
from tests.conftest import requires_postgres


@pytest.fixture
def blob_dir(app, monkeypatch, tmp_path):
    """Point the app's directory blob store somewhere the test chooses; returns a setter."""

    def point(path):
        monkeypatch.setitem(app.config, "BLOB_STORE", "directory")
        monkeypatch.setitem(app.config, "BLOB_DIR", str(path))
        return path

    return point


@pytest.fixture
def full_disk(tmp_path):
    """A 64 KiB file system, mounted for the test (root only; skipped where mounting is not
    allowed)."""
    mount_point = tmp_path / "full"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs",
                              str(mount_point)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {mounted.stderr.decode()[:200]}")
    yield mount_point
    subprocess.run(["umount", str(mount_point)], check=True)


def leftovers(root) -> list[str]:
    return sorted(p.name for p in root.rglob(".incoming-*")) if root.exists() else []


def test_an_unwritable_blob_store_answers_503_with_retry_after_and_records_nothing(
        client, partner_token, blob_dir, tmp_path):
    not_a_directory = tmp_path / "a-file"
    not_a_directory.write_text("in the way")
    blob_dir(not_a_directory / "blobs")
    token = partner_token("syp", "returns:write")
    before = table_counts()

    response = post_return(client, token, SPEND)

    assert response.status_code == 503, response.get_json()
    assert response.headers["Retry-After"] == "60"
    body = response.get_json()
    assert body["error"] == "storage_unavailable"
    assert body["message"].startswith("The hub cannot keep files just now, so nothing was stored.")
    assert table_counts() == before


def test_a_failed_final_move_leaves_no_temporary_file(client, partner_token, blob_dir,
                                                      tmp_path):
    root = blob_dir(tmp_path / "blobs")
    root.mkdir()
    (root / sha256(SPEND)[:2]).write_text("a file where the folder should be")
    token = partner_token("syp", "returns:write")

    response = post_return(client, token, SPEND)

    assert response.status_code == 503, response.get_json()
    assert leftovers(root) == []


def test_a_full_blob_store_answers_507_and_leaves_no_temporary_file(
        client, partner_token, blob_dir, full_disk):
    blob_dir(full_disk)
    token = partner_token("syp", "returns:write")
    big = SPEND + "".join(f"07/10/2021,{n}.00,Supplier {n} Ltd,S60 2UD\n" for n in range(4000))
    before = table_counts()

    response = post_return(client, token, big)

    assert response.status_code == 507, response.get_json()
    assert response.get_json()["error"] == "insufficient_storage"
    assert leftovers(full_disk) == []
    assert table_counts() == before


def test_readyz_is_ready_when_the_database_and_blob_store_work(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ready", "checks": {"database": "ok",
                                                                 "blobs": "ok"}}


def test_readyz_is_not_ready_when_the_blob_store_cannot_be_written(client, blob_dir, tmp_path):
    in_the_way = tmp_path / "a-file"
    in_the_way.write_text("in the way")
    blob_dir(in_the_way / "blobs")

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.get_json() == {"status": "not_ready", "checks": {"database": "ok",
                                                                     "blobs": "unavailable"}}
    assert client.get("/healthz").status_code == 200


# The database blob store (PostgreSQL): the database itself refuses the chunks, with the error
# PostgreSQL gives when its disk is full (disk_full) or when it takes no writes (a read-only
# standby: read_only_sql_transaction).

@pytest.fixture
def refused_chunks(app, monkeypatch):
    """Make PostgreSQL refuse every blob chunk with the SQLSTATE the test names."""
    from exchange.context import get_engine

    monkeypatch.setitem(app.config, "BLOB_STORE", "database")
    engine = get_engine()

    def refuse(errcode: str):
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "CREATE OR REPLACE FUNCTION test_refuse_chunk() RETURNS trigger AS $$ BEGIN "
                f"RAISE EXCEPTION 'refused by the test' USING ERRCODE = '{errcode}'; END $$ "
                "LANGUAGE plpgsql")
            conn.exec_driver_sql(
                "CREATE TRIGGER test_refuse_chunk BEFORE INSERT ON blob_chunk FOR EACH ROW "
                "EXECUTE FUNCTION test_refuse_chunk()")

    yield refuse
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS test_refuse_chunk ON blob_chunk")
        conn.exec_driver_sql("DROP FUNCTION IF EXISTS test_refuse_chunk()")


@requires_postgres
def test_a_full_database_blob_store_answers_507_and_keeps_nothing(client, partner_token,
                                                                   refused_chunks):
    refused_chunks("disk_full")
    token = partner_token("syp", "returns:write")
    before = table_counts()

    response = post_return(client, token, SPEND)

    assert response.status_code == 507, response.get_json()
    assert response.get_json()["error"] == "insufficient_storage"
    assert table_counts() == before
    assert blob_rows() == 0


@requires_postgres
def test_a_database_blob_store_taking_no_writes_answers_503_and_readyz_says_so(
        client, partner_token, refused_chunks):
    refused_chunks("read_only_sql_transaction")
    token = partner_token("syp", "returns:write")

    response = post_return(client, token, SPEND)

    assert response.status_code == 503, response.get_json()
    assert response.headers["Retry-After"] == "60"
    assert response.get_json()["error"] == "storage_unavailable"
    assert blob_rows() == 0
    assert client.get("/readyz").get_json()["checks"] == {"database": "ok",
                                                          "blobs": "unavailable"}


def blob_rows() -> int:
    from sqlalchemy import func, select

    from exchange.context import get_engine
    from exchange.models import StoredBlob

    with get_engine().connect() as conn:
        return conn.scalar(select(func.count()).select_from(StoredBlob))
