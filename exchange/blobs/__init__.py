"""The store of raw submitted bytes, addressed by SHA-256, so every byte can be served again.

Two stores, one interface (save, open, size, blobs, remove_if_older …), chosen by BLOB_STORE:
``database`` keeps the bytes in the hub's database, so several servers share them (the default
on PostgreSQL); ``directory`` keeps them as files under BLOB_DIR (the default on SQLite)."""

from collections.abc import Mapping

from sqlalchemy import Engine

from exchange.blobs.common import CHUNK, Blob
from exchange.blobs.database import DatabaseBlobStore
from exchange.blobs.directory import BlobStore
from exchange.errors import ConfigError

DirectoryBlobStore = BlobStore
KINDS = ("database", "directory")
AnyBlobStore = BlobStore | DatabaseBlobStore

__all__ = ["CHUNK", "KINDS", "AnyBlobStore", "Blob", "BlobStore", "DatabaseBlobStore",
           "DirectoryBlobStore", "open_store", "store_kind"]


def store_kind(config: Mapping, engine: Engine) -> str:
    """BLOB_STORE, or by default ``database`` on PostgreSQL and ``directory`` elsewhere."""
    chosen = str(config.get("BLOB_STORE") or "").strip().lower()
    if not chosen:
        return "database" if engine.dialect.name == "postgresql" else "directory"
    if chosen not in KINDS:
        raise ConfigError(f"BLOB_STORE must be 'database' or 'directory', not {chosen!r}.")
    return chosen


def open_store(config: Mapping, engine: Engine, kind: str | None = None) -> AnyBlobStore:
    """The blob store the settings choose (or ``kind``), on this engine or BLOB_DIR."""
    if (kind or store_kind(config, engine)) == "database":
        return DatabaseBlobStore(engine)
    return BlobStore(config["BLOB_DIR"])
