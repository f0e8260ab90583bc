"""Whether the hub holds demo data, for the banner every page shows while it does."""

from flask import Flask, request

from exchange.context import get_uow
from exchange.views.catalogue import holds_demo_data

ENVIRON_KEY = "exchange.demo_data"


def demo_data_present() -> bool:
    """True when any return in the hub was loaded by the demo (``hub demo``); once per request."""
    if ENVIRON_KEY not in request.environ:
        request.environ[ENVIRON_KEY] = holds_demo_data(get_uow())
    return request.environ[ENVIRON_KEY]


def init_app(app: Flask) -> None:
    app.jinja_env.globals["demo_data_present"] = demo_data_present
