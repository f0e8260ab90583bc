"""The directory blob store: files under BLOB_DIR (the default on SQLite, one server)."""

import contextlib
import hashlib
import io
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from exchange.blobs.common import CHUNK, Blob, storage_error

log = logging.getLogger(__name__)
SCRATCH = ".scratch"  # dry runs' bytes, each in its own folder removed when the run ends


class BlobStore:
    """Files under ``root/ab/abcdef…``; writes go to a temporary file first, then are renamed."""

    kind = "directory"

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
            raise storage_error(err) from err
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
            raise storage_error(err) from err

    def save_bytes(self, data: bytes) -> tuple[str, int]:
        return self.save(io.BytesIO(data))

    def open(self, sha256: str) -> BinaryIO:
        return self.path(sha256).open("rb")

    def size(self, sha256: str) -> int:
        return self.path(sha256).stat().st_size

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    @contextlib.contextmanager
    def scratch(self) -> Iterator["BlobStore"]:
        """A store of its own for a dry run, on the same disk, removed with all it holds when
        the run ends: a dry run stores nothing."""
        parent = self.root / SCRATCH
        try:
            parent.mkdir(parents=True, exist_ok=True)
            folder = tempfile.mkdtemp(dir=parent)
        except OSError as err:
            raise storage_error(err) from err
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

    def leftovers(self, older_than: float) -> Iterator[str]:
        """Temporary files and dry-run folders last touched before ``older_than`` (a crashed
        worker's), as paths relative to the store's folder."""
        if not self.root.exists():
            return
        candidates = [*self.root.glob(".incoming-*"), *(self.root / SCRATCH).glob("*")]
        for path in candidates:
            with contextlib.suppress(FileNotFoundError):
                if path.stat().st_mtime < older_than:
                    yield str(path.relative_to(self.root))

    def remove_if_older(self, sha256: str, older_than: float) -> bool:
        """Delete one blob unless it was saved again since ``older_than``; whether it went."""
        path = self.path(sha256)
        try:
            if path.stat().st_mtime >= older_than:  # an upload may be about to reference it
                return False
            path.unlink()
        except FileNotFoundError:
            return False
        return True

    def remove_leftover(self, name: str) -> None:
        """Delete one leftover that ``leftovers`` named; gone already is fine."""
        path = self.root / name
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
