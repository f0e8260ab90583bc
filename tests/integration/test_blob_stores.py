"""Both blob stores keep bytes by SHA-256 and give them back exactly; the database store does it
a chunk at a time, keeps the same bytes once, and `hub blobs migrate` moves bytes between the
stores, checking each SHA-256, safe to run again."""

import hashlib
import io
import os
import tracemalloc
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from exchange.blobs import BlobStore, DatabaseBlobStore
from exchange.cli import cli
from exchange.context import get_engine
from exchange.models import BlobChunk, StoredBlob
from tests.blobs_support import kept


def counts() -> tuple[int, int]:
    with get_engine().connect() as conn:
        return (conn.scalar(select(func.count()).select_from(StoredBlob)),
                conn.scalar(select(func.count()).select_from(BlobChunk)))


class Generated(io.RawIOBase):
    """``size`` pseudo-random bytes made as they are read: a big upload that no test holds."""

    def __init__(self, size: int, seed: bytes = b"seed"):
        self.left, self.block, self.digest = size, hashlib.sha256(seed).digest() * 2048, \
            hashlib.sha256()

    def readable(self):
        return True

    def readinto(self, buffer):
        n = min(len(buffer), self.left, len(self.block))
        buffer[:n] = self.block[:n]
        self.digest.update(self.block[:n])
        self.left -= n
        return n


def test_the_database_store_keeps_bytes_in_chunks_and_gives_them_back_exactly(app):
    store = DatabaseBlobStore(get_engine(), chunk_size=1000)
    data = os.urandom(10_500)

    sha, size = store.save(io.BytesIO(data))

    assert (sha, size) == (hashlib.sha256(data).hexdigest(), 10_500)
    assert counts() == (1, 11)
    with store.open(sha) as stream:
        assert stream.read() == data
        stream.seek(2_990)
        assert stream.read(20) == data[2_990:3_010]
        assert stream.tell() == 3_010
    assert store.size(sha) == 10_500 and store.exists(sha)


def test_the_database_store_keeps_each_chunk_compressed_and_reads_it_back_exactly(app):
    store = DatabaseBlobStore(get_engine(), chunk_size=64 * 1024)
    data = b"".join(b"2021-10-%02d,Acme Care %d Ltd,%d.50\r\n" % (n % 28 + 1, n % 300, n)
                    for n in range(40_000))

    sha, size = store.save(io.BytesIO(data))

    with get_engine().connect() as conn:
        compression = conn.scalar(select(StoredBlob.compression))
        stored = conn.scalar(select(func.sum(func.length(BlobChunk.data))))
    assert (compression, size) == ("lz4", len(data))
    assert stored < len(data) / 3
    with store.open(sha) as stream:
        assert stream.read() == data
        stream.seek(64 * 1024 - 7)
        assert stream.read(20) == data[64 * 1024 - 7:64 * 1024 + 13]


def test_a_blob_saved_before_chunks_were_compressed_reads_as_it_was_saved(app):
    data = os.urandom(2_500)
    with get_engine().begin() as conn:
        blob_id = conn.execute(StoredBlob.__table__.insert().values(
            sha256=hashlib.sha256(data).hexdigest(), size=len(data), chunk_size=1000,
            compression=None, saved_at=datetime.now(UTC)).returning(StoredBlob.id)).scalar_one()
        conn.execute(BlobChunk.__table__.insert(), [
            {"blob_id": blob_id, "seq": seq, "data": data[seq * 1000:(seq + 1) * 1000]}
            for seq in range(3)])

    with DatabaseBlobStore(get_engine()).open(hashlib.sha256(data).hexdigest()) as stream:
        assert stream.read() == data


def test_bytes_read_in_the_request_that_saved_them_are_the_same_before_and_after_the_upload_closes(
        app, tmp_path):
    store = DatabaseBlobStore(get_engine(), chunk_size=1000)
    data = os.urandom(4_321)
    path = tmp_path / "upload"
    path.write_bytes(data)

    with path.open("rb") as upload:
        sha, _ = store.save(upload)
        with store.open(sha) as stream:  # read from the upload's own file
            stream.seek(1000)
            assert stream.read() == data[1000:]
            stream.seek(0)
            assert stream.read() == data
    with store.open(sha) as stream:  # the file is closed: read from the database
        assert stream.read() == data


