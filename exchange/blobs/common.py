"""What both blob stores share: a blob's description and the answers when bytes cannot be kept."""

import errno
import logging
from dataclasses import dataclass

from sqlalchemy.exc import DBAPIError

from exchange.errors import StorageFull, StorageUnavailable

log = logging.getLogger(__name__)
CHUNK = 1024 * 1024  # bytes read, hashed and written at a time; a database chunk's size
RETRY_AFTER_SECONDS = 60
DISK_FULL_SQLSTATES = {"53100"}  # PostgreSQL's disk_full

FULL = ("The hub has no room to keep your file just now, so nothing was stored. Please try again "
        "later; the hub's administrators have been told.")
UNAVAILABLE = "The hub cannot keep files just now, so nothing was stored. Please try again in a " \
              "few minutes."


@dataclass(frozen=True)
class Blob:
    sha256: str
    size: int
    modified: float  # seconds since the epoch: when the bytes were last saved


def storage_error(err: OSError | DBAPIError) -> StorageFull | StorageUnavailable:
    """What to tell the sender when the bytes could not be kept (the cause goes to the log):
    507 when the disk (or the database's disk) is full, else 503 with Retry-After."""
    log.error("the blob store could not keep an upload: %s",
              str(err).splitlines()[0] if str(err) else type(err).__name__)
    if isinstance(err, OSError):
        full = err.errno in (errno.ENOSPC, errno.EDQUOT)
    else:
        full = (getattr(err.orig, "sqlstate", None) in DISK_FULL_SQLSTATES
                or "database or disk is full" in str(err.orig))  # SQLite's SQLITE_FULL
    if full:
        return StorageFull(FULL)
    return StorageUnavailable(UNAVAILABLE, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
