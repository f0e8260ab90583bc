"""`hub blobs gc`: remove the bytes that no return and no stored report references.

Only bytes older than a grace period go: an upload saves its bytes before its return row is
committed, and saving bytes again makes them young (``save`` in either store), so the collector
never takes bytes a submission under way is about to reference. Works on both stores."""

import time
from dataclasses import dataclass, field

from sqlalchemy import select, union

from exchange.blobs import AnyBlobStore, Blob
from exchange.models import GeneratedReport, PartnerReturn
from exchange.unit_of_work import UnitOfWork

GRACE_SECONDS = 3600


@dataclass
class Garbage:
    """What a collection removed (or, in a dry run, would remove)."""

    blobs: list[Blob] = field(default_factory=list)
    leftovers: list[str] = field(default_factory=list)  # named as the store names them

    @property
    def size(self) -> int:
        return sum(blob.size for blob in self.blobs)


def referenced(uow: UnitOfWork) -> set[str]:
    """The SHA-256 of every blob a row points at: returns' bytes, reports' HTML, PDF, figures."""
    stmt = union(select(PartnerReturn.sha256), select(GeneratedReport.html_sha256),
                 select(GeneratedReport.pdf_sha256), select(GeneratedReport.data_sha256))
    with uow:
        return set(uow.session.scalars(stmt))


def collect_garbage(uow: UnitOfWork, blobs: AnyBlobStore, *, dry_run: bool = False,
                    grace_seconds: int = GRACE_SECONDS) -> Garbage:
    """Remove unreferenced blobs and stale temporary files older than the grace period; a dry
    run only lists them."""
    cutoff = time.time() - grace_seconds
    keep = referenced(uow)
    garbage = Garbage(
        blobs=[b for b in blobs.blobs() if b.modified < cutoff and b.sha256 not in keep],
        leftovers=list(blobs.leftovers(cutoff)))
    if dry_run:
        return garbage
    removed = []
    for blob in garbage.blobs:
        # Not if saved again since it was listed: an upload may be about to reference it.
        if blobs.remove_if_older(blob.sha256, cutoff):
            removed.append(blob)
    for name in garbage.leftovers:
        blobs.remove_leftover(name)
    garbage.blobs = removed
    return garbage
