"""Anchor Exchange: the social-value data hub of a town's anchor institutions."""

import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

# polars reads big spend files beside PostgreSQL on the same few cores, one request to a worker:
# one thread each measured quicker (4.6 s against 4.9 s a million lines on 2 cores) and smaller.
# Set before polars is first imported; an operator's own POLARS_MAX_THREADS wins.
os.environ.setdefault("POLARS_MAX_THREADS", "1")

from exchange import logs
from exchange.bounds import BoundedIntConverter
from exchange.db import make_engine, make_session_factory
from exchange.settings import load_settings
from exchange.views import coverage
from exchange.web.json_bodies import DepthLimitedJSONProvider


def create_app(config_object=None, web: bool = True) -> Flask:
    """Build the app: settings and database, then (unless ``web`` is False, for a command that
    serves no request) OAuth, API, pages and error handlers."""
    app = Flask(__name__, instance_relative_config=False)
    load_settings(app, config_object)
    logs.configure(app.config.get("LOG_LEVEL", "INFO"), app.config["LOG_FORMAT"])
    coverage.configure(app.config)  # the views run from jobs and the CLI too: no flask there
    engine = make_engine(
        app.config["DATABASE_URL"],
        statement_timeout=float(app.config["DATABASE_STATEMENT_TIMEOUT_SECONDS"]),
        lock_timeout=float(app.config["DATABASE_LOCK_TIMEOUT_SECONDS"]))
    app.extensions["exchange"] = {"engine": engine, "sessions": make_session_factory(engine)}
    if web:
        _add_web(app)
    return app


def _add_web(app: Flask) -> None:
    """What serving requests needs: 0.25 s to import and register, which `hub ingest` spares."""
    app.json = DepthLimitedJSONProvider(app)
    app.url_map.converters["int"] = BoundedIntConverter  # before any route is added
    if hops := app.config["TRUSTED_PROXY_HOPS"]:
        # Anyone can send X-Forwarded-For: believe only what the proxies in front of us added.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)

    from exchange import api, errorhandlers, oauth, pages
    from exchange.api import telemetry

    telemetry.init_app(app)
    oauth.init_app(app)
    api.init_app(app)
    pages.init_app(app)
    errorhandlers.init_app(app)
