"""Upload a return from the browser: the same submit_return as the API, its report as a page.

"Check only" is the API's dry run: the file is validated and nothing of it is stored. The issues
of a check are kept for the session that checked it (``check_report``), for the CSV.

A file whose key columns cannot be recognised from their headings leads to a mapping step, not an
error page: one select per field, prefilled with the best guesses, beside sample values. The
choice is sent as the API's ``columns`` and remembered like a mapping sent to the API. The file
of a check waiting for its mapping is the one thing a check keeps: its bytes, which the mapping
step reads again; unreferenced, `hub blobs gc` removes them after its grace period."""

from flask import Blueprint, Response, abort, current_app, render_template, request, session

from exchange.api.uploads import keep_upload
from exchange.context import get_blobs, get_read_limits, get_uow
from exchange.csvsafe import csv_bytes
from exchange.errors import ExchangeError, Unprocessable, UnsupportedMediaType
from exchange.ingest.check_reports import check_issues, keep_check
from exchange.ingest.checked_uploads import Limits, has_checked, keep_checked, take_checked
from exchange.ingest.mappings import mapping_step
from exchange.ingest.receipts import Receipt
from exchange.ingest.submissions import StoredFile, Submission, check_envelope, submit_return
from exchange.models.base import utcnow
from exchange.pages.partner_home import first_due, partner_home, upload_quarters
from exchange.services.cycle.approvals import actor_of
from exchange.web.access import SESSION_KEY, login_required, signed_in_user
from exchange.web.error_pages import use_error_pages
from partners import FIELDS, REQUIRED
from partners.template.labels import label
from schemas import KINDS

blp = Blueprint("upload", __name__)
use_error_pages(blp)

ACTIONS = (("check", "Check only", "Validate the file and show its issues; nothing is stored."),
           ("submit", "Submit", "Validate the file and, with no errors, store it as your return."))
ISSUE_COLUMNS = ["severity", "row", "column", "column_letter", "value", "code", "message"]
SHOWN_ISSUES = 500
CHECKS_KEY = "checks"  # the ids of this session's last few checks (exchange.models.checks)
MAPPING_KEY = "files_to_map"  # the SHA-256 of this session's files waiting for a mapping
KEPT_CHECKS = 5


@blp.route("/upload", methods=["GET", "POST"])
@login_required
def upload():
    """The upload form (GET), and its report or the form again with what is wrong (POST)."""
    form = {name: (request.values.get(name) or "").strip() for name in ("kind", "period", "action")}
    if request.method == "GET":
        return _form(form, {})
    upload_file = request.files.get("file")
    errors = {}
    if upload_file is None or not upload_file.filename:
        errors["file"] = "Select the file of your return."
    errors.update(_form_errors(form))
    if errors:
        return _form(form, errors), 400
    try:
        receipt, check_id, step = _submit(form, upload_file)
    except UnsupportedMediaType as err:
        return _form(form, {"file": err.message}), 400
    except Unprocessable as err:
        return _form(form, _field_errors(err)), 400
    except ExchangeError as err:
        return _form(form, {"file": err.message}), 400
    if step is not None:
        session[MAPPING_KEY] = [receipt.sha256, *session.get(MAPPING_KEY, [])][:KEPT_CHECKS]
        return _columns(form, step, receipt.sha256, upload_file.filename, {}, {})
    return _report(receipt, form, upload_file.filename, check_id)


def _needs_mapping(receipt: Receipt) -> bool:
    """Refused on its headings alone: one file-level issue and no row read."""
    return (receipt.status == "rejected" and receipt.rows == 0
            and [i.code for i in receipt.issues] == ["file.unreadable"])


