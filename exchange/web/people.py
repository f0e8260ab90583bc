"""``who(actor)`` in templates: a person's or client's name for "user:<email>"/"client:<id>"
(exchange.views.people), looked up once per request and actor."""

from flask import Flask, request

from exchange.context import get_uow
from exchange.views.people import actor_names

ENVIRON_KEY = "exchange.actor_names"


def who(actor: str | None) -> str:
    if not actor:
        return "–"
    known = request.environ.setdefault(ENVIRON_KEY, {})
    if actor not in known:
        known.update(actor_names(get_uow(), [actor]))
    return known.get(actor, actor)


def init_app(app: Flask) -> None:
    app.jinja_env.globals["who"] = who
