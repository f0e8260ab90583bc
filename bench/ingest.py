"""Benchmark: ingest a generated N-line spend file through the API's code path, against COPY.

    python bench/ingest.py [--lines N] [--suppliers N] [--supersede] [--next-quarter] [--cli]
                           [--blob-store database|directory] [--database-url URL] [--server URL]

Without --database-url it creates a fresh PostgreSQL database on --server and drops it afterwards.
Prints one JSON line: lines, seconds, lines_per_s, copy_seconds, ratio_to_copy, peak_rss_mb,
python_cpu_seconds (CPU time of this process while ingesting), save_seconds (keeping the bytes
in the blob store, part of seconds) and blob_store (BLOB_STORE: database or directory).
``--suppliers N`` writes the file in the Trafford layout with N distinct suppliers, each with a
stable id (else the transparency code layout with about 5,000); ``--layout transparency`` or
``narrow`` (the Trafford payments in six columns) changes the shape; ``--supersede`` then submits a
corrected version (one line in a hundred changed) and adds supersede_seconds and
supersede_ratio (to the first version's seconds). ``--next-quarter`` (with ``--suppliers``)
then submits the partner's return for the next quarter, paying the same suppliers, and adds
next_quarter_seconds and next_quarter_ratio: every supplier's masks get that quarter's bit.
``--cli`` times each spend submission as ``hub ingest`` in a process of its own, from its start
to its end (importing the hub, saving the bytes, the report and the exit included), as an
operator runs it; peak_rss_mb and python_cpu_seconds are then that process's, and
save_seconds is not measured.
"""

import argparse
import csv
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

import psycopg
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import spendfile  # noqa: E402

from config.default import CONFIG_DIR, GEOGRAPHY_DIR  # noqa: E402
from exchange import create_app  # noqa: E402
from exchange.context import get_blobs, get_engine, get_uow  # noqa: E402
from exchange.ingest.submissions import StoredFile, Submission, submit_return  # noqa: E402
from exchange.services.admin import (
    migrations,  # noqa: E402
    registry,  # noqa: E402
)
from exchange.services.directory import geography  # noqa: E402

SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
PARTNER = "rmbc"
HUB = Path(sys.executable).with_name("hub")


