"""Locked releases of the MCA's feeds: what was published, from which returns, frozen.

A release is written once, by ``exchange.feeds.releases.publish_release``, and never changed: the
mapper refuses updates and deletes of both tables, so a later publication can only add a version."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from exchange.models.base import Base, utcnow


class ReleaseLocked(Exception):
    """Raised when anything tries to change or remove a published release."""


class Release(Base):
    """One version of a sub-region's release for one period."""

    __tablename__ = "release"
    __table_args__ = (UniqueConstraint("subregion_id", "period", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    subregion_id: Mapped[int] = mapped_column(ForeignKey("place.id"))
    period: Mapped[str] = mapped_column(String(10))
    version: Mapped[int] = mapped_column(Integer)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by: Mapped[str] = mapped_column(String(200))
    # Lineage: [{"id", "partner", "kind", "period", "version"}] of the returns it was built from.
    returns: Mapped[list] = mapped_column(JSON)
    # What changed against the previous version: returns added/superseded, cells changed.
    notes: Mapped[dict] = mapped_column(JSON)
    content_sha256: Mapped[str] = mapped_column(String(64))

    @property
    def return_ids(self) -> list[int]:
        return [r["id"] for r in self.returns]


class ReleaseDataset(Base):
    """One dataset of a release, disclosure-controlled, as the JSON rows that are served."""

    __tablename__ = "release_dataset"
    __table_args__ = (UniqueConstraint("release_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("release.id"))
    name: Mapped[str] = mapped_column(String(20))
    columns: Mapped[list] = mapped_column(JSON)
    rows: Mapped[list] = mapped_column(JSON)
    row_count: Mapped[int] = mapped_column(Integer)
    suppressed_cells: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))


def _refuse(mapper, connection, target) -> None:
    raise ReleaseLocked(f"{type(target).__name__} {target.id} is published and cannot change; "
                        "publish a new version instead.")


for _model in (Release, ReleaseDataset):
    event.listen(_model, "before_update", _refuse)
    event.listen(_model, "before_delete", _refuse)
