"""The database blob store (BLOB_STORE=database, the default on PostgreSQL): bytes in
``blob_chunk`` rows, so every server of the hub reads the bytes any of them received.

Bytes go in and out a chunk at a time: a save streams the upload (werkzeug's spooled file)
into chunk rows while hashing it, in one transaction that names the blob by its SHA-256 at the
end, so a crash leaves nothing behind; a read fetches the chunk it needs, so neither holds a
whole file in memory. The hub compresses each chunk (one LZ4 block, `COMPRESSION`) on two
threads while it reads and hashes the next, so the shared database only stores them. The same
bytes saved twice are kept once (the second save's rows are rolled back, and the first blob is
made young again for the blob collector)."""

import contextlib
import hashlib
import io
import shutil
import tempfile
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import BinaryIO

import lz4.block
from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from exchange.blobs.common import CHUNK, Blob, storage_error
from exchange.blobs.directory import BlobStore
from exchange.models import BlobChunk, StoredBlob

blob_t, chunk_t = StoredBlob.__table__, BlobChunk.__table__
READ_BUFFER = 64 * 1024
COPY_CHUNKS = "COPY blob_chunk (blob_id, seq, data) FROM STDIN (FORMAT BINARY)"
FETCH_CHUNK = "SELECT data FROM blob_chunk WHERE blob_id = %s AND seq = %s"
COMPRESSION = "lz4"  # blob.compression of the chunks this store writes
_AHEAD = 2  # chunks being compressed while the one before is written


class _AlreadyKept(Exception):
    """The bytes being saved are stored already: roll this save's chunks back."""


