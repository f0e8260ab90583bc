"""The signed-in person's own account: changing their password (with the current one).

A change ends every session of the person (other browsers are signed out at once) and starts a
new one here. Someone whose password an administrator reset is sent here before anything else."""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for

from exchange.context import get_uow
from exchange.services.admin.accounts import MIN_PASSWORD
from exchange.services.admin.passwords import change_password
from exchange.web.access import SESSION_KEY, login_required, signed_in_user

blp = Blueprint("account", __name__)


@blp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    """Change your password."""
    user = signed_in_user()
    if request.method == "GET":
        return _page(user, {})
    changed = change_password(get_uow(), user.id, request.form.get("current_password", ""),
                              request.form.get("new_password", ""),
                              request.form.get("confirm_password", ""))
    if changed.errors:
        return _page(user, changed.errors), 400
    session[SESSION_KEY] = changed.session_id
    flash("Your password is changed. Any other browser you were signed in on is signed out.",
          "success")
    return redirect(url_for("account.password"))


def _page(user, errors: dict):
    return render_template("pages/account/password.html", user=user, errors=errors,
                           min_length=MIN_PASSWORD)
