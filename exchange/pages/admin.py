"""Administration, for people with the admin role only (anyone else gets 403): partners,
OAuth clients (create, with the secret shown once; revoke), people (create, disable, reset
the password, with the temporary one shown once), the MCA's releases (publish one), the jobs
(run one now) and their runs, and the outbox. Every change goes through a service, which writes
it to the audit log."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for

from exchange.context import get_uow
from exchange.emails import normalise_email
from exchange.errors import NotFound
from exchange.models.jobs import FAILED
from exchange.models.users import ROLES
from exchange.oauth.scopes import SCOPES
from exchange.pages import admin_forms
from exchange.scheduling.app import runner_for
from exchange.scheduling.registry import scheduled_jobs
from exchange.services.admin import accounts
from exchange.services.admin.passwords import reset_password
from exchange.services.admin.user_access import disable_user
from exchange.services.cycle.manual_runs import run_job_now
from exchange.views import admin_lists
from exchange.web.access import role_required, signed_in_user

blp = Blueprint("admin_pages", __name__, url_prefix="/admin")
ROLE_HINTS = {"approver": "Certifies returns someone else in their organisation submitted",
              "board": "Sits on the partnership board: a home of its headline figures",
              "admin": "Administers the hub: clients, people, releases, jobs"}


@blp.before_request
@role_required("admin")
def _admins_only():
    """Every page here, GET or POST: signed in with the admin role, or 403."""
    return None


@blp.errorhandler(403)
def _forbidden(_error):
    return render_template("pages/admin/forbidden.html"), 403


def _actor() -> str:
    return f"user:{signed_in_user().email}"


@blp.get("/")
def index():
    """What an administrator can do, and the latest admin actions."""
    return render_template("pages/admin/index.html",
                           actions=admin_lists.recent_admin_actions(get_uow()))


@blp.get("/partners")
def partners():
    """The partners of the registry (edited in config/, loaded with `hub config load`)."""
    return render_template("pages/admin/partners.html", partners=admin_lists.partners(get_uow()))


@blp.get("/clients")
def clients():
    """Every OAuth client, and the form to register one."""
    return _clients_page(admin_forms.client_values(request.args), {})


@blp.post("/clients")
def create_client():
    """Register a client; its secret is on this response and nowhere else, ever."""
    result = admin_forms.create_client(get_uow(), request.form, _actor())
    if result.errors:
        return _clients_page(result.values, result.errors), 400
    return render_template("pages/admin/client_created.html", client=result.created,
                           name=result.values["name"])


@blp.post("/clients/<client_id>/revoke")
def revoke_client(client_id: str):
    """Revoke a client and every token it holds."""
    count = accounts.revoke_client(get_uow(), client_id, actor=_actor())
    flash(f"Client {client_id} is revoked (live tokens revoked with it: {count}).", "success")
    return redirect(url_for("admin_pages.clients"))


@blp.get("/users")
def users():
    """Everyone who signs in, and the form to add a person."""
    return _users_page(admin_forms.user_values(request.args), {})


@blp.post("/users")
def create_user():
    """Add a person of a partner, with roles."""
    result = admin_forms.create_user(get_uow(), request.form, _actor())
    if result.errors:
        return _users_page(result.values, result.errors), 400
    flash(f"{normalise_email(result.values['email'])} can now sign in.", "success")
    return redirect(url_for("admin_pages.users"))


@blp.post("/users/<int:user_id>/disable")
def disable(user_id: int):
    """Stop a person signing in, and revoke the tokens issued to them."""
    count = disable_user(get_uow(), user_id, actor=_actor())
    flash(f"The person is disabled (live tokens revoked: {count}).", "success")
    return redirect(url_for("admin_pages.users"))


@blp.post("/users/<int:user_id>/reset-password")
def reset(user_id: int):
    """Give a person a temporary password to change at their next sign-in, signing them out."""
    email, temporary = reset_password(get_uow(), user_id=user_id, actor=_actor())
    response = render_template("pages/admin/password_reset.html", email=email,
                               temporary=temporary)
    return response, 200, {"Cache-Control": "no-store"}


@blp.get("/releases")
def releases():
    """The MCA's latest releases, and the form to publish one now."""
    return _releases_page(admin_forms.release_values(request.args), {})


@blp.post("/releases")
def publish_release():
    """Publish a sub-region's release of a quarter (a new version only if something changed)."""
    result = admin_forms.publish(get_uow(), request.form, _actor())
    if result.errors:
        return _releases_page(result.values, result.errors), 400
    done = result.created
    name = f"{done.subregion} {done.period} version {done.version}"
    flash(f"Published release {done.release_id}: {name}. {done.notes['summary']}"
          if done.created else f"Nothing changed: release {done.release_id} ({name}) is "
          "current, so nothing was published.", "success")
    return redirect(url_for("admin_pages.releases"))


@blp.get("/jobs")
def jobs():
    """The scheduled jobs, each with a button to run it now, and their latest runs."""
    return render_template("pages/admin/jobs.html",
                           jobs=scheduled_jobs(current_app.config),
                           runs=admin_lists.job_runs(get_uow()))


@blp.post("/jobs/<job_id>/run")
def run_job(job_id: str):
    """Run a job now, here and while the page waits; recorded as a manual run and audited."""
    try:
        run = run_job_now(runner_for(current_app._get_current_object()), get_uow(), job_id,
                          actor=_actor())
    except NotFound:
        abort(404)
    detail = run.error if run.outcome == FAILED else run.result
    flash(f"{job_id}: {run.outcome}" + (f": {detail}" if detail else ""), "success")
    return redirect(url_for("admin_pages.jobs"))


@blp.get("/audit")
def audit():
    """The audit log, newest first: submissions, approvals, releases, jobs and admin actions."""
    actions = admin_lists.audit_actions(get_uow())
    action = request.args.get("action", "")
    chosen = action if action in actions else None
    return render_template("pages/admin/audit.html", options=[(a, a) for a in actions],
                           action=chosen or "",
                           events=admin_lists.audit_events(get_uow(), chosen))


@blp.get("/outbox")
def outbox():
    """The latest e-mails the hub has queued or sent."""
    return render_template("pages/admin/outbox.html", messages=admin_lists.outbox(get_uow()))


def _clients_page(values: dict, errors: dict):
    return render_template("pages/admin/clients.html", values=values, errors=errors,
                           clients=admin_lists.clients(get_uow()),
                           partners=admin_lists.partner_choices(get_uow()),
                           scopes=[(name, name, text) for name, text in SCOPES.items()])


def _releases_page(values: dict, errors: dict):
    return render_template("pages/admin/releases.html", values=values, errors=errors,
                           releases=admin_lists.releases(get_uow()),
                           subregions=admin_lists.subregion_choices(get_uow()),
                           quarters=admin_lists.release_quarters(get_uow()))


def _users_page(values: dict, errors: dict):
    return render_template("pages/admin/users.html", values=values, errors=errors,
                           users=admin_lists.users(get_uow()),
                           partners=admin_lists.partner_choices(get_uow()),
                           roles=[(r, r.capitalize(), ROLE_HINTS.get(r)) for r in ROLES])
