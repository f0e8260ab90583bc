"""One disclosure rule for whoever is outside a partnership: a place's live figures (per partner,
per supplier flow, per measure) are for the partners of that place. Anyone else — the MCA's
people and clients, other places' partners — gets its figures only through disclosure control:
the feeds' releases (exchange.feeds), whose cells are suppressed as SPEC section 4 says."""

from exchange.errors import Forbidden
from exchange.unit_of_work import UnitOfWork
from exchange.views import registry
from exchange.views.registry import PlaceRow

OUTSIDE = ("The live figures of {place} are for its partnership's members. Its figures for "
           "everyone else are in the MCA's disclosure-controlled releases: "
           "/api/v1/feeds/{subregion}/releases, or the {subregion} dashboard.")


def members(uow: UnitOfWork, place: PlaceRow) -> set[str]:
    """The slugs of the place's partners; for a sub-region, of the partners of every one of its
    places (a police force or fire service that belongs to all of them)."""
    places = registry.Places(uow)
    if place.kind != "subregion":
        return {p.slug for _, p in registry.partners_of(uow, [place.id])}
    children = places.children(place)
    if not children:
        return set()
    found = [{p.slug for _, p in registry.partners_of(uow, [c.id])} for c in children]
    return set.intersection(*found)


def is_member(uow: UnitOfWork, viewer: str | None, place: PlaceRow) -> bool:
    return viewer is not None and viewer in members(uow, place)


def require_member(uow: UnitOfWork, viewer: str | None, ref: str, kind: str) -> None:
    """403, saying where the controlled figures are, unless ``viewer`` (a partner slug) is a
    member of the place (or of every place of the sub-region)."""
    with uow:
        place = registry.Places(uow).find(ref, kind)
        if is_member(uow, viewer, place):
            return
        parent = registry.Places(uow).get(place.parent_id) if place.parent_id else place
        raise Forbidden(OUTSIDE.format(place=place.name, subregion=parent.slug))
