"""The reports of a place partnership: the annual Social Value report and the mid-year position
report, in the browser and as PDF.

The partnership's own partners may read them, signed in or with a client holding ``views:read``;
anyone else (the MCA, other places' partners) is refused and pointed to the disclosure-controlled
releases (exchange.views.audience), as the reports carry per-partner figures. The HTML page is
always built from the data as it stands. The PDF
is the latest stored one (``hub`` scheduler's reports) when its data has not changed since,
otherwise it is rendered from the same HTML on the fly, at most LIVE_PDF_RATE_LIMIT times per
person or client (a render costs seconds of CPU); the X-Report-Source header says which."""

from functools import wraps

from flask import (
    Blueprint,
    Response,
    current_app,
    g,
    redirect,
    render_template,
    request,
    url_for,
)

from exchange.auth import require_scope
from exchange.context import get_blobs, get_uow
from exchange.errors import ExchangeError
from exchange.models.base import utcnow
from exchange.pages.auth import current_user
from exchange.periods import Period
from exchange.repositories.users import UserRepository
from exchange.services.cycle.windows import WindowRules
from exchange.services.reports import documents, generation
from exchange.views.audience import members, require_member
from exchange.views.catalogue import current_periods
from exchange.web import render_limits

blp = Blueprint("reports", __name__)
KINDS = 'any(annual, "mid-year")'


def readers_only(view):
    """The view, for those who may read reports; anyone else gets the refusal of _refused."""
    @wraps(view)
    def guarded(*args, **kwargs):
        refused = _refused()
        return refused if refused is not None else view(*args, **kwargs)
    return guarded


@blp.get("/reports")
@readers_only
def index():
    """The reports of the partnerships the asker belongs to, for each year that has returns."""
    return render_template("pages/reports/index.html", places=_places_and_years(_viewer()))


@blp.get(f"/reports/<place>/<{KINDS}:kind>/<year>")
@readers_only
def report_page(place: str, kind: str, year: str):
    """A report as a web page, built from the data as it stands now."""
    try:
        report, stored = _report_and_stored(place, kind, year)
    except ExchangeError as err:
        return _failure(err)
    return render_template("pages/reports/report.html", report=report, stored=stored,
                           body=documents.render_body(report),
                           pdf_url=url_for("reports.report_pdf", place=place, kind=kind,
                                           year=year))


@blp.get(f"/reports/<place>/<{KINDS}:kind>/<year>.pdf")
@readers_only
def report_pdf(place: str, kind: str, year: str):
    """A report as PDF: the stored one while its data is unchanged, else rendered now."""
    try:
        report, stored = _report_and_stored(place, kind, year)
    except ExchangeError as err:
        return _failure(err)
    pdf, source = _stored_pdf(stored) if stored and stored.fingerprint == report[
        "fingerprint"] else (None, "live")
    if pdf is None:
        wait = render_limits.refused(_reader())
        if wait is not None:
            return _too_many(wait)
        pdf = documents.render_pdf(documents.render_document(report))
    name = f"{report['place']['slug']}-{kind}-report-{report['year']}.pdf"
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{name}"', "X-Report-Source": source,
        "Cache-Control": "no-store"})


def _reader() -> str:
    """Who is reading: the client or person of the bearer token (checked by _refused), else
    the signed-in person."""
    if request.headers.get("Authorization"):
        return f"user:{g.user.id}" if g.get("user") else f"client:{g.token.client_id}"
    with get_uow() as uow:
        return f"user:{current_user(UserRepository(uow.session)).id}"


def _too_many(wait: int):
    minutes = max(1, round(wait / 60))
    return render_template(
        "pages/reports/error.html", title="Too many PDFs made just now",
        message=f"Making a PDF of a report with the latest figures takes the hub a few "
                f"seconds, so each person may have only a few made at a time. Try again in "
                f"about {minutes} minutes, or read the report as a web page, which is always up "
                f"to date."), 429, {"Retry-After": str(wait)}


def _stored_pdf(stored) -> tuple[bytes | None, str]:
    try:
        with get_blobs().open(stored.pdf_sha256) as blob:
            return blob.read(), f"stored; id={stored.id}"
    except FileNotFoundError:
        return None, "live"


def _report_and_stored(place: str, kind: str, year: str):
    """The report built from the data as it stands, and the latest stored one (or None); 403
    for anyone outside the partnership."""
    require_member(get_uow(), _viewer(), place, "place")
    report = generation.build_report(get_uow(), place, kind, year, utcnow(),
                                  WindowRules.from_config(current_app.config))
    return report, generation.latest_report(get_uow(), place, kind, year)


def _refused() -> Response | None:
    """None when the request may read reports; otherwise the response that refuses it: a
    bearer token is checked for ``views:read`` (401/403), a browser is sent to sign in."""
    if request.headers.get("Authorization"):
        return require_scope("views:read")(lambda: None)()
    if not _signed_in():
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    return None


def _viewer() -> str | None:
    """The slug of the partner asking: the token's, or the signed-in person's."""
    if request.headers.get("Authorization"):
        return g.partner.slug
    with get_uow() as uow:
        user = current_user(UserRepository(uow.session))
        return user.partner.slug if user else None


def _signed_in() -> bool:
    # Read the session afresh rather than through g, which outlives a request when the caller
    # holds the app context (as the tests do).
    with get_uow() as uow:
        return current_user(UserRepository(uow.session)) is not None


def _failure(err: ExchangeError):
    titles = {400: "This is not a report we can make", 403: "This report is not yours to see",
              404: "There is no such report"}
    title = titles.get(err.status, "The report could not be made")
    return render_template("pages/reports/error.html", title=title,
                           message=err.message), err.status


def _places_and_years(viewer: str | None) -> list[dict]:
    with get_uow() as uow:
        out = []
        for place in uow.places.all():
            if place.kind != "place" or viewer not in members(uow, place):
                continue
            ids = [p.id for p in uow.partners.for_place(place.id)]
            periods = current_periods(uow, ids)
            years = sorted({str(Period.parse(p).financial_year) for p in periods}, reverse=True)
            out.append({"slug": place.slug,
                        "name": place.partnership_name or place.name, "years": years})
        return out
