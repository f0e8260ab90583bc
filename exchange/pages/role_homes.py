"""Which home page a person gets, and what the homes of the roles that are not a partner's
data officer show: the board's headline figures, the MCA analyst's sub-regional view and latest
release, the administrator's cycle status. (A data officer's and an approver's home is
exchange.pages.partner_home.) Read-only, from exchange.views and the services' reads."""

from datetime import datetime

from exchange.models import Place
from exchange.models.users import User
from exchange.pages import formatting
from exchange.pages.dashboard_range import canonical, default_year, read_range
from exchange.pages.partnership_figures import kpi_cards
from exchange.scheduling.registry import scheduled_jobs
from exchange.services.cycle import windows
from exchange.services.cycle.release_schedule import due_releases
from exchange.unit_of_work import UnitOfWork
from exchange.views import catalogue
from exchange.views.comparison import compare_with_year_before
from exchange.views.partnership import partnership_view

BOARD_KPIS = ("total_spend", "local_share", "subregional_share", "sme_share", "vcse_share",
              "local_suppliers", "located_share")
CYCLE_QUARTERS = 4


def persona(user: User, rules: windows.WindowRules) -> str:
    """admin, board, approver, analyst (a partner that owes no returns: the combined
    authority) or officer (a partner's data officer)."""
    for role in ("admin", "board", "approver"):
        if user.has_role(role):
            return role
    return "officer" if rules.kinds_for(user.partner.kind) else "analyst"


def places_of(uow: UnitOfWork, partner_id: int) -> tuple[Place | None, Place | None]:
    """The partner's place partnership and sub-region (the place's parent, or the sub-region
    it belongs to itself, or the hub's first)."""
    with uow:
        everything = uow.places.all()
        mine = [p for p in everything
                if any(m.id == partner_id for m in uow.partners.for_place(p.id))]
        place = next((p for p in mine if p.kind == "place"), None)
        parent = next((p for p in everything if place and p.id == place.parent_id), None)
        subregion = (parent or next((p for p in mine if p.kind == "subregion"), None)
                     or next((p for p in everything if p.kind == "subregion"), None))
        return place, subregion


def board_home(uow: UnitOfWork, user: User, now: datetime, rules: windows.WindowRules) -> dict:
    """The partnership's headline figures for the latest complete year, against a year
    earlier like for like, with the dashboard and the reports a click away."""
    place, _ = places_of(uow, user.partner_id)
    if place is None:
        return {"place": None}
    with uow:
        partner_ids = [p.id for p in uow.partners.for_place(place.id)]
    year = default_year(uow, partner_ids, now, rules)
    first, last = canonical(read_range({}, year))
    view = partnership_view(uow, place.slug, first, last, "total", "as_submitted", now=now,
                            rules=rules)
    comparison = compare_with_year_before(uow, place.slug, first, last, "as_submitted", now,
                                          rules)
    cards = kpi_cards(view["periods"][0]["combined"]["kpis"], comparison["kpis"])
    return {"place": place, "year": year, "cards": [c for c in cards if c["key"] in BOARD_KPIS],
            "comparison": comparison}


def analyst_home(uow: UnitOfWork, user: User) -> dict:
    """The sub-region the analyst's view is of, and its latest releases."""
    _, subregion = places_of(uow, user.partner_id)
    return {"subregion": subregion, "releases": _releases(uow, subregion)}


def _releases(uow: UnitOfWork, subregion: Place | None) -> list[dict]:
    return catalogue.latest_releases(uow, subregion.id) if subregion is not None else []


def admin_home(uow: UnitOfWork, user: User, now: datetime, rules: windows.WindowRules,
               config) -> dict:
    """The cycle at a glance: the last quarters' windows by status, the releases of each
    sub-region, and each scheduled job's last run."""
    overview = windows.periods_overview(uow, now, rules=rules)[-CYCLE_QUARTERS:][::-1]
    _, subregion = places_of(uow, user.partner_id)
    last_runs = catalogue.last_job_runs(uow)
    jobs = [{"id": job.id, "description": job.description, "schedule": job.cron,
             "last": last_runs.get(job.id)} for job in scheduled_jobs(config)]
    return {"quarters": overview, "subregion": subregion,
            "releases": _releases(uow, subregion), "jobs": jobs,
            "release_quarters": _unreleased(uow, int(config["RELEASE_GRACE_DAYS"]), now, rules)}


def _unreleased(uow: UnitOfWork, grace_days: int, now: datetime,
                rules: windows.WindowRules) -> list[str]:
    """The releases the scheduler's publish_releases job would publish now (past deadlines and
    grace, with returns that differ from the latest release's): '2026-27-Q2 of south-yorkshire'."""
    return [f"{due.period} of {due.subregion}"
            for due in due_releases(uow, now, grace_days, rules)]


STATUS_WORDS = {"open": "open", "missing": "overdue", "submitted": "submitted",
                "approved": "approved", "late": "submitted late", "not_due": "not open yet"}


def status_counts(counts: dict) -> str:
    """'12 submitted, 3 overdue, 5 open' (statuses with none left out)."""
    parts = [f"{formatting.number(n)} {STATUS_WORDS.get(s, s)}" for s, n in counts.items() if n]
    return ", ".join(parts) or "none owed"
