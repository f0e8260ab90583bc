"""Aggregates from the command line: rebuild them all from the stored lines."""

import click
from flask.cli import AppGroup

from exchange.context import get_uow
from exchange.services.aggregates import spend_totals as service

aggregates = AppGroup("aggregates", help="The maintained spend aggregates the views read.")


@aggregates.command("rebuild")
def rebuild() -> None:
    """Rebuild every spend return's aggregates from its lines (after thresholds change)."""
    count = service.rebuild_all(get_uow())
    click.echo(f"Aggregates rebuilt for {count} spend returns.")


COMMANDS = [aggregates]
