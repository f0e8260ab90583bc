"""The store of raw submitted bytes, addressed by SHA-256, so every byte can be served again."""

import hashlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO

CHUNK = 1024 * 1024


class BlobStore:
    """Files under ``root/ab/abcdef…``; writes go to a temporary file first, then are renamed."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def save(self, stream: BinaryIO, limit: int | None = None) -> tuple[str, int]:
        """Copy ``stream`` in; returns (sha256, size). Raises OverflowError past ``limit`` bytes."""
        self.root.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        with tempfile.NamedTemporaryFile(dir=self.root, delete=False, prefix=".incoming-") as tmp:
            try:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if limit is not None and size > limit:
                        raise OverflowError(size)
                    digest.update(chunk)
                    tmp.write(chunk)
            except BaseException:
                tmp.close()
                os.unlink(tmp.name)
                raise
        sha = digest.hexdigest()
        target = self.path(sha)
        target.parent.mkdir(exist_ok=True)
        if target.exists():
            os.unlink(tmp.name)
        else:
            shutil.move(tmp.name, target)
        return sha, size

    def save_bytes(self, data: bytes) -> tuple[str, int]:
        import io

        return self.save(io.BytesIO(data))

    def open(self, sha256: str) -> BinaryIO:
        return self.path(sha256).open("rb")