def _libpq(url: str) -> str:
    """A SQLAlchemy URL as libpq takes it."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def create_database(server: str) -> str:
    name = f"bench_ingest_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(_libpq(server), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return make_url(server).set(drivername="postgresql+psycopg", database=name) \
        .render_as_string(hide_password=False)


def drop_database(server: str, url: str) -> None:
    with psycopg.connect(_libpq(server), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')


def prepare(app) -> None:
    """What `hub init` does: migrations, the registry from config/, the shipped geography."""
    migrations.upgrade(get_engine())
    registry.load_registry(CONFIG_DIR, get_uow())
    geography.load_default_geography(GEOGRAPHY_DIR, get_uow())


def submit(path: Path, kind: str, timings: dict | None = None, period: str = spendfile.PERIOD):
    """Keep the bytes in the blob store and submit them, as POST /api/v1/returns does (the
    uploaded file stays open for the request, as werkzeug's spooled upload does)."""
    blobs = get_blobs()
    with path.open("rb") as f:
        started = time.perf_counter()
        sha, size = blobs.save(f)
        if timings is not None:
            timings["save_seconds"] = time.perf_counter() - started
        stored = StoredFile(sha, size, path.name, "text/csv")
        return submit_return(Submission(PARTNER, kind, period, "bench"), stored,
                             get_uow(), blobs)


def checkpoint(url: str) -> None:
    """Write PostgreSQL's dirty buffers out, so neither timed part pays for the other's
    (shared_buffers is small next to a million lines). Needs a superuser; skipped otherwise."""
    if not url.startswith("postgres"):
        return
    try:
        with psycopg.connect(_libpq(url), autocommit=True) as conn:
            conn.execute("CHECKPOINT")
    except psycopg.errors.InsufficientPrivilege:
        pass


def copy_baseline(url: str, path: Path, preamble: int = 0) -> float:
    """Seconds to COPY the file's lines (its ``preamble`` lines stripped) into a bare table of
    as many text columns as its header row has."""
    with path.open("rb") as f, psycopg.connect(_libpq(url)) as conn:
        for _ in range(preamble):
            f.readline()  # COPY cannot skip a preamble; the header row it skips itself
        at = f.tell()
        width = len(next(csv.reader([f.readline().decode("utf-8-sig", "replace")])))
        f.seek(at)
        columns = ", ".join(f"c{i} text" for i in range(width))
        conn.execute(f"CREATE TABLE bench_copy ({columns})")
        conn.commit()
        checkpoint(url)
        started = time.perf_counter()
        # LATIN1 takes any byte, so the file's few Windows-1252 lines do not stop COPY.
        sql = "COPY bench_copy FROM STDIN (FORMAT csv, HEADER true, ENCODING 'LATIN1')"
        with conn.cursor() as cur, cur.copy(sql) as copy:
            while chunk := f.read(1 << 20):
                copy.write(chunk)
        conn.commit()
        seconds = time.perf_counter() - started
        conn.execute("DROP TABLE bench_copy")
        conn.commit()
    return seconds


def write_spend(path: Path, lines: int, suppliers: int | None, layout: str, run: str,
                **version) -> list[tuple]:
    """The spend file in ``layout`` (Trafford where ``suppliers`` are given, unless told
    otherwise); ``version``: ``corrected`` or ``next_quarter`` (Trafford and narrow only)."""
    if suppliers and layout != "transparency":
        return spendfile.write_trafford(path, lines, suppliers, run=run,
                                        narrow=layout == "narrow", **version)
    return spendfile.write_spend(path, lines, run=run, suppliers=suppliers, **version)


def write_files(work: Path, lines: int, suppliers: int | None, layout: str,
                run: str) -> tuple[Path, Path]:
    """The spend file and a suppliers file naming every other supplier of it."""
    spend, register = work / "spend.csv", work / "suppliers.csv"
    pool = write_spend(spend, lines, suppliers, layout, run)
    spendfile.write_suppliers(register, pool, run=run)
    return spend, register


def _timed(path: Path, url: str, timings: dict | None = None,
           period: str = spendfile.PERIOD) -> tuple:
    """(receipt, seconds, CPU seconds) of one spend submission, after a checkpoint."""
    checkpoint(url)
    started, cpu = time.perf_counter(), time.process_time()
    receipt = submit(path, "spend", timings, period)
    return receipt, time.perf_counter() - started, time.process_time() - cpu


class _CliReceipt:
    """What `_check` and the summary read of a receipt, from ``hub ingest --json``."""

    def __init__(self, printed: dict):
        self.status, self.version = printed["status"], printed["version"]
        self.rows, self.warnings = printed["counts"]["rows"], printed["counts"]["warnings"]
        self.amount, self.notes, self.replayed = printed["totals"].get("amount"), \
            printed["notes"], False
        self.issues = [SimpleNamespace(code=i["code"], message=i["message"])
                       for i in printed["issues"] for _ in range(i["count"])]


def _timed_cli(path: Path, url: str, work: Path, blob_store: str,
               period: str = spendfile.PERIOD) -> tuple:
    """(receipt, seconds, CPU seconds) of one spend submission through ``hub ingest`` in its
    own process, after a checkpoint."""
    checkpoint(url)
    env = {**os.environ, "DATABASE_URL": url, "BLOB_DIR": str(work / "blobs"),
           "BLOB_STORE": blob_store, "LOG_LEVEL": "WARNING"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([HUB, "ingest", "--partner", PARTNER, "--kind", "spend", "--period",
                           period, "--json", str(path)], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if not done.stdout.startswith("{"):
        raise SystemExit(f"hub ingest failed ({done.returncode}): {done.stderr[-2000:]}")
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return _CliReceipt(json.loads(done.stdout)), seconds, cpu


def _check(receipt, lines: int, version: int) -> None:
    if (receipt.status != "accepted" or receipt.rows != lines or receipt.replayed
            or receipt.version != version):
        raise SystemExit(f"the spend return was {receipt.status} (version {receipt.version}) "
                         f"with {receipt.rows} rows: {[i.message for i in receipt.issues[:3]]}")


def run(lines: int, url: str, work: Path, args=None) -> dict:
    suppliers = getattr(args, "suppliers", None)
    supersede = getattr(args, "supersede", False)
    next_quarter = getattr(args, "next_quarter", False)
    layout = getattr(args, "layout", None) or ("trafford" if suppliers else "transparency")
    if next_quarter and layout == "transparency":
        raise SystemExit("--next-quarter needs --suppliers in the Trafford or narrow layout")
    if layout == "narrow" and not suppliers:
        raise SystemExit("--layout narrow needs --suppliers")
    blob_store = getattr(args, "blob_store", None) or ""
    cli = getattr(args, "cli", False)
    run = uuid.uuid4().hex  # new bytes each run: the hub would replay a file it already has
    spend, register_file = write_files(work, lines, suppliers, layout, run)
    config = type("BenchConfig", (), {"DATABASE_URL": url, "BLOB_DIR": str(work / "blobs"),
                                      "BLOB_STORE": blob_store, "LOG_LEVEL": "WARNING"})
    app = create_app(config)
    with app.app_context():
        prepare(app)
        register = submit(register_file, "suppliers")  # so spend lines meet a supplier register
        if register.status != "accepted":
            raise SystemExit(f"the suppliers return was {register.status}: {register.issues[:3]}")
        store = get_blobs().kind
        timings = {"save_seconds": None}

        def timed(path: Path, period: str = spendfile.PERIOD, first: bool = False) -> tuple:
            if cli:
                return _timed_cli(path, url, work, store, period)
            return _timed(path, url, timings if first else None, period)

        receipt, seconds, cpu = timed(spend, first=True)
        _check(receipt, lines, 1)
        if supersede:
            corrected = work / "corrected.csv"
            write_spend(corrected, lines, suppliers, layout, run, corrected=True)
            second, again, _ = timed(corrected)
            _check(second, lines, 2)
        if next_quarter:
            following = work / "next.csv"
            write_spend(following, lines, suppliers, layout, run, next_quarter=True)
            third, later, _ = timed(following, period=spendfile.NEXT_PERIOD)
            _check(third, lines, 1)
        get_engine().dispose()
    codes = {}
    for issue in receipt.issues:
        codes[issue.code] = codes.get(issue.code, 0) + 1
    print(f"accepted {receipt.rows} rows, total {receipt.amount}, {receipt.warnings} warnings "
          f"(listed by code: {codes}); notes: {receipt.notes}", file=sys.stderr)
    postgres = url.startswith("postgres")
    preamble = len(spendfile.PREAMBLE) if layout == "transparency" else 0
    copy_seconds = copy_baseline(url, spend, preamble) if postgres else None
    result = {
        "lines": lines,
        "seconds": round(seconds, 2),
        "lines_per_s": round(lines / seconds),
        "copy_seconds": round(copy_seconds, 2) if copy_seconds else None,
        "ratio_to_copy": round(seconds / copy_seconds, 2) if copy_seconds else None,
        "peak_rss_mb": round(resource.getrusage(
            resource.RUSAGE_CHILDREN if cli else resource.RUSAGE_SELF).ru_maxrss / 1024),
        "python_cpu_seconds": round(cpu, 2),
        "database": make_url(url).get_backend_name(),
        "save_seconds": None if cli else round(timings["save_seconds"], 2),
        "blob_store": store,
    }
    if suppliers:
        result["suppliers"] = suppliers
    result["layout"] = layout
    result["through"] = "hub ingest" if cli else "submit_return"
    if supersede:
        result["supersede_seconds"] = round(again, 2)
        result["supersede_ratio"] = round(again / seconds, 2)
    if next_quarter:
        result["next_quarter_seconds"] = round(later, 2)
        result["next_quarter_ratio"] = round(later / seconds, 2)
    return result


def bench_main(description: str, size_flag: str, default_size: int, run_once,
               add_options=None) -> None:
    """A benchmark's command line: ``run_once(size, database_url, work_dir)`` on a throwaway
    database (or ``--database-url``) and a scratch folder, both removed after; one JSON line.
    ``add_options(parser)`` adds a benchmark's own options; ``run_once`` then also gets the
    parsed arguments."""
    parser = argparse.ArgumentParser(description=description)
    if add_options is not None:
        add_options(parser)
    parser.add_argument(size_flag, dest="size", type=int, default=default_size)
    parser.add_argument("--database-url", help="an existing database (sqlite:///… works too)")
    parser.add_argument("--server", default=SERVER,
                        help="PostgreSQL server to create a throwaway database on")
    args = parser.parse_args()
    url = args.database_url or create_database(args.server)
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        result = (run_once(args.size, url, work, args) if add_options is not None
                  else run_once(args.size, url, work))
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if not args.database_url:
            drop_database(args.server, url)
    print(json.dumps(result))


def _options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--suppliers", type=int, default=None,
                        help="distinct suppliers, each with a stable id (Trafford layout)")
    parser.add_argument("--layout", choices=["trafford", "transparency", "narrow"],
                        help="the spend file's layout (default: Trafford with --suppliers; "
                             "narrow: its payments in six columns)")
    parser.add_argument("--supersede", action="store_true",
                        help="then submit a corrected version (one line in a hundred changed)")
    parser.add_argument("--next-quarter", action="store_true",
                        help="then submit the next quarter's return, paying the same suppliers")
    parser.add_argument("--cli", action="store_true",
                        help="time each spend submission as `hub ingest` in its own process")
    parser.add_argument("--blob-store", choices=["database", "directory"],
                        help="BLOB_STORE (default: database on PostgreSQL, else directory)")


def main() -> None:
    bench_main(__doc__.splitlines()[0], "--lines", 1_000_000, run, _options)


if __name__ == "__main__":
    main()
