"""Returns from the command line: ingest a file as a partner would upload it."""

import json
import os
import sys

import click

from exchange.cli.app import with_core_app
from exchange.context import get_blobs, get_read_limits, get_uow
from exchange.errors import ExchangeError
from exchange.ingest.submissions import StoredFile, Submission, submit_return


@click.command("ingest")
@click.option("--partner", required=True, help="partner slug, e.g. rmbc")
@click.option("--kind", required=True,
              type=click.Choice(["spend", "suppliers", "commitments", "measures", "contributions"]))
@click.option("--period", required=True, help="financial quarter, e.g. 2021-22-Q3")
@click.option("--profile", help="adapter profile, if it is not detected from the header")
@click.option("--dry-run", is_flag=True, help="validate and report; store nothing")
@click.option("--columns", "columns_json", metavar="JSON",
              help='column mapping, as the API\'s: \'{"supplier_name": "NAME1", ...}\'')
@click.option("--json", "as_json", is_flag=True, help="print the receipt as JSON")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@with_core_app
def ingest(partner, kind, period, profile, dry_run, columns_json, as_json, path) -> None:
    """Submit FILE as PARTNER's return, with a progress bar and the same report as the API."""
    try:
        columns = json.loads(columns_json) if columns_json else None
    except ValueError as err:
        raise click.BadParameter(f"not valid JSON: {err}", param_hint="--columns") from err
    sub = Submission(partner, kind, period, "cli", profile, dry_run, columns=columns)
    err = sys.stderr  # the report goes to stdout; the bar must not mix into --json output
    with get_blobs().for_run(dry_run) as blobs:  # a dry run keeps no bytes
        receipt = _submit(sub, path, blobs, err)
    if as_json:
        click.echo(json.dumps(receipt.to_dict(), indent=2))
    else:
        print_report(receipt)
    sys.exit(0 if receipt.status == "accepted" else 1)


def _submit(sub: Submission, path: str, blobs, err):
    """Keep the file's bytes in ``blobs`` and submit them, with a progress bar on ``err``. The
    file stays open until the submission ends, so the store reads the lines from it rather than
    back from where it kept them (the database's chunks)."""
    with open(path, "rb") as f:
        sha, size = blobs.save(f)
        stored = StoredFile(sha, size, os.path.basename(path), None)
        try:
            with click.progressbar(length=size, label=f"Reading {os.path.basename(path)}",
                                   file=err) as bar:
                position = [0]

                def advance(now: int) -> None:
                    bar.update(max(0, now - position[0]))
                    position[0] = now

                receipt = submit_return(sub, stored, get_uow(), blobs, progress=advance,
                                        limits=get_read_limits())
                advance(size)
        except ExchangeError as error:
            click.echo(f"Refused: {error.message}", err=True)
            for field, messages in (error.errors or {}).items():
                if field != "receipt":
                    click.echo(f"  {field}: {'; '.join(map(str, messages))}", err=True)
            sys.exit(2)
    return receipt


def print_report(receipt) -> None:
    verdict = "Checked (dry run)" if receipt.dry_run else receipt.status.capitalize()
    stored = f" as return {receipt.id} version {receipt.version}" if receipt.version else ""
    replay = " (the same file was already accepted)" if receipt.replayed else ""
    click.echo(f"{verdict}{stored}{replay}: {receipt.rows} rows, {receipt.errors} errors, "
               f"{receipt.warnings} warnings.")
    if receipt.amount is not None:
        click.echo(f"Total amount: £{receipt.amount:,.2f}")
    for note in receipt.notes:
        click.echo(f"Note: {note}")
    summary = receipt.summary()
    for issue in summary[:100]:
        where = (f"{issue.count:,} rows" if issue.count > 1 else f"row {issue.row}" if issue.row
                 else "file")
        if issue.column:
            where += f", column {issue.column_letter or ''} ({issue.column})"
        click.echo(f"  {issue.severity:7} {where}: {issue.message}")
    if len(summary) > 100:
        click.echo(f"  … and {len(summary) - 100} more (see the issues CSV).")


COMMANDS = [ingest]
