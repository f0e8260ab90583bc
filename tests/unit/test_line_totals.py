"""A return's aggregates are what their definitions give, worked out line by line with plain
polars groupings, however the lines arrive: in one frame, in many, or numbered by a writer that
gave the same supplier several numbers."""

import random
from decimal import Decimal

import polars as pl
import pytest

from exchange.services.aggregates.spend_totals import LineTotals

THRESHOLDS = [Decimal(25000), Decimal(500), Decimal(250), Decimal(0)]


def lines(count: int, seed: int) -> pl.DataFrame:
    rng = random.Random(seed)
    suppliers = [f"GB-COH-{i:08d}" for i in range(300)] + [None]  # None: a redacted line
    where = [("found", "E08000018", "line"), ("outside", None, "companies"),
             ("unknown", None, None), ("found", None, "register")]
    rows = []
    for _ in range(count):
        status, lad, source = rng.choice(where)
        rows.append((rng.choice([-1, 1]) * rng.randrange(1, 5_000_000), status, lad, source,
                     rng.choice([True, False, None]), rng.choice([True, None]),
                     rng.choice(suppliers)))
    return pl.DataFrame(rows, orient="row", schema={
        "pence": pl.Int64, "location_status": pl.String, "lad_code": pl.String,
        "location_source": pl.String, "sme": pl.Boolean, "vcse": pl.Boolean,
        "supplier_key": pl.String})


def summed(totals: LineTotals) -> dict[str, list]:
    return {name: sorted(getattr(totals, name)(7).iter_rows(), key=repr)
            for name in ("sums", "shares", "suppliers")}


def by_definition(frame: pl.DataFrame, thresholds: list[Decimal]) -> dict[str, list]:
    """The three aggregates straight from the lines (`FRAME_COLUMNS`), as the columns of
    spend_aggregate, spend_share_aggregate and spend_supplier_aggregate describe them."""
    levels = sorted({0, *(int(t * 100) for t in thresholds)})
    band = pl.lit(0, pl.Int64)
    for level in levels:
        band = pl.when(pl.col("pence").abs() >= level).then(pl.lit(level, pl.Int64)) \
            .otherwise(band)
    status = pl.col("location_status")
    lines = frame.select(
        "supplier_key", "pence", band_pence=band,
        location=pl.when(status == "found").then(pl.col("lad_code").fill_null("unknown"))
        .when(status == "outside").then(pl.lit("outside")).otherwise(pl.lit("unknown")),
        location_source=pl.col("location_source").fill_null("unknown"),
        sme=pl.col("sme").fill_null(False), vcse=pl.col("vcse").fill_null(False))
    keys = ["location", "location_source", "sme", "vcse"]
    sums = lines.group_by(*keys, "band_pence").agg(
        amount_pence=pl.col("pence").sum(), credit_pence=pl.col("pence").clip(upper_bound=0)
        .sum(), lines=pl.len())
    suppliers = lines.filter(pl.col("supplier_key").is_not_null()).group_by(
        "supplier_key", "location").agg(amount_pence=pl.col("pence").sum(),
                                       band_pence=pl.col("band_pence").max())
    shares = pl.concat([
        lines.filter(pl.col("band_pence") >= level)
        .group_by("supplier_key", *keys).agg(net=pl.col("pence").sum())
        .group_by(*keys, counted=pl.col("net") > 0)
        .agg(amount_pence=pl.col("net").sum(), suppliers=pl.len())
        .with_columns(threshold_pence=pl.lit(level)) for level in levels])
    return {name: sorted(rows.with_columns(return_id=pl.lit(7)).select(
                sorted(rows.columns + ["return_id"])).iter_rows(), key=repr)
            for name, rows in (("sums", sums), ("shares", shares), ("suppliers", suppliers))}


def summed_in_columns(totals: LineTotals) -> dict[str, list]:
    return {name: sorted((rows := getattr(totals, name)(7)).select(sorted(rows.columns))
                         .iter_rows(), key=repr)
            for name in ("sums", "shares", "suppliers")}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_aggregates_are_those_their_definitions_give_line_by_line(seed):
    frame = lines(4_000, seed)
    totals = LineTotals(THRESHOLDS)
    for offset in range(0, frame.height, 250):
        totals.add(frame.slice(offset, 250))
    assert summed_in_columns(totals) == by_definition(frame, THRESHOLDS)
    assert len(summed_in_columns(totals)["shares"]) > 8  # the comparison compared something


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_aggregates_summed_a_frame_at_a_time_equal_those_of_all_the_lines_at_once(seed):
    frame = lines(4_000, seed)
    whole = LineTotals(THRESHOLDS)
    whole.add(frame)
    pieces = LineTotals(THRESHOLDS)
    for offset in range(0, frame.height, 250):
        pieces.add(frame.slice(offset, 250))
    assert summed(pieces) == summed(whole)
    assert summed(whole)["suppliers"]  # the comparison compared something


def test_each_supplier_and_location_is_one_row_of_its_net_and_top_band_without_redacted_lines():
    # Bands go by each line's own amount: the £100 credit is below £500, the £600 above, so
    # the supplier's top band is £500; its net is every line's.
    totals = LineTotals([Decimal(500), Decimal(0)])
    frame = pl.DataFrame({
        "pence": [60_000, -10_000, 100, 70_000], "location_status": ["found"] * 4,
        "lad_code": ["E08000018"] * 4, "location_source": ["line"] * 4,
        "sme": [True] * 4, "vcse": [None] * 4, "supplier_key": ["GB-COH-1"] * 3 + [None]},
        schema_overrides={"vcse": pl.Boolean})
    totals.add(frame.slice(0, 2))
    totals.add(frame.slice(2, 2))
    assert sorted(totals.suppliers(7).select(
        "supplier_key", "location", "band_pence", "amount_pence").iter_rows()) == [
        ("GB-COH-1", "E08000018", 50_000, 50_100)]


def numbered(frame: pl.DataFrame, copies: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The frame's suppliers each numbered ``copies`` times (as a writer that met the same
    company written several ways would), and its lines as pence and one of those numbers."""
    columns = list(LineTotals.SUPPLIER_COLUMNS)
    distinct = frame.select(columns).unique(maintain_order=True)
    suppliers = pl.concat([distinct.with_row_index("first") for _ in range(copies)]) \
        .with_row_index("supplier")
    lines = frame.with_row_index("line").join(
        distinct.with_row_index("first"), on=columns, nulls_equal=True)
    lines = lines.with_columns(supplier=pl.col("first") + distinct.height
                               * (pl.col("line") % copies))
    return suppliers.drop("first"), lines.select("pence", "supplier")


@pytest.mark.parametrize("copies", [1, 3])
def test_lines_summed_by_described_supplier_numbers_equal_those_summed_with_their_columns(
        copies):
    frame = lines(4_000, 5)
    whole = LineTotals(THRESHOLDS)
    whole.add(frame)
    suppliers, numbered_lines = numbered(frame, copies)
    described = LineTotals(THRESHOLDS)
    for offset in range(0, suppliers.height, 100):
        described.describe(suppliers.slice(offset, 100))
    for offset in range(0, numbered_lines.height, 250):
        described.add_numbered(numbered_lines.slice(offset, 250))
    assert summed(described) == summed(whole)
    assert summed_in_columns(described) == by_definition(frame, THRESHOLDS)
    assert numbered_lines["supplier"].n_unique() > frame["supplier_key"].n_unique()
