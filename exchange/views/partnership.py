"""The partnership view: one place partnership's spend KPIs per partner and combined, with
lineage, charter scoreboard, measures, contributions and who has submitted what."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from exchange.errors import NotFound
from exchange.models import Place
from exchange.unit_of_work import UnitOfWork
from exchange.views import charter
from exchange.views.common import current_returns, lineage, parse_window, submission_status
from exchange.views.spend import kpis, spend_table, threshold_for


def place_dict(place: Place) -> dict:
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
                     by: str | None = None, basis: str | None = None) -> dict:
    """Spend KPIs per partner and combined for each period of the window, from the maintained
    aggregates of current returns, and the charter figures for the whole window."""
    window = parse_window(first, last, by, basis)
    with uow:
        place = find_place(uow, ref, "place")
        parent = uow.session.get(Place, place.parent_id) if place.parent_id else None
        region = parent.lad_codes if parent else place.lad_codes
        partners = uow.partners.for_place(place.id)
        ids = [p.id for p in partners]
        threshold = threshold_for(uow, ids, window.basis)
        table = spend_table(uow, ids, window.buckets, place.lad_codes, region, threshold)
        returns = current_returns(uow, ids, window.quarters)
        sources = lineage(returns, window.buckets)
        periods = [{
            "period": label,
            "partners": [{"slug": p.slug, "name": p.name,
                          "kpis": table.get((label, p.id)) or kpis(),
                          "returns": sources.get((label, p.id), [])} for p in partners],
            "combined": {"kpis": table.get((label, None)) or kpis()},
        } for label in window.labels]
        commitments = uow.places.commitments(place.id)
        view = {
            "place": place_dict(place), "from": window.first, "to": window.last,
            "by": window.by, "basis": window.basis,
            "periods": periods,
            "commitments": charter.scoreboard(uow, commitments, partners, returns),
            "measures": charter.measures(uow, returns),
            "contributions": charter.contributions(uow, returns),
            "submission_status": submission_status(uow, partners, window.quarters),
        }
        if window.basis == "comparable":
            view["threshold"] = str(threshold)
        return view


def subregion_places(uow: UnitOfWork, subregion: Place) -> list[Place]:
    stmt = (select(Place).where(Place.parent_id == subregion.id).order_by(Place.slug)
            .options(selectinload(Place.lads)))
    return list(uow.session.scalars(stmt))
