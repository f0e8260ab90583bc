"""Benchmark: every real publisher's spend layout, scaled up, through the same code path.

    python bench/shapes.py [--lines N] [--real DIR] [--database-url URL] [--server URL]

The ingestion benchmark (`bench/ingest.py`) writes files of two made-up shapes. This one takes
the files publishers really sent (``../shared/data/real/spend``, each CSV in its folders) and
repeats each one's payment lines (those with as many fields as most of its lines; the heading
row is the first of them) until the file has N lines, default 200,000, keeping its bytes,
headings and preamble as they are. Each is submitted on a fresh database (PostgreSQL by default,
or --database-url's kind: a fresh SQLite file each for sqlite:///) for the quarter most of its
dates fall in, and timed against PostgreSQL's COPY of the same payment lines into a bare table
of text columns. A repeated file repeats its transaction numbers, so some layouts draw a
warning on every line (which the hub lists, up to 50,000 per kind). Prints one JSON line:
each layout's figures, and the slowest and fastest.
"""

import collections
import csv
import json
import re
import sys
import time
import uuid
from datetime import date
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from ingest import _libpq, bench_main, checkpoint, create_database, drop_database, prepare  # noqa: E402, I001

from exchange import create_app  # noqa: E402
from exchange.context import get_blobs, get_engine, get_uow  # noqa: E402
from exchange.ingest.submissions import StoredFile, Submission, submit_return  # noqa: E402
from exchange.periods import quarter_of  # noqa: E402

REAL = ROOT.parent / "shared" / "data" / "real" / "spend"
PARTNER = "rmbc"
_DAY_FIRST = re.compile(rb"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b")
_ISO = re.compile(rb"\b(\d{4})-(\d{2})-(\d{2})\b")


def scale(path: Path, lines: int, out: Path) -> tuple[list[bytes], list[bytes]] | None:
    """Write ``path`` with its payment lines repeated to ``lines`` lines; (the lines above and
    including the headings, the payment lines), or None for a file with too few of them."""
    raw = path.read_bytes().splitlines(keepends=True)
    widths = [len(next(csv.reader([line.decode("latin-1")]), [])) for line in raw]
    usual = collections.Counter(widths).most_common(1)[0][0]
    heading = widths.index(usual)
    body = [line if line.endswith(b"\n") else line + b"\r\n"
            for line, width in zip(raw[heading + 1:], widths[heading + 1:], strict=True)
            if width == usual and line.strip(b"\r\n,")]
    if len(body) < 10:
        return None
    top = [line if line.endswith(b"\n") else line + b"\r\n" for line in raw[:heading + 1]]
    with out.open("wb") as f:
        f.writelines(top)
        for start in range(0, lines, len(body)):
            f.writelines(body[:lines - start])
    return top, body


def likely_period(body: list[bytes]) -> str:
    """The quarter most dates of the first lines fall in (day-first or ISO)."""
    quarters = collections.Counter()
    for line in body[:2000]:
        for d, m, y in _DAY_FIRST.findall(line):
            quarters[_quarter(int(y), int(m), int(d))] += 1
        for y, m, d in _ISO.findall(line):
            quarters[_quarter(int(y), int(m), int(d))] += 1
    quarters.pop(None, None)
    return quarters.most_common(1)[0][0] if quarters else "2021-22-Q3"


def _quarter(year: int, month: int, day: int) -> str | None:
    try:
        return quarter_of(date(year, month, day))
    except ValueError:
        return None


def copy_seconds(url: str, body: list[bytes], lines: int, width: int) -> float:
    """Seconds for psql's COPY of the same payment lines into a bare table of text columns."""
    columns = ", ".join(f"c{i} text" for i in range(width))
    with psycopg.connect(_libpq(url)) as conn:
        conn.execute(f"CREATE TABLE bench_copy ({columns})")
        conn.commit()
        checkpoint(url)
        started = time.perf_counter()
        with conn.cursor() as cur, cur.copy(
                "COPY bench_copy FROM STDIN (FORMAT csv, ENCODING 'LATIN1')") as copy:
            for start in range(0, lines, len(body)):
                copy.write(b"".join(body[:lines - start]))
        conn.commit()
        seconds = time.perf_counter() - started
        conn.execute("DROP TABLE bench_copy")
        conn.commit()
    return seconds


def submitted(path: Path, period: str, url: str, work: Path) -> tuple[float, object]:
    """(seconds, receipt) of submitting the spend file at ``path`` for ``period`` on the
    database at ``url``, made ready as `hub init` does; the time counts keeping the bytes."""
    config = type("BenchConfig", (), {"DATABASE_URL": url, "BLOB_DIR": str(work / "blobs"),
                                      "LOG_LEVEL": "WARNING"})
    app = create_app(config)
    with app.app_context():
        prepare(app)
        blobs = get_blobs()
        checkpoint(url)
        with path.open("rb") as f:
            started = time.perf_counter()
            sha, size = blobs.save(f)
            receipt = submit_return(Submission(PARTNER, "spend", period, "bench"),
                                    StoredFile(sha, size, path.name, "text/csv"), get_uow(),
                                    blobs)
            seconds = time.perf_counter() - started
        get_engine().dispose()
    return seconds, receipt


def one_layout(path: Path, lines: int, url: str, work: Path) -> dict | None:
    scaled = work / f"{path.parent.name}_{path.name}"
    found = scale(path, lines, scaled)
    if found is None:
        return None
    top, body = found
    period = likely_period(body)
    seconds, receipt = submitted(scaled, period, url, work)
    result = {"file": f"{path.parent.name}/{path.name}", "period": period,
              "status": receipt.status, "rows": receipt.rows, "errors": receipt.errors,
              "warnings": receipt.warnings, "issues_listed": len(receipt.issues),
              "seconds": round(seconds, 2), "lines_per_s": round(receipt.rows / seconds)}
    if url.startswith("postgres"):
        width = len(next(csv.reader([top[-1].decode("latin-1")])))
        baseline = copy_seconds(url, body, lines, width)
        result |= {"copy_seconds": round(baseline, 2),
                   "ratio_to_copy": round(seconds / baseline, 2)}
    scaled.unlink()
    return result


def run(lines: int, url: str, work: Path, args) -> dict:
    """Each layout on a database of its own: ``url``'s kind, made afresh each time."""
    layouts = []
    sqlite = url.startswith("sqlite")
    for path in sorted(Path(args.real).glob("*/*.csv")):
        fresh = (f"sqlite:///{work / f'{uuid.uuid4().hex}.db'}" if sqlite
                 else create_database(args.server))
        try:
            found = one_layout(path, lines, fresh, work)
        finally:
            if not sqlite:
                drop_database(args.server, fresh)
        if found is not None:
            layouts.append(found)
            print(json.dumps(found), file=sys.stderr)
    accepted = [r for r in layouts if r["status"] == "accepted"]
    speeds = sorted(accepted, key=lambda r: r["lines_per_s"])
    return {"lines": lines, "database": make_url(url).get_backend_name(),
            "layouts": layouts, "accepted": len(accepted),
            "slowest": speeds[0]["file"] if speeds else None,
            "slowest_lines_per_s": speeds[0]["lines_per_s"] if speeds else None,
            "fastest_lines_per_s": speeds[-1]["lines_per_s"] if speeds else None}


def _options(parser) -> None:
    parser.add_argument("--real", default=str(REAL),
                        help="a folder of publishers' folders of spend CSV files")


def main() -> None:
    bench_main(__doc__.splitlines()[0], "--lines", 200_000, run, _options)


if __name__ == "__main__":
    main()
