"""Publishing the MCA's locked releases: build, disclosure-control, freeze, with revision notes.

A release is (sub-region, period, version). Publishing again when neither the counting returns
nor the controlled datasets changed makes nothing new; otherwise the next version is written,
with notes saying which returns were added or superseded and which published cells changed.
Nothing here updates or deletes a release (the models refuse it)."""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from exchange.errors import BadRequest, Conflict, NotFound
from exchange.feeds.datasets import COLUMNS, DATASETS, KEYS, add_shares, build_datasets
from exchange.feeds.disclosure import control
from exchange.feeds.sources import counting_returns, memberships, partner_ids
from exchange.feeds.versions import control_versions, published_cells
from exchange.models import Place, Release, ReleaseDataset
from exchange.models.base import utcnow
from exchange.periods import Period
from exchange.services.cycle.windows import WindowRules
from exchange.unit_of_work import UnitOfWork
from exchange.views.completeness import completeness


@dataclass(frozen=True)
class Publication:
    release_id: int
    subregion: str
    period: str
    version: int
    created: bool  # False: nothing changed since that release, so nothing was published
    notes: dict


def canonical(value) -> bytes:
    """The exact JSON we hash and serve: sorted keys, no spaces, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=_plain).encode("utf-8")


def _plain(value):
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    raise TypeError(f"cannot serialise {type(value).__name__}")


def find_subregion(uow: UnitOfWork, slug_or_code: str) -> Place:
    place = uow.places.get(slug_or_code)
    if place is None or place.kind != "subregion":
        raise NotFound(f"There is no sub-region {slug_or_code!r} (use a slug such as "
                       "south-yorkshire or an ONS code such as E47000002).")
    return place


def latest_release(uow: UnitOfWork, subregion_id: int, period: str) -> Release | None:
    stmt = (select(Release).where(Release.subregion_id == subregion_id, Release.period == period)
            .order_by(Release.version.desc()).limit(1))
    return uow.session.scalars(stmt).first()


def release_datasets(uow: UnitOfWork, release_id: int) -> dict[str, ReleaseDataset]:
    stmt = select(ReleaseDataset).where(ReleaseDataset.release_id == release_id)
    return {d.name: d for d in uow.session.scalars(stmt)}


def release_completeness(uow: UnitOfWork, subregion: Place, period: str, now: datetime,
                         rules: WindowRules | None = None) -> list[dict]:
    """Per place of the sub-region and the sub-region itself: which partners the release
    counts, and which are awaiting approval, late, missing or not yet due."""
    places, members = memberships(uow, subregion)
    groups = [(p.slug, p.name, sorted(members[p.id])) for p in places]
    groups.append((subregion.slug, subregion.name, sorted(set().union(*members.values()))))
    return completeness(uow, groups, [period], now, rules, release=True)


def publish_release(uow: UnitOfWork, subregion: str, period: str,
                    actor: str = "cli", now: datetime | None = None,
                    rules: WindowRules | None = None) -> Publication:
    """Publish ``subregion``'s release of ``period``, or say that nothing changed."""
    try:
        parsed = Period.parse(period)
    except ValueError as err:
        raise BadRequest(f"{period!r} is not a period such as 2021-22-Q1.") from err
    if parsed.is_year:
        raise BadRequest("Releases are published per quarter, e.g. 2021-22-Q1.")
    period = str(parsed)
    with uow:
        place = find_subregion(uow, subregion)
        raw = build_datasets(uow, place, period)
        # The lineage: the same returns the datasets were read from.
        returns = [{"id": r.id, "partner": r.partner.slug, "kind": r.kind, "period": r.period,
                    "version": r.version}
                   for r in counting_returns(uow, partner_ids(uow, place), period)]
        previous = latest_release(uow, place.id, period)
        history = _history(uow, place, period) if previous else []
        if previous is not None and previous.returns == returns and history[-1][0] == raw:
            return Publication(previous.id, place.slug, period, previous.version, False,
                               previous.notes)
        # Suppression takes the earlier versions into account: no difference between them
        # and this one may give away a change resting on too few suppliers or people.
        rows, suppressed = control(raw, control_versions(history, raw) if history else None)
        rows["spend"] = add_shares(rows["spend"])
        counted = release_completeness(uow, place, period, now or utcnow(), rules)
        frozen = {name: json.loads(canonical(rows[name])) for name in DATASETS}
        hashes = {name: hashlib.sha256(canonical(frozen[name])).hexdigest() for name in DATASETS}
        content = hashlib.sha256(canonical({"returns": returns, "datasets": hashes})).hexdigest()
        if previous is not None and previous.content_sha256 == content:
            return Publication(previous.id, place.slug, period, previous.version, False,
                               previous.notes)
        before = release_datasets(uow, previous.id) if previous else {}
        notes = revision_notes(previous, before, returns, frozen)
        notes.update(completeness_notes(previous, counted))
        if notes["partners_now_counted"]:
            notes["summary"] += " Now counted: " + "; ".join(
                f"{c['partner'].upper()} in {c['place']} (was {c['was'].replace('_', ' ')})"
                for c in notes["partners_now_counted"]) + "."
        release = Release(subregion_id=place.id, period=period,
                          version=previous.version + 1 if previous else 1, published_by=actor,
                          returns=returns, notes=notes, content_sha256=content)
        uow.session.add(release)
        uow.session.flush()
        for name in DATASETS:
            uow.session.add(ReleaseDataset(
                release_id=release.id, name=name, columns=list(COLUMNS[name]),
                rows=frozen[name], row_count=len(frozen[name]),
                suppressed_cells=suppressed[name], sha256=hashes[name]))
        uow.audit.add(actor, "release.publish", subject=f"release:{release.id}",
                      subregion=place.slug, period=period, version=release.version,
                      returns=[r["id"] for r in returns], sha256=content)
        try:
            uow.commit()
        except IntegrityError as err:
            raise Conflict("Another publication of this release happened at the same time; "
                           "run it again.") from err
        return Publication(release.id, place.slug, period, release.version, True, notes)


