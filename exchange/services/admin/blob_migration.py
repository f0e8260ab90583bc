"""`hub blobs migrate`: copy every blob from one store to the other, checking each SHA-256.

Idempotent and resumable: a blob already in the target is left as it is, and each copied blob is
committed on its own, so a migration stopped half way goes on where it stopped when run again.
The source is not changed; once the hub runs on the target (BLOB_STORE), the source can go."""

from collections.abc import Callable
from dataclasses import dataclass, field

from exchange.blobs import AnyBlobStore, Blob


@dataclass
class Migration:
    """What a migration did: blobs copied (and their bytes), already there, and those whose
    bytes did not hash to their address (left out of the target's references)."""

    copied: int = 0
    copied_bytes: int = 0
    present: int = 0
    mismatched: list[str] = field(default_factory=list)


def migrate_blobs(source: AnyBlobStore, target: AnyBlobStore,
                  progress: Callable[[Blob, str], None] = lambda blob, outcome: None
                  ) -> Migration:
    """Copy each of ``source``'s blobs missing from ``target``, a chunk at a time; ``progress``
    hears of each blob with ``copied``, ``present`` or ``mismatched``."""
    done = Migration()
    for blob in source.blobs():
        if target.exists(blob.sha256):
            done.present += 1
            progress(blob, "present")
            continue
        with source.open(blob.sha256) as stream:
            sha, size = target.save(stream)
        if sha != blob.sha256:
            # Damaged bytes: the copy is kept under its own hash, which nothing references,
            # so `hub blobs gc` removes it; the blob's address stays missing from the target.
            done.mismatched.append(blob.sha256)
            progress(blob, "mismatched")
            continue
        done.copied += 1
        done.copied_bytes += size
        progress(blob, "copied")
    return done
