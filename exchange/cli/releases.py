"""The MCA's releases from the command line: publish one (the scheduler will call the same)."""

import sys

import click
from flask.cli import AppGroup

from exchange.context import get_uow
from exchange.errors import ExchangeError
from exchange.feeds.releases import publish_release

releases = AppGroup("releases", help="Locked, disclosure-controlled releases for the MCA.")


@releases.command("publish")
@click.option("--subregion", required=True, help="slug or ONS code, e.g. south-yorkshire")
@click.option("--period", required=True, help="financial quarter, e.g. 2021-22-Q1")
def publish(subregion: str, period: str) -> None:
    """Publish the sub-region's release for PERIOD; a new version only if something changed."""
    try:
        result = publish_release(get_uow(), subregion, period, actor="cli")
    except ExchangeError as error:
        click.echo(f"Refused: {error.message}", err=True)
        sys.exit(2)
    name = f"{result.subregion} {result.period} v{result.version}"
    if result.created:
        click.echo(f"Published release {result.release_id}: {name}.")
        click.echo(result.notes["summary"])
    else:
        click.echo(f"No change: release {result.release_id} ({name}) is current; "
                   "nothing was published.")


COMMANDS = [releases]
