"""The front door: a partner's home when signed in, otherwise what the hub is and how to sign in."""

from datetime import UTC, datetime

from flask import Blueprint, render_template

from exchange.context import get_uow
from exchange.pages.formatting import percent, pounds
from exchange.pages.partner_home import partner_home
from exchange.web.access import signed_in_user

blp = Blueprint("home", __name__)


@blp.get("/")
def index():
    """A partner's windows, returns and figures; or, for a visitor, the hub and sign-in."""
    user = signed_in_user()
    if user is None:
        with get_uow() as uow:
            places, partners = uow.places.all(), uow.partners.all()
        return render_template("pages/home/index.html", places=places, partners=partners)
    home = partner_home(get_uow(), user, datetime.now(UTC))
    return render_template("pages/home/partner.html", user=user, home=home,
                           formats={"money": pounds, "share": percent})
