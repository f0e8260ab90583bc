"""The companies register: `hub companies load`."""

import sys

import click
from flask.cli import AppGroup

from exchange.context import get_uow
from exchange.errors import ExchangeError
from exchange.services.directory import companies

companies_group = AppGroup("companies", help="The companies register (Companies House).")


@companies_group.command("load")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--date", "register_date", type=click.DateTime(["%Y-%m-%d"]),
              help="The register's date, if the file names do not carry it.")
@click.option("--force", is_flag=True, help="Load it even if an older register than the one "
              "loaded now.")
def companies_load(paths: tuple[str, ...], register_date, force: bool) -> None:
    """Replace the companies register with Companies House's Basic Company Data: the zip
    (BasicCompanyDataAsOneFile-YYYY-MM-DD.zip), every part of the multi-part zips, or CSVs."""
    try:
        with click.progressbar(length=companies.input_size(paths), label="Loading companies",
                               file=sys.stderr) as bar:
            loaded = companies.load_register(
                paths, get_uow(), register_date=register_date.date() if register_date else None,
                force=force, progress=bar.update)
    except ExchangeError as err:
        raise click.ClickException(err.message) from err
    click.echo(f"Loaded {loaded.companies} companies from the register of "
               f"{loaded.register_date:%d %B %Y}.")
    if loaded.skipped:
        click.echo(f"Skipped {loaded.skipped} rows without a valid company number "
                   f"(the first: {loaded.first_skipped}).")


COMMANDS = [companies_group]
