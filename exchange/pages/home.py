"""The front door: what the hub is and where to go next."""

from flask import Blueprint, render_template, session

from exchange.context import get_uow

blp = Blueprint("home", __name__)


@blp.get("/")
def index():
    """The hub's home page: places, partners, the API and sign-in."""
    with get_uow() as uow:
        places = uow.places.all()
        partners = uow.partners.all()
    return render_template("pages/home/index.html", places=places, partners=partners,
                           signed_in=bool(session.get("user_id")))
