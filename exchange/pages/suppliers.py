"""The supplier worklist page: the partner's unlocated suppliers, biggest spend first, a form to
give what the partner knows about one or many of them, the list as a suppliers-return template,
and the review list of other partners' entries that match by name alone."""

from flask import Blueprint, redirect, render_template, request, session, url_for

from exchange.api.suppliers import template_response
from exchange.context import get_uow
from exchange.errors import ExchangeError
from exchange.services.cycle.approvals import actor_of
from exchange.services.directory import worklist
from exchange.web.access import login_required, signed_in_user
from exchange.web.error_pages import use_error_pages

blp = Blueprint("suppliers_page", __name__)
use_error_pages(blp)
FIELDS = ("postcode", "company_number", "charity_number", "sme", "vcse")
SAVED_KEY = "suppliers_saved"
SHOWN = 200  # suppliers listed on the page; the template holds up to 1,000


@blp.get("/suppliers")
@login_required
def worklist_page():
    """The worklist and review list of the signed-in person's partner."""
    return _page({}, {}, session.pop(SAVED_KEY, None))


@blp.post("/suppliers")
@login_required
def state():
    """Save what was given for the suppliers whose row has anything filled in."""
    user = signed_in_user()
    rows = _form_rows()
    entries = [entry for _, entry in rows]
    try:
        ids = worklist.state_suppliers(get_uow(), user.partner_id, user.partner.slug,
                                       actor_of(user), entries)
    except ExchangeError as err:
        return _page(_row_errors(err, rows), dict(request.form)), 400
    session[SAVED_KEY] = f"Saved what you gave for {len(ids)} supplier" + (
        "" if len(ids) == 1 else "s") + ". Your figures use it from the next rebuild."
    return redirect(url_for("suppliers_page.worklist_page"))


@blp.post("/suppliers/reviews/<int:review_id>")
@login_required
def decide(review_id: int):
    """Confirm or reject one name-only match; another partner's review is a 404."""
    user = signed_in_user()
    confirm = request.form.get("decision") == "confirm"
    try:
        worklist.decide_review(get_uow(), user.partner_id, user.partner.slug, actor_of(user),
                               review_id, confirm)
    except ExchangeError as err:
        if err.status == 404:
            raise
        return _page({f"review-{review_id}": err.message}, {}), err.status
    session[SAVED_KEY] = ("Confirmed: that supplier's entry places your lines from the next "
                          "rebuild." if confirm else "Rejected: the match will not be used.")
    return redirect(url_for("suppliers_page.worklist_page"))


@blp.get("/suppliers/unlocated-suppliers.csv")
@login_required
def template():
    """The worklist as a suppliers return to fill in and upload."""
    user = signed_in_user()
    return template_response(user.partner.slug, user.partner_id)


def _form_rows() -> list[tuple[int, dict]]:
    """(row on the page, entry) for each row with anything filled in."""
    rows = []
    for index in range(int(request.form.get("count", "0") or 0)):
        entry = {name: request.form.get(f"{name}-{index}", "").strip() for name in FIELDS}
        if entry["sme"] == "unknown":
            entry["sme"] = ""
        if entry["vcse"] == "unknown":
            entry["vcse"] = ""
        if any(entry.values()):
            entry["name"] = request.form.get(f"name-{index}", "")
            entry["supplier_id"] = request.form.get(f"supplier_id-{index}", "")
            rows.append((index, entry))
    return rows[:1000]


def _row_errors(err: ExchangeError, rows: list[tuple[int, dict]]) -> dict[str, str]:
    """The service's errors ("supplier N" -> field -> messages) keyed by the page's fields."""
    if not rows:
        return {"postcode-0": "Fill in at least one supplier's row before saving."}
    errors = {}
    for key, problems in (err.errors or {}).items():
        number = key.removeprefix("supplier ")
        if not number.isdigit() or int(number) > len(rows):
            errors["postcode-0"] = err.message
            continue
        index, entry = rows[int(number) - 1]
        for field, messages in problems.items():
            errors[f"{field}-{index}"] = f"{entry.get('name')}: {' '.join(messages)}"
    return errors or {"postcode-0": err.message}


def _page(errors: dict, form: dict, saved: str | None = None):
    user = signed_in_user()
    suppliers, _ = worklist.unlocated_suppliers(get_uow(), user.partner_id, SHOWN)
    reviews = worklist.review_list(get_uow(), user.partner_id)
    return render_template("pages/suppliers/worklist.html", suppliers=suppliers,
                           reviews=reviews, errors=errors, form=form, saved=saved)
