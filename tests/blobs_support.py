"""Looking at both blob stores from a test: what either keeps, and making a blob look old."""

import os
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select, update

from exchange.context import get_engine
from exchange.models import BlobChunk, StoredBlob


def kept() -> tuple:
    """Everything either store holds: files under BLOB_DIR (temporary ones included), blob rows
    and chunks in the database, and dry runs' scratch folders of the database store."""
    root = Path(current_app.config["BLOB_DIR"])
    files = {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()
    scratch = set(Path(tempfile.gettempdir()).glob("exchange-scratch-*"))
    with get_engine().connect() as conn:
        rows = set(conn.execute(select(StoredBlob.id, StoredBlob.sha256)).all())
        chunks = conn.scalar(select(func.count()).select_from(BlobChunk))
    return files, scratch, rows, chunks


def age(store, sha: str, seconds: int) -> None:
    """Make a stored blob look last saved ``seconds`` ago."""
    then = time.time() - seconds
    if store.kind == "directory":
        os.utime(store.path(sha), (then, then))
        return
    with get_engine().begin() as conn:
        conn.execute(update(StoredBlob).where(StoredBlob.sha256 == sha)
                     .values(saved_at=datetime.fromtimestamp(then, UTC)))
