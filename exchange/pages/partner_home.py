"""What a partner's home page shows: its open windows and deadlines, its last returns, and its
headline figures beside its partnership's. Read-only; the figures come from exchange.views."""

from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app

from exchange.errors import ExchangeError
from exchange.models import Place
from exchange.models.returns import ACCEPTED, PartnerReturn
from exchange.models.users import User
from exchange.pages import formatting
from exchange.services.cycle import windows
from exchange.unit_of_work import UnitOfWork
from exchange.views.partnership import partnership_view

HEADLINES = (("Total spend", "total_spend", "money"),
             ("Local share (of located spend)", "local_share", "share"),
             ("SME share", "sme_share", "share"), ("VCSE share", "vcse_share", "share"))
DUE = (windows.OPEN, windows.MISSING)


@dataclass
class PartnerHome:
    windows: list = field(default_factory=list)  # windows.ReturnState, open or overdue first
    recent: list[PartnerReturn] = field(default_factory=list)
    place: Place | None = None
    period: str | None = None  # the quarter the headline figures are for
    figures: list[tuple[str, str, str]] = field(default_factory=list)  # label, mine, theirs
    awaiting: list[PartnerReturn] = field(default_factory=list)  # for an approver to certify


def partner_home(uow: UnitOfWork, user: User, now: datetime) -> PartnerHome:
    """Everything the home page shows for ``user``'s partner, and only for it."""
    home = PartnerHome()
    with uow:
        home.windows = _windows(uow, user.partner_id, now)
        home.recent = uow.returns.for_partner(user.partner_id, limit=5)
        home.place = _place_of(uow, user.partner_id)
        home.period = _latest_spend_quarter(uow, user.partner_id)
        if user.has_role("approver"):
            home.awaiting = uow.returns.awaiting_approval(user.partner_id)
    if home.place is not None and home.period is not None:
        home.figures = _figures(uow, home.place.slug, home.period, user.partner_id)
    return home


def _windows(uow: UnitOfWork, partner_id: int, now: datetime) -> list:
    """Every open or overdue window of the cycle to date (an old quarter still owed too), and
    the last two quarters' windows whatever their state."""
    rules = windows.WindowRules.from_config(current_app.config)
    quarter = rules.current_quarter(now)
    recent = {str(quarter.previous), str(quarter)}
    found = windows.states(uow, windows.quarters_to_date(uow, now, rules), now, rules=rules,
                           partner_ids=[partner_id])
    shown = [s for s in found if s.status in DUE or str(s.period) in recent]
    return sorted(shown, key=lambda s: (s.status not in DUE, s.window.deadline, s.kind))


def _place_of(uow: UnitOfWork, partner_id: int) -> Place | None:
    for place in uow.places.all():
        if place.kind == "place" and any(p.id == partner_id
                                         for p in uow.partners.for_place(place.id)):
            return place
    return None


def _latest_spend_quarter(uow: UnitOfWork, partner_id: int) -> str | None:
    current = uow.returns.for_partner(partner_id, kind="spend", status=ACCEPTED, current=True,
                                      limit=1000)
    return max((r.period for r in current), default=None)


def _figures(uow: UnitOfWork, place: str, period: str, partner_id: int) -> list:
    """(label, this partner's figure, the partnership's) for each headline, written out, then
    how much of the spend was located: a local share withheld for too little located spend
    says so instead of a number."""
    try:
        view = partnership_view(uow, place, period)
    except ExchangeError:
        return []
    cell = view["periods"][0]
    mine = next((p["kpis"] for p in cell["partners"] if p["slug"] == _slug(uow, partner_id)), {})
    combined = cell["combined"]["kpis"]
    return [(label, formatting.figure(mine, key, kind), formatting.figure(combined, key, kind))
            for label, key, kind in HEADLINES] + [
        ("Spend located", formatting.coverage(mine), formatting.coverage(combined))]


def _slug(uow: UnitOfWork, partner_id: int) -> str | None:
    with uow:
        partner = uow.partners.get_by_id(partner_id)
        return partner.slug if partner else None


def upload_quarters(uow: UnitOfWork, partner_id: int, now: datetime, kind: str | None = None
                    ) -> list[tuple[str, str]]:
    """The quarters the upload form offers, newest first, each open or overdue window's quarter
    saying so: (value, text). Quarters not yet ended are left out."""
    rules = windows.WindowRules.from_config(current_app.config)
    current = rules.current_quarter(now)
    with uow:
        quarters = [q for q in windows.quarters_to_date(uow, now, rules) if q != current]
        found = windows.states(uow, quarters, now, rules=rules, partner_ids=[partner_id])
    due: dict[str, str] = {}
    for state in found:
        if state.status in DUE and (kind is None or state.kind == kind):
            word = "overdue" if state.status == windows.MISSING else "open"
            due.setdefault(state.period, f"{word}, due {state.window.deadline:%-d %B %Y}")
    return [(str(q), f"{q} ({q.describe()})" + (f": {due[str(q)]}" if str(q) in due else ""))
            for q in reversed(quarters)]


def first_due(home_windows: list) -> tuple[str, str] | None:
    """(kind, quarter) of the first open or overdue window."""
    for state in home_windows:
        if state.status in DUE:
            return state.kind, state.period
    return None
