"""`hub demo`: a year of demo returns and the demo logins, safe to run again."""

import os
import sys
import time

import click
from flask import current_app
from flask.cli import with_appcontext

from exchange.context import get_blobs, get_uow
from exchange.demo import ACTOR, load_demo
from exchange.demo.accounts import DEMO_PASSWORD, create_demo_accounts
from exchange.demo.plan import PREVIOUS_YEAR, YEAR
from exchange.models.base import utcnow
from exchange.services.cycle.release_schedule import publish_due_releases
from exchange.services.cycle.windows import WindowRules


@click.command("demo")
@click.option("--small", is_flag=True,
              help="A tenth of the spend lines and a third of the suppliers (for tests).")
@click.option("--force", is_flag=True, help="Run even when EXCHANGE_ENV=production.")
@click.option("--url", help="Where the hub will be served, to say where to sign in.")
@with_appcontext
def demo(small: bool, force: bool, url: str | None) -> None:
    """Load demo returns (all five kinds, 11 partners) and demo logins; run again: no duplicates."""
    production = (os.environ.get("EXCHANGE_ENV") == "production"
                  or current_app.config.get("ENV") == "production")
    if production and not force:
        raise click.ClickException("This is a production hub (EXCHANGE_ENV=production): demo data "
                                   "and demo passwords do not belong here. Use --force if you "
                                   "really mean it.")
    started = time.monotonic()
    click.echo(f"Demo returns for {YEAR} (and {PREVIOUS_YEAR} spend for trends), marked as demo:")
    try:
        outcome = load_demo(get_uow, get_blobs(), current_app.config["GEOGRAPHY_DIR"],
                            small=small, echo=click.echo)
    except LookupError as err:
        raise click.ClickException(str(err)) from err
    click.echo(f"Returns: {outcome.accepted} accepted ({outcome.lines:,} rows), "
               f"{outcome.replayed} already loaded, {len(outcome.rejected)} rejected "
               f"({time.monotonic() - started:.1f} s).")
    for problem in outcome.rejected:
        click.echo(f"  rejected: {problem}", err=True)
    _publish_releases()
    users, clients = create_demo_accounts(get_uow)
    click.echo("")
    click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for user in users:
        made = "" if user.created else "  (already existed)"
        click.echo(f"  {user.email:24} {user.partner:6} {user.name}{made}")
    click.echo("Demo OAuth clients (client credentials):")
    for client in clients:
        click.echo(f"  {client.partner:6} {client.scope}")
        click.echo(f"    client_id:     {client.client_id}")
        if client.client_secret:
            click.echo(f"    client_secret: {client.client_secret}  (shown once: only its hash "
                       "is stored)")
        else:
            click.echo("    client_secret: already created earlier; the hub keeps only its hash "
                       "(`hub clients create` makes a new one)")
    if url:
        click.echo(f"\nSign in at {url.rstrip('/')}/login with a demo login above "
                   f"(password {DEMO_PASSWORD}).")
    if outcome.rejected:
        sys.exit(1)


def _publish_releases() -> None:
    """The MCA's releases the scheduler's publish_releases job would have published by now
    (every quarter past its deadlines and grace), so the feeds are not empty without it."""
    published = publish_due_releases(get_uow(), utcnow(),
                                     int(current_app.config["RELEASE_GRACE_DAYS"]),
                                     WindowRules.from_config(current_app.config), actor=ACTOR)
    names = ", ".join(f"{p.subregion} {p.period} v{p.version}" for p in published)
    click.echo(f"Releases published (as `hub scheduler` would): {names or 'none new'}.")


COMMANDS = [demo]
