"""The store of raw submitted bytes, addressed by SHA-256, so every byte can be served again."""

import errno
import hashlib
import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO

from exchange.errors import StorageFull, StorageUnavailable

log = logging.getLogger(__name__)
CHUNK = 1024 * 1024
RETRY_AFTER_SECONDS = 60


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
            if not target.exists():
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
        import io

        return self.save(io.BytesIO(data))

    def open(self, sha256: str) -> BinaryIO:
        return self.path(sha256).open("rb")


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
