"""Reports from the command line: produce and store one now (the scheduler calls the same)."""

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from exchange.context import get_blobs, get_uow
from exchange.errors import ExchangeError
from exchange.models.base import utcnow
from exchange.services.cycle.windows import WindowRules
from exchange.services.reports.generation import generate_report

reports = AppGroup("reports", help="The annual and mid-year reports of place partnerships.")


@reports.command("generate")
@click.option("--place", required=True, help="place partnership slug, e.g. rotherham")
@click.option("--kind", type=click.Choice(["annual", "mid-year"]), required=True)
@click.option("--year", required=True, help="financial year, e.g. 2025-26")
@click.option("--pdf", "pdf_path", type=click.Path(dir_okay=False, path_type=Path),
              help="also write the PDF to this file")
def generate(place: str, kind: str, year: str, pdf_path: Path | None) -> None:
    """Build the report from the data as it stands, render it and store it with its lineage."""
    try:
        record = generate_report(get_uow(), place, kind, year, utcnow(), blobs=get_blobs(),
                                 generated_by="cli",
                                 rules=WindowRules.from_config(current_app.config))
    except ExchangeError as error:
        click.echo(f"Refused: {error.message}", err=True)
        sys.exit(2)
    click.echo(f"Stored report {record.id}: {record.title} ({record.first_period} to "
               f"{record.last_period}), from {len(record.returns)} returns.")
    click.echo(f"PDF sha256 {record.pdf_sha256} ({record.pdf_size} bytes)")
    if pdf_path is not None:
        with get_blobs().open(record.pdf_sha256) as blob:
            pdf_path.write_bytes(blob.read())
        click.echo(f"Wrote {pdf_path}")


COMMANDS = [reports]
