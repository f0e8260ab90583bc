"""The partnership board's and the MCA's dashboards, for anyone signed in (every person holds
views:read and feeds:read: exchange.oauth.scopes.USER_SCOPES). Every figure comes from the
views (exchange.views); these routes only read the range asked for and lay the page out."""

from flask import Blueprint, Response, current_app, render_template, request

from exchange.context import get_uow
from exchange.csvsafe import csv_bytes
from exchange.errors import Forbidden, NotFound
from exchange.feeds import reading
from exchange.feeds.datasets import DATASETS
from exchange.models.base import utcnow
from exchange.pages import dashboard_charts
from exchange.pages.dashboard_range import BASIS_LABELS, canonical, default_year, read_range
from exchange.pages.mca_figures import mca_dashboard
from exchange.pages.partnership_figures import partnership_dashboard
from exchange.services.cycle.windows import WindowRules
from exchange.views.audience import require_member
from exchange.views.partnership import find_place
from exchange.web.access import login_required, signed_in_user

blp = Blueprint("dashboards", __name__, url_prefix="/dashboard")
FEED_PAGE = 5000


@blp.get("/")
@login_required
def index():
    """Every place partnership's and sub-region's dashboard."""
    with get_uow() as uow:
        places = uow.places.all()
    return render_template("pages/dashboards/index.html",
                           partnerships=[p for p in places if p.kind == "place"],
                           subregions=[p for p in places if p.kind == "subregion"])


@blp.get("/partnership/<place>")
@login_required
def partnership(place: str):
    """A place partnership's figures for a range of periods, against a year earlier."""
    found, partner_ids = _place_and_partners(place, "place")
    refused = _outsider(place, "place")
    if refused:
        return refused
    now, rules = utcnow(), WindowRules.from_config(current_app.config)
    choice = read_range(request.args, default_year(get_uow(), partner_ids, now, rules))
    if not choice.valid:
        return _range_form("pages/dashboards/partnership.html", found, choice), 400
    first, last = canonical(choice)
    figures = partnership_dashboard(get_uow(), found.slug, first, last, choice.basis,
                                    signed_in_user().partner.slug, now, rules)
    return render_template("pages/dashboards/partnership.html", place=found, choice=choice,
                           bases=BASIS_LABELS, figures=figures,
                           charts=dashboard_charts.partnership_charts(figures))


@blp.get("/mca/<subregion>")
@login_required
def mca(subregion: str):
    """A sub-region's figures per place, the flows of spend between places, and its releases."""
    found, partner_ids = _place_and_partners(subregion, "subregion")
    rules = WindowRules.from_config(current_app.config)
    choice = read_range(request.args, default_year(get_uow(), partner_ids, utcnow(), rules))
    if not choice.valid:
        return _range_form("pages/dashboards/mca.html", found, choice), 400
    first, last = canonical(choice)
    live = _outsider(subregion, "subregion") is None
    figures = mca_dashboard(get_uow(), found.slug, first, last, choice.basis, live)
    charts = dashboard_charts.mca_charts(figures, figures["lad_names"]) if live else []
    return render_template("pages/dashboards/mca.html", place=found, choice=choice,
                           bases=BASIS_LABELS, figures=figures, charts=charts)


@blp.get("/mca/<subregion>/releases/<int:release_id>/<dataset>.csv")
@login_required
def release_csv(subregion: str, release_id: int, dataset: str):
    """One dataset of a published release as CSV: what the MCA's feed serves, whole."""
    if dataset not in DATASETS:
        raise NotFound(f"There is no dataset {dataset!r}; there are {', '.join(DATASETS)}.")
    rows, cursor = [], None
    while True:
        page = reading.dataset_page(get_uow(), subregion, release_id, dataset, cursor, FEED_PAGE)
        rows += page.rows
        cursor = page.next_cursor
        if cursor is None:
            break
    release = page.release
    name = f"{release['subregion']}-{release['period']}-v{release['version']}-{dataset}.csv"
    body = csv_bytes(page.columns, ([_feed_cell(row.get(c), c) for c in page.columns]
                                    for row in rows))
    return Response(body, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _feed_cell(value, column: str):
    """As the feed API writes CSV: suppressed cells listed by name, booleans as words."""
    if column == "suppressed":
        return " ".join(value or [])
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _place_and_partners(ref: str, kind: str):
    """The place (404 when there is none) and the partners whose returns it shows: a
    sub-region's are those of all its places, so every partner of the hub."""
    with get_uow() as uow:
        found = find_place(uow, ref, kind)
        members = uow.partners.for_place(found.id) if kind == "place" else uow.partners.all()
        return found, [p.id for p in members]


def _outsider(ref: str, kind: str):
    """None for a partner of the place (of every place of a sub-region); for anyone else, the
    page that says where its disclosure-controlled figures are (exchange.views.audience)."""
    try:
        require_member(get_uow(), signed_in_user().partner.slug, ref, kind)
    except Forbidden as err:
        return render_template("pages/errors/error.html", title="These figures are not yours "
                               "to see", text=err.message), 403
    return None


def _range_form(template: str, place, choice):
    return render_template(template, place=place, choice=choice, bases=BASIS_LABELS,
                           figures=None, charts=[])
