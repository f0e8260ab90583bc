"""A plain CSV spend file is read as columns (polars); every other file and kind goes row by
row. The two must give the same receipt, the same stored lines and the same aggregates for the
same bytes, on each database: each file is submitted both ways on an empty database."""

from collections import Counter
from dataclasses import asdict

import polars as pl
import pytest
from sqlalchemy import select

from exchange.context import get_blobs, get_uow
from exchange.ingest import receipts, spendlines
from exchange.ingest.spendlines import SpendLines
from exchange.ingest.submissions import StoredFile, Submission, submit_return
from exchange.models import SpendLine
from exchange.models.aggregates import (
    SpendAggregate,
    SpendShareAggregate,
    SpendSupplierAggregate,
)
from exchange.services.directory import geography
from exchange.validate import REDACTED
from exchange.validate import columns as validate_columns
from partners.formats import columns as columns_module
from tests.conftest import _empty_non_reference_tables
from tests.ingest.cases import crafted, real_csvs, spendfile

REGISTER = (b"Supplier ID,Supplier Name,Company Number,Site Postcode,SME,VCSE\r\n"
            b"A1,Acme Ltd,1234567,S60 2UD,yes,no\r\n"
            b"B1,Beta Ltd,,S70 1AA,no,yes\r\n")


def submit(data: bytes, kind: str, period: str, columns: bool):
    sha, size = get_blobs().save_bytes(data)
    return submit_return(Submission("rmbc", kind, period, "test"),
                         StoredFile(sha, size, f"{kind}.csv", "text/csv"), get_uow(), get_blobs(),
                         columns=columns)


def outcome(data: bytes, period: str, columns: bool, register: bytes = REGISTER) -> dict:
    """Everything a spend submission leaves, on a database holding only the registry."""
    _empty_non_reference_tables()
    assert submit(register, "suppliers", period, columns=False).status == "accepted"
    receipt = asdict(submit(data, "spend", period, columns))
    for generated in ("id", "supersedes"):
        receipt.pop(generated)
    with get_uow() as uow:
        def rows(model, order):
            columns = [c for c in model.__table__.columns if c.name != "return_id"]
            return [tuple(row) for row in uow.session.execute(select(*columns).order_by(*order))]

        return {"receipt": receipt,
                "lines": rows(SpendLine, [SpendLine.row_number]),
                "sums": rows(SpendAggregate, [SpendAggregate.location,
                                              SpendAggregate.location_source, SpendAggregate.sme,
                                              SpendAggregate.vcse, SpendAggregate.band_pence]),
                "shares": rows(SpendShareAggregate, list(
                    SpendShareAggregate.__table__.primary_key.columns)),
                "suppliers": rows(SpendSupplierAggregate, [
                    SpendSupplierAggregate.supplier_key, SpendSupplierAggregate.location,
                    SpendSupplierAggregate.band_pence])}


@pytest.mark.parametrize("chunk", [columns_module.CHUNK, 60], ids=["one chunk", "many"])
@pytest.mark.parametrize("name", sorted(crafted()))
def test_a_made_up_file_gives_the_same_receipt_lines_and_aggregates_read_either_way(
        app, name, chunk, monkeypatch):
    # In many chunks, a file the columnar reader declines part-way is read again by rows.
    monkeypatch.setattr(columns_module, "CHUNK", chunk)
    data = crafted()[name]

    assert outcome(data, "2021-22-Q3", columns=True) == outcome(data, "2021-22-Q3",
                                                                 columns=False)


def test_withheld_names_met_again_in_later_chunks_are_warned_each_time(app, monkeypatch):
    # The columnar checker judges each chunk's names afresh.
    monkeypatch.setattr(columns_module, "CHUNK", 60)
    data = crafted()["withheld names met again further down"]

    by_columns = outcome(data, "2021-22-Q3", columns=True)

    assert by_columns == outcome(data, "2021-22-Q3", columns=False)
    assert by_columns["receipt"]["redacted"] == 6


REAL = {path.name: path for path in real_csvs()
        if path.stat().st_size < 3_000_000 and "summary" not in path.name}


@pytest.mark.parametrize("name", sorted(REAL))
def test_a_real_file_gives_the_same_receipt_lines_and_aggregates_read_either_way(app, name):
    data = REAL[name].read_bytes()
    period = "2021-22-Q1"  # the period matters to the warnings only, the same both ways

    assert outcome(data, period, columns=True) == outcome(data, period, columns=False)


