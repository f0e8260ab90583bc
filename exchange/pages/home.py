"""The front door: each person's home starts from their next job (a data officer's open and
overdue windows, an approver's waiting returns, the board's headline figures, the MCA analyst's
sub-regional view and latest release, the administrator's cycle status); for a visitor, what
the hub is and how to sign in."""

from datetime import UTC, datetime

from flask import Blueprint, current_app, render_template

from exchange.context import get_uow
from exchange.pages import role_homes
from exchange.pages.partner_home import partner_home
from exchange.services.cycle.windows import WindowRules
from exchange.views import coverage
from exchange.web.access import login_required, signed_in_user

blp = Blueprint("home", __name__)


@blp.get("/")
def index():
    """The signed-in person's home for their role; for a visitor, the hub and sign-in."""
    user = signed_in_user()
    if user is None:
        with get_uow() as uow:
            places, partners = uow.places.all(), uow.partners.all()
        return render_template("pages/home/index.html", places=places, partners=partners)
    return _home(user)


@login_required
def _home(user):
    now, rules = datetime.now(UTC), WindowRules.from_config(current_app.config)
    persona = role_homes.persona(user, rules)
    if persona == "admin":
        return render_template("pages/home/admin.html", user=user, status_counts=(
            role_homes.status_counts), home=role_homes.admin_home(
                get_uow(), user, now, rules, current_app.config))
    if persona == "board":
        return render_template("pages/home/board.html", user=user,
                               home=role_homes.board_home(get_uow(), user, now, rules))
    if persona == "analyst":
        return render_template("pages/home/analyst.html", user=user,
                               home=role_homes.analyst_home(get_uow(), user))
    home = partner_home(get_uow(), user, now)
    return render_template("pages/home/partner.html", user=user, home=home, persona=persona)


@blp.get("/glossary")
def glossary():
    """How the figures are worked out: shares, coverage and net credits, for anyone."""
    return render_template("pages/home/glossary.html", minimum=coverage.minimum(),
                           sources=coverage.SOURCES, not_enough=coverage.NOT_ENOUGH)