def test_the_same_bytes_saved_twice_are_kept_once(app):
    store = DatabaseBlobStore(get_engine(), chunk_size=1000)
    data = os.urandom(2_500)

    first = store.save(io.BytesIO(data))
    again = store.save(io.BytesIO(data))

    assert first == again
    assert counts() == (1, 3)


def test_bytes_past_the_limit_leave_nothing_in_the_database(app):
    store = DatabaseBlobStore(get_engine(), chunk_size=1000)

    with pytest.raises(OverflowError):
        store.save(io.BytesIO(os.urandom(5_000)), limit=4_000)

    assert counts() == (0, 0)


def test_the_database_store_never_holds_a_whole_upload_in_memory(app):
    store = DatabaseBlobStore(get_engine())
    upload = Generated(24 * 1024 * 1024)

    tracemalloc.start()
    try:
        sha, size = store.save(upload)
        with store.open(sha) as stream:
            while stream.read(64 * 1024):
                pass
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert (sha, size) == (upload.digest.hexdigest(), 24 * 1024 * 1024)
    assert peak < 8 * 1024 * 1024, f"peak {peak:,} bytes for a 24 MiB blob"


def test_a_return_uploaded_to_either_store_downloads_as_the_same_bytes(client, partner_token,
                                                                       blob_store):
    from tests.api.returns_support import SPEND, bearer, post_return

    token = partner_token("rmbc", "returns:read returns:write")
    created = post_return(client, token, SPEND)
    assert created.status_code == 201, created.get_json()

    response = client.get(f"/api/v1/returns/{created.get_json()['id']}/file",
                          headers=bearer(token))

    assert response.status_code == 200
    assert response.data == SPEND.encode()
    assert int(response.headers["Content-Length"]) == len(SPEND.encode())
    assert (kept()[2] != set()) == (blob_store == "database")


def hub(app, *args):
    return app.test_cli_runner().invoke(cli, list(args))


@pytest.fixture
def directory(app, monkeypatch, tmp_path):
    """An empty directory store of the test's own (BLOB_DIR)."""
    monkeypatch.setitem(app.config, "BLOB_DIR", str(tmp_path / "blobs"))
    return BlobStore(app.config["BLOB_DIR"])


def test_blobs_migrate_copies_every_blob_to_the_database_and_back_checking_each(app, directory):
    database = DatabaseBlobStore(get_engine())
    blobs = [os.urandom(3 * 1024 * 1024 // (n + 1)) for n in range(3)]
    shas = [directory.save_bytes(data)[0] for data in blobs]

    there = hub(app, "blobs", "migrate", "--to", "database")

    assert there.exit_code == 0, there.output
    assert "Copied 3 blobs" in there.output
    for sha, data in zip(shas, blobs, strict=True):
        with database.open(sha) as stream:
            assert stream.read() == data
    for sha in shas:
        directory.path(sha).unlink()

    back = hub(app, "blobs", "migrate", "--to", "directory")

    assert back.exit_code == 0, back.output
    for sha, data in zip(shas, blobs, strict=True):
        assert directory.path(sha).read_bytes() == data


def test_blobs_migrate_run_again_copies_only_what_is_missing(app, directory):
    first = directory.save_bytes(os.urandom(1000))[0]
    assert hub(app, "blobs", "migrate", "--to", "database").exit_code == 0
    second = directory.save_bytes(os.urandom(1000))[0]

    again = hub(app, "blobs", "migrate", "--to", "database", "--verbose")

    assert again.exit_code == 0, again.output
    assert f"{first}" in again.output and "present" in again.output.split(first)[1][:40]
    assert "copied" in again.output.split(second)[1][:40]
    assert "Copied 1 blobs" in again.output
    assert counts()[0] == 2


def test_blobs_migrate_refuses_bytes_that_do_not_match_their_sha256(app, directory):
    good = directory.save_bytes(b"good bytes " + os.urandom(8))[0]
    bad = directory.save_bytes(b"bytes to damage " + os.urandom(8))[0]
    directory.path(bad).write_bytes(b"damaged on disk")

    result = hub(app, "blobs", "migrate", "--to", "database")

    assert result.exit_code != 0
    assert f"{bad}" in result.output and "mismatched" in result.output
    database = DatabaseBlobStore(get_engine())
    assert database.exists(good) and not database.exists(bad)