@blp.post("/upload/columns")
@login_required
def choose_columns():
    """The mapping step's answer: read the kept file again with the columns chosen."""
    form = {name: (request.form.get(name) or "").strip() for name in ("kind", "period", "action")}
    sha, filename = request.form.get("sha256", ""), request.form.get("filename") or None
    if sha not in session.get(MAPPING_KEY, []) or form["kind"] not in KINDS or _form_errors(form):
        abort(404)
    kind = form["kind"]
    chosen = {name: request.form.get(f"column-{name}", "").strip() for name in FIELDS[kind]}
    user = signed_in_user()
    stored = StoredFile(sha, get_blobs().size(sha), filename)
    errors = _mapping_errors(kind, chosen)
    if errors:
        step = mapping_step(get_uow(), get_blobs(), user.partner.slug, kind, stored)
        if step is None:
            abort(404)
        return _columns(form, step, sha, filename, chosen, errors), 400
    sub = Submission(user.partner.slug, kind, form["period"], actor_of(user),
                     dry_run=form["action"] == "check",
                     columns={name: heading or None for name, heading in chosen.items()})
    receipt = submit_return(sub, stored, get_uow(), get_blobs())
    return _report(receipt, form, filename, _keep_check(receipt) if sub.dry_run else None)


def _mapping_errors(kind: str, chosen: dict) -> dict:
    """A needed field left without a column, or one column chosen for two fields."""
    errors = {}
    for group in REQUIRED[kind]:
        if not any(chosen.get(name) for name in group):
            what = " or ".join(label(kind, name).lower() for name in group)
            errors[f"column-{group[0]}"] = f"Choose the column that holds the {what}."
    seen: dict[str, str] = {}
    for name, heading in chosen.items():
        if heading and heading in seen:
            errors[f"column-{name}"] = (f"'{heading}' is already chosen for the "
                                        f"{label(kind, seen[heading]).lower()}.")
        seen.setdefault(heading, name)
    return errors


def _columns(form: dict, step: dict, sha: str, filename: str | None, chosen: dict,
             errors: dict):
    columns = step["columns"]
    rows = [(c["letter"], c["heading"], "; ".join(c["samples"])) for c in columns]
    options = [(c["heading"], f"{c['letter']}: {c['heading']}"
                + (f" (e.g. {', '.join(c['samples'][:2])})" if c["samples"] else ""))
               for c in columns]
    return render_template("pages/upload/columns.html", form=form, step=step, sha256=sha,
                           filename=filename, chosen=chosen, errors=errors, rows=rows,
                           options=options, label=lambda name: label(form["kind"], name))


def _form_errors(form: dict) -> dict:
    errors = {}
    if form["kind"] not in KINDS:
        errors["kind"] = "Select the kind of return."
    if not form["period"]:
        errors["period"] = "Choose the quarter the return is for."
    else:
        kind = form["kind"] if form["kind"] in KINDS else next(iter(KINDS))
        try:  # the period's rules are the API's; any kind will do to ask about the period
            form["period"] = check_envelope(kind, form["period"])
        except Unprocessable as err:
            errors.update(_field_errors(err))
    if form["action"] not in dict((a[0], a) for a in ACTIONS):
        errors["action"] = "Select whether to check the file only or to submit it."
    return errors


def _field_errors(err: ExchangeError) -> dict:
    fields = {"kind": "kind", "period": "period", "profile": "file"}
    found = {fields.get(name, "file"): " ".join(messages) if isinstance(messages, list)
             else str(messages) for name, messages in (err.errors or {}).items()}
    return found or {"file": err.message}


def _submit(form: dict, upload_file) -> tuple[Receipt, str | None, dict | None]:
    """The receipt; the id its issues are kept by when it was a check; and the mapping step
    when its columns could not be recognised."""
    user = signed_in_user()
    sub = Submission(user.partner.slug, form["kind"], form["period"], actor_of(user),
                     dry_run=form["action"] == "check")
    content = None
    with get_blobs().for_run(sub.dry_run) as blobs:  # a check keeps no bytes in the store…
        stored = keep_upload(blobs, upload_file, current_app.config["MAX_CONTENT_LENGTH"])
        receipt = submit_return(sub, stored, get_uow(), blobs, limits=get_read_limits())
        step = mapping_step(get_uow(), blobs, user.partner.slug, sub.kind, stored) \
            if _needs_mapping(receipt) else None
        if step is not None and sub.dry_run:  # …but for the mapping step, which reads them
            with blobs.open(stored.sha256) as stream:
                get_blobs().save(stream)
        elif sub.dry_run and receipt.status == "accepted" and stored.size <= _limits().max_bytes:
            with blobs.open(stored.sha256) as stream:  # …and, with its session, to submit
                content = stream.read()
    if sub.dry_run and step is None:
        check_id = _keep_check(receipt)
        if content is not None:
            keep_checked(get_uow(), session.get(SESSION_KEY), user.id, check_id, sub.kind,
                         sub.period, upload_file.filename, stored.sha256, content, utcnow(),
                         _limits())
        return receipt, check_id, None
    return receipt, None, step


