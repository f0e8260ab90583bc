"""Reading published releases for the feed API: the list, one dataset a page at a time (keyset
cursors over the frozen rows), and what changed since a given release. No Flask here."""

import base64
import binascii
import json
from dataclasses import dataclass

from sqlalchemy import Engine, bindparam, or_, select

from exchange.errors import BadRequest, NotFound
from exchange.feeds.datasets import DATASETS
from exchange.feeds.releases import find_subregion
from exchange.models import Place, Release, ReleaseDataset
from exchange.oauth import token_cache
from exchange.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Page:
    release: dict
    dataset: str
    columns: list[str]
    rows: list[dict]
    next_cursor: str | None


def release_summary(release: Release, subregion: Place,
                    datasets: list[dict] | None = None) -> dict:
    """What the MCA sees of a release: identifiers, notes, who is counted (completeness) and the
    returns' identifiers."""
    return {"id": release.id, "subregion": subregion.slug, "subregion_code": subregion.code,
            "period": release.period, "version": release.version,
            "published_at": release.published_at.isoformat(), "notes": release.notes,
            "completeness": release.notes.get("completeness", []), "returns": release.returns,
            "datasets": datasets if datasets is not None else [{"name": n} for n in DATASETS]}


def _summaries(uow: UnitOfWork, place: Place, releases: list[Release]) -> list[dict]:
    """Summaries with each dataset's size, suppressed cells and hash (not its rows)."""
    stmt = (select(ReleaseDataset.release_id, ReleaseDataset.name, ReleaseDataset.row_count,
                   ReleaseDataset.suppressed_cells, ReleaseDataset.sha256)
            .where(ReleaseDataset.release_id.in_([r.id for r in releases]))
            .order_by(ReleaseDataset.release_id, ReleaseDataset.name))
    sets: dict[int, list[dict]] = {}
    for release_id, name, rows, suppressed, sha in uow.session.execute(stmt):
        sets.setdefault(release_id, []).append(
            {"name": name, "rows": rows, "suppressed_cells": suppressed, "sha256": sha})
    return [release_summary(r, place, sets.get(r.id, [])) for r in releases]


def list_releases(uow: UnitOfWork, subregion: str, period: str | None = None) -> list[dict]:
    """Every release of the sub-region (optionally of one period), oldest first."""
    with uow:
        place = find_subregion(uow, subregion)
        stmt = select(Release).where(Release.subregion_id == place.id)
        if period:
            stmt = stmt.where(Release.period == period)
        return _summaries(uow, place, list(uow.session.scalars(stmt.order_by(Release.id))))


def changes_since(uow: UnitOfWork, subregion: str, since: int | None) -> dict:
    """The releases published after release ``since`` (every one without it), with their notes."""
    with uow:
        place = find_subregion(uow, subregion)
        if since is not None and _release(uow, place, since) is None:
            raise NotFound(f"There is no release {since} of {place.slug}.")
        stmt = select(Release).where(Release.subregion_id == place.id)
        if since is not None:
            stmt = stmt.where(Release.id > since)
        items = _summaries(uow, place, list(uow.session.scalars(stmt.order_by(Release.id))))
        return {"since": since, "items": items,
                "latest": items[-1]["id"] if items else since}


@dataclass(frozen=True)
class Stamp:
    """What identifies a stored dataset's content without reading its rows."""

    release_id: int
    dataset: str
    row_count: int
    sha256: str


def _stamp_query():
    """Built once: the dataset's row count and hash, if the release is the sub-region's."""
    dataset, release, place = (ReleaseDataset.__table__, Release.__table__, Place.__table__)
    ref = bindparam("subregion")
    return (select(dataset.c.row_count, dataset.c.sha256)
            .select_from(dataset.join(release, release.c.id == dataset.c.release_id)
                         .join(place, place.c.id == release.c.subregion_id))
            .where(dataset.c.release_id == bindparam("release_id"),
                   dataset.c.name == bindparam("dataset"), place.c.kind == "subregion",
                   or_(place.c.slug == ref, place.c.code == ref)))


_STAMP = _stamp_query()


STAMP_TABLES = ("release", "release_dataset", "place")


def dataset_stamp(engine: Engine, subregion: str, release_id: int,
                  dataset: str) -> Stamp | None:
    """The stored dataset's row count and hash (None when any part is unknown:
    :func:`dataset_page` then says which), so a conditional request reads no rows.

    A published dataset never changes (the models refuse it), so its stamp is remembered in
    this process after one Core query; any UPDATE or DELETE of a release, dataset or place
    through the app's engine forgets every stamp all the same."""
    if dataset not in DATASETS:
        return None
    memory = token_cache.cache_for(engine, "release-stamps", STAMP_TABLES, float("inf"))
    key = f"{subregion}\n{release_id}\n{dataset}"
    found = memory.get(key)
    if found is not None:
        return found
    generation = memory.generation
    with engine.connect() as connection:
        row = connection.execute(_STAMP, {"subregion": subregion, "release_id": release_id,
                                          "dataset": dataset}).first()
    if row is None:
        return None
    stamp = Stamp(release_id, dataset, row[0], row[1])
    memory.put(key, stamp, generation)
    return stamp


def dataset_page(uow: UnitOfWork, subregion: str, release_id: int, dataset: str,
                 cursor: str | None, limit: int) -> Page:
    """One page of a release's dataset: the rows after ``cursor``, at most ``limit``."""
    if dataset not in DATASETS:
        raise NotFound(f"There is no dataset {dataset!r}; there are {', '.join(DATASETS)}.")
    with uow:
        place = find_subregion(uow, subregion)
        release = _release(uow, place, release_id)
        if release is None:
            raise NotFound(f"There is no release {release_id} of {place.slug}.")
        stored = uow.session.scalars(select(ReleaseDataset).where(
            ReleaseDataset.release_id == release.id, ReleaseDataset.name == dataset)).one()
        after = decode_cursor(cursor, release.id, dataset, stored.row_count)
        rows = stored.rows[after + 1: after + 1 + limit]
        last = after + len(rows)
        more = last + 1 < stored.row_count
        return Page(release_summary(release, place), dataset, list(stored.columns), rows,
                    encode_cursor(release.id, dataset, last) if more else None)


def _release(uow: UnitOfWork, place: Place, release_id: int) -> Release | None:
    release = uow.session.get(Release, release_id)
    return release if release is not None and release.subregion_id == place.id else None


def encode_cursor(release_id: int, dataset: str, after: int) -> str:
    """An opaque cursor: the position of the last row served (rows of a release never move)."""
    raw = json.dumps([release_id, dataset, after], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, release_id: int, dataset: str, row_count: int) -> int:
    if not cursor:
        return -1
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        rel, name, after = json.loads(raw)
        valid = (rel, name) == (release_id, dataset) and isinstance(after, int)
    except (binascii.Error, ValueError, TypeError, RecursionError):
        valid = False
    if not valid or not -1 <= after < row_count:
        raise BadRequest("The cursor is not one this feed gave out for this dataset; start "
                         "again without a cursor.", errors={"cursor": ["Invalid cursor."]})
    return after
