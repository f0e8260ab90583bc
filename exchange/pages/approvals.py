"""Approval for approvers: the partner's current returns awaiting approval (total, warnings, date,
who sent them), a confirmation page for one, and the approval. The rules (role, not your own
submission, current version) are approve_return's."""

from datetime import UTC, datetime

from flask import Blueprint, abort, redirect, render_template, request, session, url_for

from exchange.context import get_uow
from exchange.errors import ExchangeError
from exchange.services.cycle.approvals import approve_return
from exchange.web.access import login_required, role_required, signed_in_user
from exchange.web.error_pages import use_error_pages

blp = Blueprint("approvals", __name__)
use_error_pages(blp)
APPROVED_KEY = "approved_return"


@blp.get("/approvals")
@role_required("approver")
def awaiting():
    """Returns of the partner that are current, accepted and not yet approved."""
    approved = session.pop(APPROVED_KEY, None)
    return _page({}, approved)


@blp.get("/approvals/<int:return_id>")
@login_required
def confirm(return_id: int):
    """Are you sure? The return's figures, who sent it and when, before approving it. Another
    partner's return is 404 for everyone (before the role is asked for)."""
    user = signed_in_user()
    with get_uow() as uow:
        ret = next((r for r in uow.returns.awaiting_approval(user.partner_id)
                    if r.id == return_id), None)
    if ret is None:
        abort(404)
    if not user.has_role("approver"):
        abort(403)
    return render_template("pages/approvals/confirm.html", ret=ret, errors={})


@blp.post("/approvals")
@role_required("approver")
def approve():
    """Approve one return once confirmed; a refusal from the service is shown as an error
    summary."""
    return_id = request.form.get("return_id", "")
    if not return_id.isdigit():
        return _page({"return_id": "Choose a return to approve."}), 400
    if request.form.get("confirm") != "yes":
        return redirect(url_for("approvals.confirm", return_id=int(return_id)))
    try:
        ret = approve_return(get_uow(), int(return_id), approver=signed_in_user(),
                             now=datetime.now(UTC))
    except ExchangeError as err:
        return _page({f"approve-{return_id}": err.message}), 400
    session[APPROVED_KEY] = {"id": ret.id, "kind": ret.kind, "period": ret.period}
    return redirect(url_for("approvals.awaiting"))


def _page(errors: dict, approved: dict | None = None):
    with get_uow() as uow:
        waiting = uow.returns.awaiting_approval(signed_in_user().partner_id)
    return render_template("pages/approvals/index.html", waiting=waiting, errors=errors,
                           approved=approved)
