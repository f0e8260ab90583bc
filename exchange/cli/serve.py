"""`hub run` and `hub serve`. `hub run` serves the hub with Werkzeug's server and the hub's
request handler (no version in Server, JSON errors on API paths, secrets kept out of the access
log), for development and trials. `hub serve` is the production server: gunicorn, with its
workers, threads, timeout and address from the settings (SERVE_*), the same redacted access log,
behind a TLS proxy."""

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


@click.command("serve")
@click.option("--bind", "-b", help="host:port (or unix:PATH) to listen on  [SERVE_BIND]")
@click.option("--workers", "-w", type=click.IntRange(1, 64),
              help="Worker processes  [SERVE_WORKERS]")
@click.option("--threads", type=click.IntRange(1, 64), help="Threads a worker  [SERVE_THREADS]")
@click.option("--timeout", type=click.IntRange(1), help="Seconds a request may take before its "
              "worker is restarted  [SERVE_TIMEOUT_SECONDS]")
@with_appcontext
def serve(bind: str | None, workers: int | None, threads: int | None,
          timeout: int | None) -> None:
    """Serve the hub in production (gunicorn; put a TLS proxy in front)."""
    from exchange.web.production import HubServer, options

    config = current_app.config
    HubServer(options(bind or config["SERVE_BIND"], workers or int(config["SERVE_WORKERS"]),
                      threads or int(config["SERVE_THREADS"]),
                      timeout or int(config["SERVE_TIMEOUT_SECONDS"]))).run()


COMMANDS = [run, serve]
