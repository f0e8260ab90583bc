"""The header navigation, by role: only links to pages that exist in this app.

Other areas (dashboards, reports, administration) register their own blueprints; a link shows
once a route answers its path, so the header never links to a 404."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import Flask, current_app, request
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

from exchange.context import get_uow
from exchange.models import Place
from exchange.services.cycle.windows import WindowRules
from exchange.web.access import signed_in_user


@dataclass(frozen=True)
class NavItem:
    text: str
    href: str
    current: bool = False


def routed(path: str) -> str | None:
    """The path as some route of this app answers GET on it (``/admin`` may be ``/admin/``),
    or None when no route does."""
    adapter = current_app.url_map.bind("localhost")
    try:
        adapter.match(path, method="GET")
    except RequestRedirect as redirect:
        return urlsplit(redirect.new_url).path
    except (NotFound, MethodNotAllowed):
        return None
    return path


def candidate_links(user) -> list[tuple[str, str]]:
    """Every link this person might see, in header order."""
    if user is None:
        return [("Home", "/")]
    place, subregion = _places_of(user.partner_id)
    links = [("Home", "/")]
    # Upload, Returns and Suppliers are for a partner that owes returns, and not for its board
    # members (unless they also approve).
    owes = WindowRules.from_config(current_app.config).kinds_for(user.partner.kind)
    if owes and (not user.has_role("board") or user.has_role("approver")):
        links += [("Upload", "/upload"), ("Returns", "/returns"), ("Suppliers", "/suppliers")]
    if user.has_role("approver"):
        links.append(("Approvals", "/approvals"))
    # Everyone signed in may read the views: someone outside any place partnership (the
    # combined authority's analysts, the hub's administrators) gets the index of dashboards.
    links.append(("Dashboard", f"/dashboard/partnership/{place}" if place else "/dashboard/"))
    if subregion:
        links.append(("MCA", f"/dashboard/mca/{subregion}"))
    links.append(("Reports", "/reports"))
    if user.has_role("admin"):
        links.append(("Admin", "/admin"))
    return links


def _places_of(partner_id: int) -> tuple[str | None, str | None]:
    """The slug of the partner's (first) place partnership, and of its sub-region: the place's
    parent, or the sub-region the partner belongs to itself (the combined authority)."""
    with get_uow() as uow:
        mine = [p for p in uow.places.all()
                if any(partner.id == partner_id for partner in uow.partners.for_place(p.id))]
        place = next((p for p in mine if p.kind == "place"), None)
        parent = uow.session.get(Place, place.parent_id) if place and place.parent_id else None
        subregion = (parent or next((p for p in mine if p.kind != "place"), None)
                     or next((p for p in uow.places.all() if p.kind != "place"), None))
        return (place.slug if place else None), (subregion.slug if subregion else None)


def nav_items() -> list[NavItem]:
    """The header links for the signed-in person (or a visitor), the current one marked."""
    here = request.path
    items = []
    for text, wanted in candidate_links(signed_in_user()):
        href = routed(wanted)
        if href is None:
            continue
        current = here == href if href == "/" else here.startswith(wanted)
        items.append(NavItem(text, href, current))
    return items


def init_app(app: Flask) -> None:
    app.jinja_env.globals["nav_items"] = nav_items
    app.jinja_env.globals["signed_in_user"] = signed_in_user
