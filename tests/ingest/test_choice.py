"""The path of a submission's lines is chosen once, from the file and the database
(`exchange.ingest.choose`): as columns for a spend CSV on either database, streaming by COPY
only on PostgreSQL."""

import io

import partners
from exchange import ingest
from exchange.context import get_uow

SPEND = (b"Payment date,Amount,Supplier name\n"
         b"06/04/2021,100.00,Rother Widgets Ltd\n")


def table_of(data: bytes, kind: str = "spend", filename: str = "spend.csv"):
    return partners.read_table(io.BytesIO(data), kind, filename=filename)


def test_a_spend_csv_is_read_as_columns_on_either_database_and_streams_only_on_postgresql(app):
    with get_uow() as uow:
        choice = ingest.choose("spend", table_of(SPEND), uow.lines)
        streams = uow.session.get_bind().dialect.name == "postgresql"

    assert choice == ingest.Choice(columns=True, streams=streams)


def test_other_kinds_and_a_caller_asking_for_rows_are_read_row_by_row(app):
    suppliers = b"Supplier ID,Supplier name\nA,Rother Widgets Ltd\n"
    with get_uow() as uow:
        by_kind = ingest.choose("suppliers", table_of(suppliers, "suppliers"), uow.lines)
        asked = ingest.choose("spend", table_of(SPEND), uow.lines, allow_columns=False)

    assert not by_kind.columns and not asked.columns
    assert by_kind.streams == asked.streams


def test_a_declined_file_keeps_its_streaming_and_is_read_by_rows(app):
    choice = ingest.Choice(columns=True, streams=True)

    assert choice.by_rows() == ingest.Choice(columns=False, streams=True)
