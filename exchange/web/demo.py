"""Whether the hub holds demo data, for the banner every page shows while it does."""

from flask import Flask, request
from sqlalchemy import exists, select

from exchange.context import get_uow
from exchange.models.returns import PartnerReturn

ENVIRON_KEY = "exchange.demo_data"


def demo_data_present() -> bool:
    """True when any return in the hub was loaded by the demo (``hub demo``); once per request."""
    if ENVIRON_KEY not in request.environ:
        with get_uow() as uow:
            request.environ[ENVIRON_KEY] = bool(
                uow.session.scalar(select(exists().where(PartnerReturn.is_demo))))
    return request.environ[ENVIRON_KEY]


def init_app(app: Flask) -> None:
    app.jinja_env.globals["demo_data_present"] = demo_data_present
