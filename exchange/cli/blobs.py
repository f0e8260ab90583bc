"""The blob store from the command line: `hub blobs gc`."""

import click
from flask import current_app
from flask.cli import AppGroup

from exchange.context import get_blobs, get_uow
from exchange.services.blob_gc import GRACE_SECONDS, collect_garbage

blobs = AppGroup("blobs", help="The store of submitted bytes and stored reports.")


@blobs.command("gc")
@click.option("--dry-run", is_flag=True, help="List what would be removed; remove nothing.")
@click.option("--grace-minutes", type=click.IntRange(0), default=GRACE_SECONDS // 60,
              show_default=True, help="Keep anything saved more recently than this.")
def blobs_gc(dry_run: bool, grace_minutes: int) -> None:
    """Remove bytes that no return or stored report references."""
    garbage = collect_garbage(get_uow(), get_blobs(), dry_run=dry_run,
                              grace_seconds=grace_minutes * 60)
    for blob in garbage.blobs:
        click.echo(f"{blob.sha256}  {blob.size:>12,} bytes")
    for path in garbage.leftovers:
        click.echo(f"{path.relative_to(current_app.config['BLOB_DIR'])}  (left by an unfinished "
                   "upload or dry run)")
    verb = "Would remove" if dry_run else "Removed"
    click.echo(f"{verb} {len(garbage.blobs)} unreferenced blobs ({garbage.size:,} bytes) and "
               f"{len(garbage.leftovers)} leftovers.")


COMMANDS = [blobs]
