"""`hub run`: serve the hub with Werkzeug's server and the hub's request handler (no version in
Server, JSON errors on API paths, secrets kept out of the access log). It replaces Flask's own
`run`; in production put a WSGI server (gunicorn, waitress) behind a TLS proxy instead."""

import click
from flask import current_app
from flask.cli import with_appcontext
from werkzeug.serving import run_simple

from exchange.web.server import HubRequestHandler


@click.command("run")
@click.option("--host", "-h", default="127.0.0.1", show_default=True)
@click.option("--port", "-p", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--reload/--no-reload", default=False, help="Restart when the code changes.")
@with_appcontext
def run(host: str, port: int, reload: bool) -> None:
    """Serve the hub over HTTP (for development and trials)."""
    run_simple(host, port, current_app._get_current_object(), use_reloader=reload,
               threaded=True, request_handler=HubRequestHandler)


COMMANDS = [run]