class DatabaseBlobStore:
    """Blobs as rows of ``blob`` and ``blob_chunk`` on the hub's own database."""

    kind = "database"

    def __init__(self, engine: Engine, chunk_size: int = CHUNK):
        self.engine = engine
        self.chunk_size = chunk_size
        # The local file each blob was saved from in this store's life (one request): read
        # again from there while it is open, rather than back from the database.
        self._saved_from: dict[str, tuple[BinaryIO, int, int]] = {}

    def _remember(self, stream: BinaryIO, start: int | None, sha: str, size: int) -> None:
        if start is not None:
            self._saved_from[sha] = (stream, start, size)

    def save(self, stream: BinaryIO, limit: int | None = None) -> tuple[str, int]:
        """Copy ``stream`` in; returns (sha256, size). Raises OverflowError past ``limit`` bytes,
        StorageFull when the database's disk is full and StorageUnavailable when it cannot be
        written; in every case nothing of this save is left behind."""
        chunks = _Chunks(stream, self.chunk_size, limit)
        try:
            with self.engine.begin() as conn:
                blob_id = conn.execute(insert(blob_t).values(
                    sha256=None, size=0, chunk_size=self.chunk_size, compression=COMPRESSION,
                    saved_at=_now()).returning(blob_t.c.id)).scalar_one()
                start = stream.tell() if stream.seekable() else None
                with _chunk_writer(conn, blob_id) as write:
                    for seq, packed in enumerate(_compressed(chunks)):
                        write(seq, packed)
                sha, size = chunks.digest.hexdigest(), chunks.size
                if self._touch(conn, sha):
                    raise _AlreadyKept
                try:
                    conn.execute(update(blob_t).where(blob_t.c.id == blob_id)
                                 .values(sha256=sha, size=size))
                except IntegrityError as err:
                    # Two servers saving the same new bytes at once: the second waits here for
                    # the first's commit, then fails on the unique SHA-256 and keeps the first's.
                    raise _AlreadyKept from err
            self._remember(stream, start, sha, size)
            return sha, size
        except _AlreadyKept:
            self._remember(stream, start, sha, size)
            return self._touch_again(sha, size)
        except DBAPIError as err:
            raise storage_error(err) from err

    def _touch(self, conn, sha: str) -> bool:
        """Make a stored blob young again (so `hub blobs gc` spares it); whether it is there."""
        return conn.execute(update(blob_t).where(blob_t.c.sha256 == sha)
                            .values(saved_at=_now())).rowcount > 0

    def _touch_again(self, sha: str, size: int) -> tuple[str, int]:
        try:
            with self.engine.begin() as conn:
                self._touch(conn, sha)
        except DBAPIError as err:
            raise storage_error(err) from err
        return sha, size

    def save_bytes(self, data: bytes) -> tuple[str, int]:
        return self.save(io.BytesIO(data))

    def check_writable(self) -> None:
        """Raise StorageFull or StorageUnavailable unless a chunk can be written now (the
        probe is rolled back)."""
        try:
            with self.engine.connect() as conn, conn.begin() as probe:
                blob_id = conn.execute(insert(blob_t).values(
                    sha256=None, size=5, chunk_size=self.chunk_size, saved_at=_now())
                    .returning(blob_t.c.id)).scalar_one()
                conn.execute(insert(chunk_t).values(blob_id=blob_id, seq=0, data=b"ready"))
                probe.rollback()
        except DBAPIError as err:
            raise storage_error(err) from err

    def _row(self, sha256: str):
        with self.engine.connect() as conn:
            row = conn.execute(select(blob_t.c.id, blob_t.c.size, blob_t.c.chunk_size,
                                      blob_t.c.compression)
                               .where(blob_t.c.sha256 == sha256)).first()
        if row is None:
            raise FileNotFoundError(f"no blob {sha256}")
        return row

    def open(self, sha256: str) -> BinaryIO:
        """The bytes as a seekable binary file that fetches one chunk at a time (or reads the
        local file they were saved from by this store, while it is open)."""
        local = self._saved_from.get(sha256)
        if local is not None and not local[0].closed:
            return io.BufferedReader(_Window(*local), buffer_size=READ_BUFFER)
        row = self._row(sha256)
        return io.BufferedReader(_ChunkReader(self.engine, row.id, row.size, row.chunk_size,
                                              row.compression), buffer_size=READ_BUFFER)

    def size(self, sha256: str) -> int:
        return self._row(sha256).size

    def exists(self, sha256: str) -> bool:
        with self.engine.connect() as conn:
            return conn.scalar(select(blob_t.c.id).where(blob_t.c.sha256 == sha256)) is not None

    @contextlib.contextmanager
    def scratch(self) -> Iterator[BlobStore]:
        """A dry run's bytes never reach the database: a folder of this server's own, removed
        with all it holds when the run ends."""
        try:
            folder = tempfile.mkdtemp(prefix="exchange-scratch-")
        except OSError as err:
            raise storage_error(err) from err
        try:
            yield BlobStore(folder)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def for_run(self, dry_run: bool):
        """This store for a submission, a scratch store for a dry run."""
        return self.scratch() if dry_run else contextlib.nullcontext(self)

    def blobs(self) -> Iterator[Blob]:
        """Every stored blob (not one whose save is under way)."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(blob_t.c.sha256, blob_t.c.size, blob_t.c.saved_at)
                                .where(blob_t.c.sha256.is_not(None))
                                .order_by(blob_t.c.sha256)).all()
        for sha, size, saved_at in rows:
            yield Blob(sha, size, _aware(saved_at).timestamp())

    def leftovers(self, older_than: float) -> Iterator[str]:
        """None: a save that did not finish was rolled back with its transaction."""
        return iter(())

    def remove_if_older(self, sha256: str, older_than: float) -> bool:
        """Delete one blob and its chunks unless it was saved again since ``older_than``."""
        cutoff = datetime.fromtimestamp(older_than, UTC)
        with self.engine.begin() as conn:
            blob_id = conn.scalar(select(blob_t.c.id).where(
                blob_t.c.sha256 == sha256, blob_t.c.saved_at < cutoff).with_for_update())
            if blob_id is None:
                return False
            conn.execute(delete(chunk_t).where(chunk_t.c.blob_id == blob_id))
            conn.execute(delete(blob_t).where(blob_t.c.id == blob_id))
        return True

    def remove_leftover(self, name: str) -> None:
        """Nothing to remove (see ``leftovers``)."""


class _ChunkReader(io.RawIOBase):
    """A blob's bytes, seekable, holding one chunk in memory: the one being read."""

    def __init__(self, engine: Engine, blob_id: int, size: int, chunk_size: int,
                 compression: str | None = None):
        super().__init__()
        self.engine, self.blob_id, self.size, self.chunk_size = engine, blob_id, size, chunk_size
        self.compression = compression
        self._pos, self._seq, self._chunk = 0, -1, b""

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self.size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def readinto(self, buffer) -> int:
        if self._pos >= self.size:
            return 0
        seq, within = divmod(self._pos, self.chunk_size)
        if seq != self._seq:
            with self.engine.connect() as conn:
                self._chunk = _fetch_chunk(conn, self.blob_id, seq)
            self._seq = seq
            if self._chunk is None:
                raise OSError(f"blob {self.blob_id} has lost its chunk {seq}")
            if self.compression == COMPRESSION:
                self._chunk = lz4.block.decompress(self._chunk)
        n = min(len(buffer), len(self._chunk) - within)
        buffer[:n] = self._chunk[within:within + n]
        self._pos += n
        return n