def _limits() -> Limits:
    return Limits.from_config(current_app.config)


@blp.post("/upload/check/<check_id>/submit")
@login_required
def submit_checked(check_id: str):
    """"Submit this file" after a check: submits the very bytes checked, kept for this session
    (exchange.ingest.checked_uploads); gone (expired, submitted, signed out) asks for the file
    again."""
    if check_id not in session.get(CHECKS_KEY, []):
        abort(404)
    user = signed_in_user()
    taken = take_checked(get_uow(), session.get(SESSION_KEY), user.id, check_id, utcnow(),
                         _limits())
    if taken is None:
        form = {name: (request.form.get(name) or "").strip() for name in ("kind", "period")}
        gone = (f"The checked file is no longer kept (it is kept for {_limits().minutes} "
                "minutes, and only until it is submitted): select it again.")
        return _form({**form, "action": "submit"}, {"file": gone}), 400
    sha, size = get_blobs().save_bytes(taken.content)
    sub = Submission(user.partner.slug, taken.kind, taken.period, actor_of(user))
    receipt = submit_return(sub, StoredFile(sha, size, taken.filename), get_uow(), get_blobs(),
                            limits=get_read_limits())
    return _report(receipt, {"kind": taken.kind, "period": taken.period, "action": "submit"},
                   taken.filename, None)


def _keep_check(receipt: Receipt) -> str:
    """Keep a check's issues for this session (only it may download them); their id."""
    check_id = keep_check(get_uow(), signed_in_user().id, receipt, utcnow(),
                          current_app.config["CHECK_REPORT_HOURS"])
    session[CHECKS_KEY] = [check_id, *session.get(CHECKS_KEY, [])][:KEPT_CHECKS]
    return check_id


def _form(form: dict, errors: dict):
    """The form; the quarter is chosen from the quarters to date, the open and overdue ones
    marked, and on a first visit the first open or overdue window's kind and quarter chosen."""
    user, now = signed_in_user(), utcnow()
    if not form["period"] and not form["kind"] and not errors:
        first = first_due(partner_home(get_uow(), user, now).windows)
        if first:
            form = {**form, "kind": first[0], "period": first[1]}
    quarters = upload_quarters(get_uow(), user.partner_id, now)
    if form["period"] and form["period"] not in dict(quarters):
        quarters.append((form["period"], form["period"]))
    return render_template("pages/upload/form.html", form=form, errors=errors, kinds=KINDS,
                           actions=ACTIONS, quarters=quarters)


def _report(receipt: Receipt, form: dict, filename: str | None, check_id: str | None):
    summary = receipt.summary()
    kept = check_id is not None and has_checked(get_uow(), session.get(SESSION_KEY), check_id)
    return render_template("pages/upload/report.html", receipt=receipt, form=form,
                           filename=filename, shown=summary[:SHOWN_ISSUES], causes=len(summary),
                           check_id=check_id, kept=kept, kept_minutes=_limits().minutes)


@blp.get("/upload/check/<check_id>/issues.csv")
@login_required
def check_issues_csv(check_id: str):
    """The issues of a "check only" upload as CSV, as they were found when it was checked; only
    for a check made in this same session, by this same person."""
    if check_id not in session.get(CHECKS_KEY, []):
        abort(404)
    found = check_issues(get_uow(), check_id, signed_in_user().id)
    if found is None:
        abort(404)
    check, issues = found
    return issues_csv(issues, f"check-{check.kind}-{check.period}-issues.csv")


def issues_csv(issues, filename: str) -> Response:
    body = csv_bytes(ISSUE_COLUMNS, ([i.severity, i.row, i.column, i.column_letter, i.value,
                                      i.code, i.message] for i in issues))
    return Response(body, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