def revision_notes(previous: Release | None, before: dict[str, ReleaseDataset],
                   returns: list[dict], after: dict[str, list[dict]]) -> dict:
    """What this version changes against ``previous``: returns and published cells."""
    if previous is None:
        return {"previous_release": None, "summary": "First release for this period.",
                "returns_added": returns, "returns_superseded": [], "returns_withdrawn": [],
                "cells_changed": [], "rows_added": [], "rows_removed": []}
    old = {(r["partner"], r["kind"]): r for r in previous.returns}
    new = {(r["partner"], r["kind"]): r for r in returns}
    added = [r for key, r in new.items() if key not in old]
    superseded = [{**old[key], "by": r["id"], "by_version": r["version"]}
                  for key, r in new.items() if key in old and old[key]["id"] != r["id"]]
    withdrawn = [r for key, r in old.items() if key not in new]
    changed, rows_added, rows_removed = [], [], []
    for name in DATASETS:
        was = {_row_key(name, row): row for row in (before[name].rows if name in before else [])}
        now = {_row_key(name, row): row for row in after[name]}
        rows_added += [{"dataset": name, "row": dict(k)} for k in now if k not in was]
        rows_removed += [{"dataset": name, "row": dict(k)} for k in was if k not in now]
        for key in (k for k in now if k in was):
            for field in COLUMNS[name]:
                if was[key].get(field) != now[key].get(field):
                    changed.append({"dataset": name, "row": dict(key), "field": field,
                                    "from": was[key].get(field), "to": now[key].get(field)})
    summary = (f"Version {previous.version + 1} replaces version {previous.version}: "
               f"{len(added)} returns added, {len(superseded)} superseded, "
               f"{len(withdrawn)} withdrawn; {len(changed)} published cells changed, "
               f"{len(rows_added)} rows added, {len(rows_removed)} removed.")
    return {"previous_release": previous.id, "summary": summary, "returns_added": added,
            "returns_superseded": superseded, "returns_withdrawn": withdrawn,
            "cells_changed": changed, "rows_added": rows_added, "rows_removed": rows_removed}


def _history(uow: UnitOfWork, place: Place, period: str) -> list[tuple[dict, dict]]:
    """Every earlier version of the release, oldest first: its datasets rebuilt from the returns
    it counted, and which of its cells it published."""
    stmt = (select(Release).where(Release.subregion_id == place.id, Release.period == period)
            .order_by(Release.version))
    out = []
    for release in uow.session.scalars(stmt):
        stored = {name: d.rows for name, d in release_datasets(uow, release.id).items()}
        rebuilt = build_datasets(uow, place, period, [r["id"] for r in release.returns])
        out.append((rebuilt, published_cells(stored)))
    return out


def completeness_notes(previous: Release | None, counted: list[dict]) -> dict:
    """The release's completeness, and the partners it now counts that the previous version
    did not (a return approved or sent since), said in the summary too."""
    was = {c["place"]: set(c["counted"]) for c in (previous.notes.get("completeness", [])
                                                   if previous else [])}
    now_counted = [{"place": c["place"], "partner": slug,
                    "was": _where(previous, c["place"], slug)}
                   for c in counted if previous for slug in c["counted"]
                   if slug not in was.get(c["place"], set())]
    return {"completeness": counted, "partners_now_counted": now_counted}


def _where(previous: Release, place: str, slug: str) -> str:
    for c in previous.notes.get("completeness", []):
        if c["place"] == place:
            for bucket in ("awaiting_approval", "missing", "open", "not_due"):
                if slug in c[bucket]:
                    return bucket
    return "not_counted"


def _row_key(name: str, row: dict) -> tuple:
    return tuple((field, row[field]) for field in KEYS[name])
