"""A big transparency CSV is streamed: peak memory stays small whatever the file's size.

Throughput is measured by bench/ingest.py, never asserted here."""

import os
import tracemalloc

import pytest

from partners import read_table

LINES = int(os.environ.get("PARTNERS_SPEED_LINES", "200000"))
HEADING = (
    "Organisation Code,Organisation Label,Effective Date,Organisational Unit,"
    "Service Division Label,Category Internal Name,Purpose,Detailed Expenditure Code,"
    "Payment Date,Transaction Number,Irrecoverable VAT Amount,Amount,Capital Or Revenue,"
    "Beneficiary Name,Procurement Card\r\n"
)


@pytest.fixture(scope="module")
def big_file(tmp_path_factory):
    """A Leeds-2020-shaped file of LINES payment lines."""
    path = tmp_path_factory.mktemp("speed") / "spend.csv"
    with path.open("w", newline="") as out:
        out.write(HEADING)
        for i in range(LINES):
            out.write(
                "Http://opendatacommunities.org/id/metropolitan-district-council/leeds,Leeds City "
                f"Council,30/06/2020,Adults and Health,Services For Older People,Third Party "
                f"Payments,Sheltered Accommodation,569,{i % 28 + 1:02d}/06/2020,2006-{i:06d},0.00,"
                f'"{i % 99999},{i % 100:02d}.{i % 97:02d}",R,SUPPLIER {i % 5000} LTD,No\r\n'
            )
    return path


@pytest.mark.slow
def test_a_big_transparency_csv_is_streamed_not_held_in_memory(big_file):
    tracemalloc.start()
    try:
        with big_file.open("rb") as stream:
            for _ in read_table(stream, "spend").rows:
                pass
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert big_file.stat().st_size > 40_000_000
    assert peak < 5_000_000