def benchmark_both_ways(tmp_path, lines: int, period: str | None = None) -> tuple[dict, dict]:
    """What the benchmark's generated file of ``lines`` leaves, read as columns and by rows
    (each time after its suppliers file)."""
    generator = spendfile()
    spend, suppliers = tmp_path / "spend.csv", tmp_path / "suppliers.csv"
    generator.write_suppliers(suppliers, generator.write_spend(spend, lines, run="same"))
    by_columns, by_rows = (outcome(spend.read_bytes(), period or generator.PERIOD, columns,
                                   suppliers.read_bytes()) for columns in (True, False))
    return by_columns, by_rows


def test_the_benchmark_file_gives_the_same_receipt_lines_and_aggregates_read_either_way(
        app, tmp_path):
    by_columns, by_rows = benchmark_both_ways(tmp_path, 4000)

    assert by_columns == by_rows
    assert by_columns["receipt"]["rows"] == len(by_columns["lines"]) == 4000
    sources = {line[SpendLine.__table__.columns.keys().index("location_source") - 1]
               for line in by_columns["lines"]}
    assert {"line", "unknown"} <= sources


def few_hashes(given: list[str]) -> pl.Expr:
    """Four keys for every supplier's cells: most suppliers' hash alike."""
    return pl.struct(given).hash() % 4


@pytest.mark.parametrize("chunk", [columns_module.CHUNK, 500], ids=["one chunk", "many"])
def test_suppliers_whose_cells_hash_alike_are_told_apart_by_their_cells(
        app, tmp_path, monkeypatch, chunk):
    # The columnar path joins each line to its supplier by a hash of the supplier's cells.
    monkeypatch.setattr(columns_module, "CHUNK", chunk)
    monkeypatch.setattr(SpendLines, "cells_key", staticmethod(few_hashes))

    by_columns, by_rows = benchmark_both_ways(tmp_path, 3000)

    assert by_columns == by_rows
    assert len(by_columns["suppliers"]) > 100


def test_suppliers_postcodes_and_cells_forgotten_past_their_limits_are_worked_out_again_alike(
        app, tmp_path, monkeypatch):
    # Each memo of the columnar path starts afresh once it holds more than its limit.
    monkeypatch.setattr(columns_module, "CHUNK", 500)
    monkeypatch.setattr(spendlines, "_SUPPLIERS_LIMIT", 40)
    monkeypatch.setattr(geography, "_CACHE_LIMIT", 30)
    monkeypatch.setattr(validate_columns, "KNOWN_LIMIT", 20)

    by_columns, by_rows = benchmark_both_ways(tmp_path, 3000)

    assert by_columns == by_rows
    assert len(by_columns["suppliers"]) > 100


@pytest.mark.parametrize("chunk", [columns_module.CHUNK, 50_000], ids=["one chunk", "many"])
def test_past_the_issues_listed_per_code_both_ways_count_every_warning_and_list_the_same(
        app, tmp_path, monkeypatch, chunk):
    # The columnar checker makes issues only for the warnings still listed; the rest it counts.
    monkeypatch.setattr(receipts, "MAX_LISTED_PER_CODE", 7)
    monkeypatch.setattr(columns_module, "CHUNK", chunk)
    period = "2020-21-Q1"  # a year before the file's dates: every line is warned

    by_columns, by_rows = benchmark_both_ways(tmp_path, 3000, period)

    assert by_columns == by_rows
    receipt = by_columns["receipt"]
    codes = Counter(issue["code"] for issue in receipt["issues"])
    assert receipt["warnings"] > 3000 and codes["payment_date.outside_period"] == 7 + 1
    assert codes[REDACTED] == 7 + 1  # seven listed, and the line saying how many more


@pytest.mark.parametrize("name", sorted(REAL)[:4])
def test_a_real_file_past_the_issues_listed_per_code_gives_the_same_receipt_either_way(
        app, name, monkeypatch):
    monkeypatch.setattr(receipts, "MAX_LISTED_PER_CODE", 5)
    data = REAL[name].read_bytes()

    assert outcome(data, "2021-22-Q1", columns=True) == outcome(data, "2021-22-Q1",
                                                                 columns=False)
