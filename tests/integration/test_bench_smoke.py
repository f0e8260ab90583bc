"""bench/ingest.py runs end to end on a small file and prints its one JSON line (no timings
are checked: throughput is the benchmark's business, not the test suite's)."""

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "ingest.py"
KEYS = {"lines", "seconds", "lines_per_s", "copy_seconds", "ratio_to_copy", "peak_rss_mb",
        "python_cpu_seconds", "database", "save_seconds", "blob_store"}


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
    assert figures["lines"] == 2000
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
    assert (figures["lines"], figures["suppliers"]) == (1500, 400)
    assert figures["supersede_seconds"] > 0


def test_the_benchmark_with_the_next_quarter_prints_its_time_too(app, database_url):
    figures = figures_of(database_url, "--lines", "1200", "--suppliers", "300", "--next-quarter")

    assert set(figures) == KEYS | {"suppliers", "next_quarter_seconds", "next_quarter_ratio"}
    assert figures["next_quarter_seconds"] > 0


def test_the_ingestion_benchmark_takes_the_blob_store_to_measure(app, database_url):
    figures = figures_of(database_url, "--lines", "500", "--blob-store", "database")

    assert figures["blob_store"] == "database"
