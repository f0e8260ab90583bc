"""The partnership view: one place partnership's spend KPIs per partner and combined, with
lineage, charter scoreboard, measures, contributions and who has submitted what."""

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from exchange.errors import NotFound
from exchange.models import Place
from exchange.models.base import utcnow
from exchange.services.cycle.windows import WindowRules
from exchange.unit_of_work import UnitOfWork
from exchange.views import charter, registry
from exchange.views.common import lineage, parse_window, returns_and_status
from exchange.views.completeness import completeness
from exchange.views.measures import measures
from exchange.views.spend import kpis, spend_table


def place_dict(place) -> dict:
    return {"slug": place.slug, "code": place.code, "name": place.name}


def find_place(uow: UnitOfWork, ref: str, kind: str) -> Place:
    """A place (or sub-region) by slug or ONS code, or 404 saying what there is instead."""
    place = uow.places.get(ref)
    if place is None or place.kind != kind:
        known = ", ".join(p.slug for p in uow.places.all() if p.kind == kind)
        what = "place partnership" if kind == "place" else "sub-region"
        raise NotFound(f"There is no {what} '{ref}'. Known: {known}.")
    return place


def partnership_view(uow: UnitOfWork, ref: str, first: str | None, last: str | None = None,
                     by: str | None = None, basis: str | None = None, *,
                     partners: Iterable[str] | None = None, now: datetime | None = None,
                     rules: WindowRules | None = None) -> dict:
    """Spend KPIs per partner and combined for each period of the window, from the maintained
    aggregates of current returns, and the charter figures for the whole window. ``partners``
    (slugs) keeps to some of the place's partners, for like-for-like comparisons; ``now``
    decides which windows without a return are not due, open or missing."""
    window = parse_window(first, last, by, basis)
    with uow:
        places = registry.Places(uow)
        place = places.find(ref, "place")
        parent = places.get(place.parent_id)
        region = parent.lad_codes if parent else place.lad_codes
        chosen = None if partners is None else set(partners)
        partners = [partner for _, partner in registry.partners_of(uow, [place.id])
                    if chosen is None or partner.slug in chosen]
        ids = [p.id for p in partners]
        threshold = (registry.comparable_threshold(partners)
                     if window.basis == "comparable" else Decimal("0.00"))
        table = spend_table(uow, ids, window.buckets, place.lad_codes, region, threshold,
                            band_checked=True)
        returns, status = returns_and_status(uow, partners, window.quarters, now=now,
                                             rules=rules)
        sources = lineage(returns, window.buckets)
        periods = [{
            "period": label,
            "partners": [{"slug": p.slug, "name": p.name,
                          "kpis": table.get((label, p.id)) or kpis(),
                          "returns": sources.get((label, p.id), [])} for p in partners],
            "combined": {"kpis": table.get((label, None)) or kpis()},
        } for label in window.labels]
        commitments = charter.commitments_of(uow, place.id)
        view = {
            "place": place_dict(place), "from": window.first, "to": window.last,
            "by": window.by, "basis": window.basis,
            "periods": periods,
            "commitments": charter.scoreboard(uow, commitments, partners, returns),
            "measures": measures(uow, returns),
            "contributions": charter.contributions(uow, returns),
            "submission_status": status,
            "completeness": completeness(uow, [(place.slug, place.name, ids)],
                                         window.quarters, now or utcnow(), rules),
        }
        if window.basis == "comparable":
            view["threshold"] = str(threshold)
        return view

