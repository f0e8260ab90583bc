"""bench/ingest.py runs end to end on a small file and prints its one JSON line (no timings
are checked: throughput is the benchmark's business, not the test suite's)."""

import csv
import json
import subprocess
import sys
from pathlib import Path

from tests.ingest.cases import spendfile

BENCH = Path(__file__).resolve().parents[2] / "bench" / "ingest.py"
KEYS = {"lines", "seconds", "lines_per_s", "copy_seconds", "ratio_to_copy", "peak_rss_mb",
        "python_cpu_seconds", "database", "save_seconds", "blob_store", "layout", "through"}


def test_the_ingestion_benchmark_prints_one_json_line_of_figures(app, database_url):
    # The test database already has the registry and geography, so `hub init` has little to do.
    done = subprocess.run([sys.executable, str(BENCH), "--lines", "2000",
                           "--database-url", database_url],
                          capture_output=True, text=True, timeout=120, check=False)

    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1
    figures = json.loads(lines[0])
    assert set(figures) == KEYS
    assert (figures["lines"], figures["layout"]) == (2000, "transparency")
    assert figures["through"] == "submit_return"
    assert (figures["copy_seconds"] is None) == (figures["database"] == "sqlite")
    assert figures["blob_store"] == ("directory" if figures["database"] == "sqlite"
                                     else "database")


def figures_of(database_url: str, *options: str) -> dict:
    """The JSON line of bench/ingest.py run with ``options`` on the test database."""
    done = subprocess.run([sys.executable, str(BENCH), *options, "--database-url", database_url],
                          capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_benchmark_with_suppliers_and_a_corrected_version_prints_both_times(
        app, database_url):
    figures = figures_of(database_url, "--lines", "1500", "--suppliers", "400", "--supersede")

    assert set(figures) == KEYS | {"suppliers", "supersede_seconds", "supersede_ratio"}
    assert (figures["lines"], figures["suppliers"], figures["layout"]) == (1500, 400, "trafford")
    assert figures["supersede_seconds"] > 0


def test_the_benchmark_times_hub_ingest_in_a_process_of_its_own_when_told(app, database_url):
    figures = figures_of(database_url, "--lines", "1500", "--suppliers", "400", "--supersede",
                         "--cli")

    assert (figures["through"], figures["lines"], figures["save_seconds"]) == (
        "hub ingest", 1500, None)
    assert figures["supersede_seconds"] > 0 and figures["peak_rss_mb"] > 0


def test_the_benchmark_pays_as_many_suppliers_in_the_transparency_layout_when_told(
        app, database_url):
    figures = figures_of(database_url, "--lines", "1500", "--suppliers", "400",
                         "--layout", "transparency", "--supersede")

    assert (figures["suppliers"], figures["layout"]) == (400, "transparency")
    assert figures["supersede_seconds"] > 0


def test_the_benchmark_with_the_next_quarter_prints_its_time_too(app, database_url):
    figures = figures_of(database_url, "--lines", "1200", "--suppliers", "300", "--next-quarter")

    assert set(figures) == KEYS | {"suppliers", "next_quarter_seconds", "next_quarter_ratio"}
    assert figures["next_quarter_seconds"] > 0


def test_the_ingestion_benchmark_takes_the_blob_store_to_measure(app, database_url):
    figures = figures_of(database_url, "--lines", "500", "--blob-store", "database")

    assert figures["blob_store"] == "database"


def test_the_generated_file_pays_every_supplier_and_its_correction_changes_one_line_in_100(
        tmp_path):
    generator = spendfile()
    first, corrected = tmp_path / "first.csv", tmp_path / "corrected.csv"
    pool = generator.write_spend(first, 3000, suppliers=400)
    generator.write_spend(corrected, 3000, suppliers=400, corrected=True)

    def lines(path):
        return [next(csv.reader([line])) for line in
                path.read_bytes().decode("utf-8", "replace").splitlines()[3:]]

    before, after = lines(first), lines(corrected)
    paid = {line[11] for line in before} - {""}  # Supplier ID; withheld names have none
    assert paid == {supplier[0] for supplier in pool} and len(pool) == 400
    changed = [n for n, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert changed == list(range(0, 3000, generator.CORRECTED_EVERY))


def test_the_benchmark_writes_the_narrow_layout_when_told(app, database_url):
    figures = figures_of(database_url, "--lines", "1500", "--suppliers", "400",
                         "--layout", "narrow", "--supersede")

    assert (figures["lines"], figures["suppliers"], figures["layout"]) == (1500, 400, "narrow")
    assert figures["supersede_seconds"] > 0


def test_the_narrow_file_pays_the_trafford_files_suppliers_in_six_columns(tmp_path):
    generator = spendfile()
    wide, narrow = tmp_path / "wide.csv", tmp_path / "narrow.csv"
    generator.write_trafford(wide, 2000, 300)
    generator.write_trafford(narrow, 2000, 300, narrow=True)

    def rows(path):
        return list(csv.reader(path.read_text("utf-8").splitlines()))

    wide_rows, narrow_rows = rows(wide), rows(narrow)
    assert narrow_rows[0] == list(generator.NARROW_HEADER)
    assert {len(row) for row in narrow_rows} == {6}
    at = {name: wide_rows[0].index(name) for name in ("BeneficiaryName", "BeneficiaryOtherID",
                                                      "Amount")}
    assert [(row[1], row[2], row[3]) for row in narrow_rows[1:]] == [
        (row[at["BeneficiaryName"]], row[at["BeneficiaryOtherID"]], row[at["Amount"]])
        for row in wide_rows[1:]]
