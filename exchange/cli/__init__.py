"""The `hub` command: a Flask CLI group over create_app (so `hub run` and `hub routes` work too)."""

import click
from flask.cli import FlaskGroup

from exchange import create_app
from exchange.cli import (
    accounts,
    aggregates,
    blobs,
    companies,
    demo,
    jobs,
    releases,
    reports,
    returns,
    serve,
    setup,
)


@click.group(cls=FlaskGroup, create_app=create_app)
def cli() -> None:
    """Anchor Exchange administration."""


for command in (setup.COMMANDS + returns.COMMANDS + accounts.COMMANDS + demo.COMMANDS
                + aggregates.COMMANDS + releases.COMMANDS + jobs.COMMANDS + reports.COMMANDS
                + companies.COMMANDS + blobs.COMMANDS + serve.COMMANDS):
    cli.add_command(command)