class _Window(io.RawIOBase):
    """Bytes ``start`` to ``start + size`` of a local file that someone else owns (left open
    when this closes), with a position of its own."""

    def __init__(self, stream: BinaryIO, start: int, size: int):
        super().__init__()
        self.stream, self.start, self.size, self._pos = stream, start, size, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self.size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def readinto(self, buffer) -> int:
        wanted = min(len(buffer), self.size - self._pos)
        if wanted <= 0:
            return 0
        self.stream.seek(self.start + self._pos)
        read = self.stream.readinto(memoryview(buffer)[:wanted])  # no copy in between
        self._pos += read
        return read


@contextlib.contextmanager
def _chunk_writer(conn, blob_id: int):
    """``write(seq, data)`` for one blob's chunks: on PostgreSQL one COPY streaming every chunk
    (no round trip per chunk, so reading and hashing the next overlaps the server's writing of
    the last), elsewhere an INSERT each."""
    if conn.dialect.name != "postgresql":
        yield lambda seq, data: conn.execute(insert(chunk_t).values(
            blob_id=blob_id, seq=seq, data=data))
        return
    cursor = conn.connection.driver_connection.cursor()
    try:
        with cursor, cursor.copy(COPY_CHUNKS) as copy:
            copy.set_types(["int4", "int4", "bytea"])
            yield lambda seq, data: copy.write_row((blob_id, seq, data))
    except conn.dialect.dbapi.Error as err:  # the driver's own: SQLAlchemy did not run this
        raise DBAPIError.instance(COPY_CHUNKS, None, err, conn.dialect.dbapi.Error) from err


def _fetch_chunk(conn, blob_id: int, seq: int) -> bytes | None:
    """One chunk's bytes; on PostgreSQL in binary (not hex text: half the bytes, no decoding)."""
    if conn.dialect.name != "postgresql":
        return conn.scalar(select(chunk_t.c.data).where(chunk_t.c.blob_id == blob_id,
                                                        chunk_t.c.seq == seq))
    try:
        with conn.connection.driver_connection.cursor(binary=True) as cursor:
            row = cursor.execute(FETCH_CHUNK, (blob_id, seq)).fetchone()
    except conn.dialect.dbapi.Error as err:
        raise DBAPIError.instance(FETCH_CHUNK, None, err, conn.dialect.dbapi.Error) from err
    return row[0] if row else None


class _Chunks:
    """A stream's bytes a chunk at a time, hashed and counted as they are read; OverflowError
    once they pass ``limit`` bytes."""

    def __init__(self, stream: BinaryIO, chunk_size: int, limit: int | None):
        self.stream, self.chunk_size, self.limit = stream, chunk_size, limit
        self.digest, self.size = hashlib.sha256(), 0

    def __iter__(self) -> Iterator[bytes]:
        while chunk := _read_exactly(self.stream, self.chunk_size):
            self.size += len(chunk)
            if self.limit is not None and self.size > self.limit:
                raise OverflowError(self.size)
            self.digest.update(chunk)
            yield chunk


def _compressed(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Each chunk as one LZ4 block that starts with its size, in order, compressed on two
    threads (lz4 lets go of the GIL) while the next chunks are read and the last written."""
    with ThreadPoolExecutor(2, thread_name_prefix="blob-lz4") as pool:
        ahead: deque = deque()
        for chunk in chunks:
            ahead.append(pool.submit(lz4.block.compress, chunk, store_size=True))
            if len(ahead) > _AHEAD:
                yield ahead.popleft().result()
        while ahead:
            yield ahead.popleft().result()


def _read_exactly(stream: BinaryIO, size: int) -> bytes:
    """``size`` bytes from ``stream``, fewer only at its end (a chunk's place is its number)."""
    parts, wanted = [], size
    while wanted:
        part = stream.read(wanted)
        if not part:
            break
        parts.append(part)
        wanted -= len(part)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
