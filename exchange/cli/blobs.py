"""The blob store from the command line: `hub blobs gc` and `hub blobs migrate`."""

import click
from flask import current_app
from flask.cli import AppGroup

from exchange.blobs import KINDS, open_store, store_kind
from exchange.context import get_blobs, get_engine, get_uow
from exchange.services.admin.blob_gc import GRACE_SECONDS, collect_garbage
from exchange.services.admin.blob_migration import migrate_blobs

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
    for name in garbage.leftovers:
        click.echo(f"{name}  (left by an unfinished upload or dry run)")
    verb = "Would remove" if dry_run else "Removed"
    click.echo(f"{verb} {len(garbage.blobs)} unreferenced blobs ({garbage.size:,} bytes) and "
               f"{len(garbage.leftovers)} leftovers.")


@blobs.command("migrate")
@click.option("--to", "target_kind", type=click.Choice(KINDS), required=True,
              help="The store to copy every blob into, from the other one.")
@click.option("--verbose", "-v", is_flag=True, help="Name each blob as it is copied.")
def blobs_migrate(target_kind: str, verbose: bool) -> None:
    """Copy every blob into the database or the directory (BLOB_DIR), checking each SHA-256.
    Safe to run again: blobs already there are skipped, so a stopped run goes on."""
    source_kind = "directory" if target_kind == "database" else "database"
    config, engine = current_app.config, get_engine()
    source = open_store(config, engine, kind=source_kind)
    target = open_store(config, engine, kind=target_kind)

    def said(blob, outcome):
        if verbose or outcome == "mismatched":
            click.echo(f"{blob.sha256}  {blob.size:>12,} bytes  {outcome}")

    done = migrate_blobs(source, target, said)
    click.echo(f"Copied {done.copied} blobs ({done.copied_bytes:,} bytes) from the "
               f"{source_kind} to the {target_kind}; {done.present} were there already.")
    if done.mismatched:
        raise click.ClickException(
            f"{len(done.mismatched)} blobs' bytes do not match their SHA-256 and were not "
            "copied (listed above as mismatched).")
    if store_kind(config, engine) != target_kind:
        click.echo(f"The hub still uses the {source_kind}: set BLOB_STORE={target_kind}.")


COMMANDS = [blobs]
