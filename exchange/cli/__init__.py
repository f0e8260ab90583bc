"""The `hub` command: a Flask CLI group over create_app (so `hub run` and `hub routes` work too)."""

import gc

import click
from flask.cli import FlaskGroup

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
from exchange.cli.app import create_command_app


class HubGroup(FlaskGroup):
    """Flask's command group, with the hub's commands and Flask's own only: none from other
    packages' ``flask.commands`` entry points (flask-limiter's ``limiter`` group imports rich,
    0.14 s that every hub command paid)."""

    def _load_plugin_commands(self) -> None:
        pass


@click.group(cls=HubGroup, create_app=create_command_app)
def cli() -> None:
    """Anchor Exchange administration."""


for command in (setup.COMMANDS + returns.COMMANDS + accounts.COMMANDS + demo.COMMANDS
                + aggregates.COMMANDS + releases.COMMANDS + jobs.COMMANDS + reports.COMMANDS
                + companies.COMMANDS + blobs.COMMANDS + serve.COMMANDS):
    cli.add_command(command)


def main() -> None:
    """The `hub` console script: `cli`, the heap frozen as the command ends. The interpreter's
    teardown otherwise walks every object the app left (the models, the compiled rules, the
    parsers' caches) in several collections: 0.4 s after `hub ingest`, whatever the file.
    Nothing is left to collect that the process's end does not free."""
    try:
        cli()
    finally:
        gc.freeze()
