"""Setting a hub up: migrations, the registry from config/, and geography."""

import os

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from exchange import instance_key
from exchange.context import get_engine, get_uow
from exchange.services.admin import registry
from exchange.services.directory import geography


@click.command("init")
@with_appcontext
def init() -> None:
    """Write the instance's secret key (unless SECRET_KEY is given), migrate the database, load
    config/ and the shipped geography. Safe to run again: an existing key is kept."""
    os.makedirs(current_app.config["BLOB_DIR"], exist_ok=True)
    click.echo(f"Secret key: {instance_secret_key()}")
    _migrations().upgrade(get_engine())
    counts = registry.load_registry(current_app.config["CONFIG_DIR"], get_uow())
    click.echo("Registry: " + ", ".join(f"{n} {what}" for what, n in counts.items()))
    loaded = geography.load_default_geography(current_app.config["GEOGRAPHY_DIR"], get_uow())
    click.echo(f"Geography: {loaded} postcodes loaded" if loaded else "Geography: already loaded")


def _migrations():
    """The migrations (Alembic), imported by the commands that run them: imported with the
    hub, Alembic cost every command 0.08 s."""
    from exchange.services.admin import migrations

    return migrations


def instance_secret_key() -> str:
    """Where the signing key comes from; the instance's own is made now if it is missing (the
    app usually made it on starting) and kept readable by its owner only."""
    path = current_app.config["SECRET_KEY_FILE"]
    if current_app.config["SECRET_KEY"] not in (None, instance_key.read(path)):
        return "given in the settings (SECRET_KEY)"
    instance_key.ensure(path)
    os.chmod(path, 0o600)
    return f"the instance's own, in {path}"


db = AppGroup("db", help="Database migrations.")


@db.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Migrate the database up to REVISION (default: head)."""
    _migrations().upgrade(get_engine(), revision)
    click.echo(f"Database at {revision}.")


@db.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Migrate the database down to REVISION ("base" empties it)."""
    _migrations().downgrade(get_engine(), revision)
    click.echo(f"Database at {revision}.")


config_group = AppGroup("config", help="The registry of places, partners and the charter.")


@config_group.command("load")
@click.option("--dir", "config_dir", type=click.Path(exists=True, file_okay=False))
def config_load(config_dir: str | None) -> None:
    """Load places, partners, charter and measures from config/ (or DIR)."""
    counts = registry.load_registry(config_dir or current_app.config["CONFIG_DIR"], get_uow())
    click.echo("Loaded " + ", ".join(f"{n} {what}" for what, n in counts.items()))


geography_group = AppGroup("geography", help="Postcode and district look-ups.")


@geography_group.command("load")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def geography_load(path: str) -> None:
    """Replace the postcode table with a full ONS postcode lookup (NSPL or ONSPD CSV)."""
    size = os.path.getsize(path)
    with click.progressbar(length=size, label="Loading postcodes", file=click.get_text_stream(
            "stderr")) as bar:
        count = geography.load_postcode_lookup(path, get_uow(), progress=bar.update)
    click.echo(f"Loaded {count} postcodes from {os.path.basename(path)}.")


@geography_group.command("locate")
@click.argument("postcode")
def geography_locate(postcode: str) -> None:
    """Say where POSTCODE lies: its LAD and combined authority, outside, or unknown."""
    with get_uow() as uow:
        where = geography.Locator(uow).locate(postcode)
    click.echo(f"{where.postcode or postcode}: {where.status}"
               + (f" {where.lad_code} {where.mca_code or '-'}" if where.lad_code else ""))


COMMANDS = [init, db, config_group, geography_group]
