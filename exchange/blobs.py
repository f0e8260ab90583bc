"""The store of raw submitted bytes, addressed by SHA-256, so every byte can be served again."""

import contextlib
import errno
import hashlib
import io
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from exchange.errors import StorageFull, StorageUnavailable

log = logging.getLogger(__name__)
CHUNK = 1024 * 1024
RETRY_AFTER_SECONDS = 60
SCRATCH = ".scratch"  # dry runs' bytes, each in its own folder removed when the run ends


@dataclass(frozen=True)
class Blob:
    sha256: str
    size: int
    modified: float  # seconds since the epoch: when the bytes were last saved


class BlobStore:
    """Files under ``root/ab/abcdef…``; writes go to a temporary file first, then are renamed."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def save(self, stream: BinaryIO, limit: int | None = None) -> tuple[str, int]:
        """Copy ``stream`` in; returns (sha256, size). Raises OverflowError past ``limit`` bytes,
        StorageFull when the disk is full and StorageUnavailable when it cannot be written; in
        every case no temporary file is left behind."""
        tmp_name = None
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            digest, size = hashlib.sha256(), 0
            with tempfile.NamedTemporaryFile(dir=self.root, delete=False,
                                             prefix=".incoming-") as tmp:
                tmp_name = tmp.name
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if limit is not None and size > limit:
                        raise OverflowError(size)
                    digest.update(chunk)
                    tmp.write(chunk)
            sha = digest.hexdigest()
            target = self.path(sha)
            target.parent.mkdir(exist_ok=True)
            if target.exists():
                # Saved again: young again, so `hub blobs gc` cannot remove bytes that a return
                # being submitted right now is about to reference.
                os.utime(target)
            else:
                shutil.move(tmp_name, target)
            return sha, size
        except OSError as err:
            raise _storage_error(err) from err
        finally:
            if tmp_name is not None and os.path.exists(tmp_name):
                os.unlink(tmp_name)

    def check_writable(self) -> None:
        """Raise StorageFull or StorageUnavailable unless a file can be written here now."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=self.root, prefix=".ready-") as probe:
                probe.write(b"ready")
                probe.flush()
        except OSError as err:
            raise _storage_error(err) from err

    def save_bytes(self, data: bytes) -> tuple[str, int]:
        return self.save(io.BytesIO(data))

    def open(self, sha256: str) -> BinaryIO:
        return self.path(sha256).open("rb")

    @contextlib.contextmanager
    def scratch(self) -> Iterator["BlobStore"]:
        """A store of its own for a dry run, on the same disk, removed with all it holds when
        the run ends: a dry run stores nothing."""
        parent = self.root / SCRATCH
        try:
            parent.mkdir(parents=True, exist_ok=True)
            folder = tempfile.mkdtemp(dir=parent)
        except OSError as err:
            raise _storage_error(err) from err
        try:
            yield BlobStore(folder)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def for_run(self, dry_run: bool) -> contextlib.AbstractContextManager["BlobStore"]:
        """This store for a submission, a scratch store for a dry run."""
        return self.scratch() if dry_run else contextlib.nullcontext(self)

    def blobs(self) -> Iterator[Blob]:
        """Every stored blob (not the temporary files of writes and dry runs under way)."""
        if not self.root.exists():
            return
        for folder in sorted(self.root.iterdir()):
            if len(folder.name) != 2 or not folder.is_dir():
                continue
            for path in sorted(folder.iterdir()):
                if path.name.startswith(folder.name) and len(path.name) == 64:
                    stat = path.stat()
                    yield Blob(path.name, stat.st_size, stat.st_mtime)

    def leftovers(self, older_than: float) -> Iterator[Path]:
        """Temporary files and dry-run folders last touched before ``older_than`` (a crashed
        worker's)."""
        if not self.root.exists():
            return
        candidates = [*self.root.glob(".incoming-*"), *(self.root / SCRATCH).glob("*")]
        for path in candidates:
            with contextlib.suppress(FileNotFoundError):
                if path.stat().st_mtime < older_than:
                    yield path

    def remove(self, path_or_sha: str | Path) -> None:
        """Delete one blob (by SHA-256) or leftover; gone already is fine."""
        path = self.path(path_or_sha) if isinstance(path_or_sha, str) else path_or_sha
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()


def _storage_error(err: OSError) -> StorageFull | StorageUnavailable:
    """What to tell the sender when the bytes could not be kept (the cause goes to the log)."""
    log.error("the blob store could not keep an upload: %s", err)
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return StorageFull("The hub has no room to keep your file just now, so nothing was "
                           "stored. Please try again later; the hub's administrators have been "
                           "told.")
    return StorageUnavailable("The hub cannot keep files just now, so nothing was stored. "
                              "Please try again in a few minutes.",
                              headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
