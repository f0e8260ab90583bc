"""Benchmark: p50/p95 latency of the partnership and MCA views over HTTP, at two scales, and
feed throughput (200 and 304) against a trivial endpoint, all in one run.

    python bench/views.py [--lines N] [--small-lines M] [--requests R] [--workers W]

For each scale (M lines, default 100,000, then N, default 10,000,000) it creates a throwaway
PostgreSQL database, generates the spend lines straight into it with SQL over 20 partners and
20 quarters (one accepted return each; each partner pays from its own 3,000 of 20,000
suppliers, as a council pays a few thousand a quarter), builds their aggregates the way
acceptance does, serves the app with gunicorn (sync workers on a free loopback port) and times
the views one request at a time. At the large scale it also publishes a release and loads
`/healthz`, a feed dataset answered 200 and the same one answered 304 (If-None-Match) with
`wrk` (Debian package; a small threaded Python load generator if it is missing). Prints one
JSON line of figures and drops the databases.
"""

import argparse
import base64
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from ingest import SERVER, create_database, drop_database, prepare  # noqa: E402

from exchange import create_app  # noqa: E402
from exchange.context import get_engine, get_uow  # noqa: E402
from exchange.feeds.releases import publish_release  # noqa: E402
from exchange.models import Partner, PartnerPlace, PartnerReturn  # noqa: E402
from exchange.periods import period_range  # noqa: E402
from exchange.services.admin import accounts  # noqa: E402
from exchange.services.aggregates import spend_totals, supplier_scopes  # noqa: E402

QUARTERS = [str(q) for q in period_range("2017-18-Q1", "2021-22-Q4")]
PLACES = ["rotherham", "sheffield", "doncaster", "barnsley"]
SUPPLIERS = 20_000  # in the sub-region's supplier base ...
PER_PARTNER = 3_000  # ... of which each partner pays from its own (overlapping) 3,000
YEARS = [q for q in QUARTERS if q.endswith("-Q1")]
# The live views are for the partnerships' own partners (the MCA's clients read the releases):
# South Yorkshire Police is a partner of every place, so it reads both views.
VIEWER = "syp"
# Tables whose size (rows, indexes and TOAST) the capacity model needs (docs/scaling.md).
SIZED = ["spend_line", "spend_aggregate", "spend_supplier_aggregate", "spend_partner_supplier",
         "partner_return"]
# Each shape is a template: request n asks for a different period range (a different year, or
# a four-to-five-year span starting and ending in different quarters), so no two requests in a
# row are the same and each does the real query work.
VIEWS = {
    "partnership": {
        "year_by_quarter": "/api/v1/views/partnership/rotherham?from={year}&by=quarter",
        "5y_total": "/api/v1/views/partnership/rotherham?from={first}&to={last}",
    },
    "mca": {
        "year_by_quarter": "/api/v1/views/mca/south-yorkshire?from={year}&by=quarter",
        "5y_comparable": "/api/v1/views/mca/E47000002?from={first}&to={last}&basis=comparable",
    },
}


def shape_path(template: str, n: int) -> str:
    """Request ``n`` of a shape: years in turn; spans from one of the first four quarters to one
    of the last four (16 combinations)."""
    return template.format(year=YEARS[n % len(YEARS)][:7], first=QUARTERS[n % 4],
                           last=QUARTERS[-1 - (n // 4) % 4])
SUBREGION, RELEASE_PERIOD = "south-yorkshire", "2021-22-Q1"
WRK = ["-t2", "-c16", "-d5s"]


def add_partners() -> list[int]:
    """The registry's partners and enough bench partners to make 20."""
    with get_uow() as uow:
        places = {p.slug: p.id for p in uow.places.all()}
        have = uow.partners.all()
        for n in range(20 - len(have)):
            uow.session.add(Partner(
                slug=f"bench{n:02d}", name=f"Bench partner {n}", kind="other",
                org_id=f"GB-BENCH-{n}", spend_threshold=500, column_overrides={},
                memberships=[PartnerPlace(place_id=places[PLACES[n % 4]])]))
        uow.commit()
        return [p.id for p in uow.partners.all()]


def generate(partner_ids: list[int], lines: int) -> float:
    """One current return per partner and quarter, its lines made by SQL; then aggregates.
    Returns the seconds spent building the aggregates."""
    per = max(1, lines // (len(partner_ids) * len(QUARTERS)))
    with get_uow() as uow:
        db = uow.session
        db.execute(text(
            "CREATE TEMP TABLE bench_supplier AS SELECT i AS id, "
            "CASE WHEN i % 97 = 0 THEN NULL ELSE 'GB-COH-' || lpad(i::text, 8, '0') END AS key, "
            "CASE WHEN i % 10 < 8 THEN 'found' WHEN i % 10 = 8 THEN 'outside' ELSE 'unknown' "
            "END AS status, CASE WHEN i % 10 < 6 THEN (ARRAY['E08000016','E08000017',"
            "'E08000018','E08000019'])[1 + i % 4] WHEN i % 10 < 8 THEN 'E06000013' END AS lad, "
            "i % 3 = 0 AS sme, i % 11 = 0 AS vcse FROM generate_series(1, :k) AS i"),
            {"k": SUPPLIERS})
        ids, owners = [], []
        for partner_id in partner_ids:
            for quarter in QUARTERS:
                ret = PartnerReturn(partner_id=partner_id, kind="spend", period=quarter,
                                    status="accepted", version=1, is_current=True,
                                    sha256="0" * 64, byte_size=0, submitted_by="bench",
                                    row_count=per)
                db.add(ret)
                db.flush()
                ids.append(ret.id)
                owners.append(partner_id)
        db.execute(text(
            "INSERT INTO spend_line (return_id, row_number, payment_date, amount, supplier_name, "
            "supplier_key, redacted, location_status, lad_code, location_source, sme, vcse) "
            "SELECT r.id, g.n, DATE '2021-04-01', CASE WHEN g.n % 50 = 0 THEN -(g.n % 900 + 1) "
            "WHEN g.n % 200 = 1 THEN 25000 + g.n % 10000 ELSE round(exp(((g.n * 37 + r.id) % 1000)"
            " / 110.0)::numeric, 2) END, 'supplier', s.key, s.key IS NULL, s.status, s.lad, "
            "'line', s.sme, s.vcse FROM unnest(CAST(:ids AS integer[]), CAST(:owners AS "
            "integer[])) AS r(id, partner) CROSS JOIN generate_series(1, :per) AS g(n) "
            "JOIN bench_supplier s ON s.id = 1 + (r.partner * 997 + (g.n * 7919 + r.id * 104729)"
            " % :each) % :k"),
            {"ids": ids, "owners": owners, "per": per, "k": SUPPLIERS, "each": PER_PARTNER})
        started = time.perf_counter()
        thresholds = spend_totals.band_thresholds(uow)
        for return_id in ids:
            spend_totals.build_for_return(uow, return_id, thresholds)
        db.execute(text("ANALYZE spend_supplier_aggregate, partner_return"))
        supplier_scopes.rebuild(uow)
        seconds = time.perf_counter() - started
        uow.commit()
    with get_engine().connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
    return seconds


def _request(port: int, path: str, headers: dict, body: str | None = None,
             expect: int = 200) -> tuple[bytes, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("POST" if body else "GET", path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        if response.status != expect:
            raise SystemExit(f"{path}: {response.status} {data[:300]!r}")
        return data, dict(response.getheaders())
    finally:
        conn.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(url: str, workers: int):
    """The app under gunicorn (sync workers) on a free loopback port; yields the port."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": url, "EXCHANGE_DATABASE_URL": url}
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(workers), "-k", "sync",
         "-b", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
        cwd=ROOT, env=env)
    try:
        for _ in range(300):
            try:
                _request(port, "/healthz", {})
                break
            except (OSError, SystemExit):
                if proc.poll() is not None:
                    raise SystemExit("gunicorn did not start") from None
                time.sleep(0.1)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def token(port: int, scope: str, partner: str = "symca") -> str:
    """A client of ``partner`` with ``scope``, and a token from /oauth/token for it."""
    new = accounts.create_client(get_uow(), partner, scope, actor="bench")
    basic = base64.b64encode(f"{new.client_id}:{new.client_secret}".encode()).decode()
    body = urllib.parse.urlencode({"grant_type": "client_credentials", "scope": scope})
    data, _ = _request(port, "/oauth/token", {
        "Authorization": f"Basic {basic}",
        "Content-Type": "application/x-www-form-urlencoded"}, body)
    return json.loads(data)["access_token"]


def _percentiles(times: list[float]) -> dict:
    times = sorted(times)
    return {"p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[max(0, -(-len(times) * 95 // 100) - 1)], 1)}


def latency(port: int, bearer: str, requests: int) -> dict:
    """Each view's query shapes in turn, one request at a time, after three to warm up;
    per view, the percentiles over all its requests and those of each shape."""
    figures = {}
    for view, shapes in VIEWS.items():
        pooled, by_shape = [], {}
        for name, path in shapes.items():
            times = []
            for n in range(requests + 3):
                started = time.perf_counter()
                _request(port, shape_path(path, n), {"Authorization": f"Bearer {bearer}"})
                if n >= 3:
                    times.append((time.perf_counter() - started) * 1000)
            pooled += times
            by_shape[name] = _percentiles(times)
        figures[view] = {**_percentiles(pooled), "shapes": by_shape}
    return figures


def _wrk(port: int, path: str, headers: dict) -> dict:
    args = ["wrk", *WRK]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    out = subprocess.run([*args, f"http://127.0.0.1:{port}{path}"], capture_output=True,
                         text=True, timeout=60, check=True).stdout
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {"rps": round(float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))),
            "requests": int(re.search(r"(\d+) requests in", out).group(1)),
            "non_2xx_3xx": int(bad.group(1)) if bad else 0,
            **({"socket_errors": errors.group(1).strip()} if errors else {})}


def _python_load(port: int, path: str, headers: dict, seconds: float = 5,
                 threads: int = 16) -> dict:
    """Fallback when wrk is missing: ``threads`` threads, new connection per request."""
    counts, stop = [], time.perf_counter() + seconds

    def worker():
        n = 0
        while time.perf_counter() < stop:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", path, headers=headers)
            conn.getresponse().read()
            conn.close()
            n += 1
        counts.append(n)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    started = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return {"rps": round(sum(counts) / (time.perf_counter() - started)),
            "requests": sum(counts)}


def throughput(port: int) -> dict:
    """Requests/s of /healthz, a feed dataset answered 200 and the same one answered 304."""
    publication = publish_release(get_uow(), SUBREGION, RELEASE_PERIOD, actor="bench")
    bearer = token(port, "feeds:read")
    feed = f"/api/v1/feeds/{SUBREGION}/releases/{publication.release_id}/spend"
    auth = {"Authorization": f"Bearer {bearer}"}
    body, headers = _request(port, feed, auth)
    etag = headers["ETag"]
    _request(port, feed, {**auth, "If-None-Match": etag}, expect=304)
    load = _wrk if shutil.which("wrk") else _python_load
    runs = {"healthz": load(port, "/healthz", {}),
            "feed_200": load(port, feed, auth),
            "feed_304": load(port, feed, {**auth, "If-None-Match": etag})}
    return {"release_id": publication.release_id, "feed_bytes": len(body), **runs,
            "feed_304_to_healthz": round(runs["feed_304"]["rps"] / runs["healthz"]["rps"], 2),
            "feed_200_to_healthz": round(runs["feed_200"]["rps"] / runs["healthz"]["rps"], 2)}


def scale(server: str, lines: int, requests: int, workers: int, feeds: bool) -> dict:
    """One throwaway database of ``lines`` lines: load it, time the views, maybe the feeds."""
    url = create_database(server)
    try:
        # Loading millions of lines is a bulk job, like `hub aggregates rebuild`: the request
        # timeouts (DATABASE_STATEMENT_TIMEOUT_SECONDS) are not for it.
        config = type("BenchConfig", (), {"DATABASE_URL": url, "LOG_LEVEL": "WARNING",
                                          "RATELIMIT_ENABLED": False,
                                          "DATABASE_STATEMENT_TIMEOUT_SECONDS": 0})
        app = create_app(config)
        with app.app_context():
            prepare(app)
            partner_ids = add_partners()
            started = time.perf_counter()
            aggregate_seconds = generate(partner_ids, lines)
            load_seconds = time.perf_counter() - started
            with get_uow() as uow:
                stored, rows, supplier_rows, mask_rows = uow.session.execute(text(
                    "SELECT (SELECT count(*) FROM spend_line), "
                    "(SELECT count(*) FROM spend_aggregate), "
                    "(SELECT count(*) FROM spend_supplier_aggregate), "
                    "(SELECT count(*) FROM spend_partner_supplier)")).one()
                sizes = dict(uow.session.execute(text(
                    "SELECT t, pg_total_relation_size(t::regclass) FROM unnest(ARRAY["
                    + ", ".join(f"'{t}'" for t in SIZED) + "]) AS t")).all())
                sizes["database"] = uow.session.scalar(text(
                    "SELECT pg_database_size(current_database())"))
            get_engine().dispose()
            with gunicorn(url, workers) as port:
                result = {"lines": stored, "partners": len(partner_ids),
                          "load_seconds": round(load_seconds, 1),
                          "aggregate_seconds": round(aggregate_seconds, 1),
                          "aggregate_rows": rows, "supplier_aggregate_rows": supplier_rows,
                          "supplier_mask_rows": mask_rows, "bytes": sizes,
                          **latency(port, token(port, "views:read", VIEWER), requests)}
                if feeds:
                    result["feeds"] = throughput(port)
            get_engine().dispose()
        return result
    finally:
        drop_database(server, url)


def set_years(years: int) -> None:
    """Returns for ``years`` financial years ending 2021-22 (five by default); the spans of the
    ``5y_…`` shapes then run over all of them."""
    global QUARTERS, YEARS
    start = 2022 - years
    QUARTERS = [str(q) for q in period_range(f"{start}-{(start + 1) % 100:02d}-Q1", "2021-22-Q4")]
    YEARS = [q for q in QUARTERS if q.endswith("-Q1")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000_000)
    parser.add_argument("--small-lines", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=40, help="per query shape")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--years", type=int, default=5,
                        help="financial years of returns, ending 2021-22 (spans run over them)")
    parser.add_argument("--server", default=SERVER,
                        help="PostgreSQL server to create the throwaway databases on")
    args = parser.parse_args()
    set_years(args.years)
    small = scale(args.server, args.small_lines, args.requests, args.workers, feeds=False)
    large = scale(args.server, args.lines, args.requests, args.workers, feeds=True)
    feeds = large.pop("feeds")
    result = {"lines": large["lines"], "small_lines": small["lines"],
              "partners": large["partners"], "quarters": len(QUARTERS)}
    for view in VIEWS:
        result[view] = {
            "p50_ms_small": small[view]["p50_ms"], "p95_ms_small": small[view]["p95_ms"],
            "p50_ms_large": large[view]["p50_ms"], "p95_ms_large": large[view]["p95_ms"],
            "p95_ratio": round(large[view]["p95_ms"] / small[view]["p95_ms"], 2),
            "shapes_large": large[view]["shapes"]}
    result["feeds"] = feeds
    result.update({
        "requests_per_shape": args.requests, "server": f"gunicorn {args.workers} sync workers",
        "load_generator": f"wrk {' '.join(WRK)}" if shutil.which("wrk")
        else "python threads (wrk missing), 16 threads, 5 s",
        "load_seconds_large": large["load_seconds"],
        "aggregate_seconds_large": large["aggregate_seconds"],
        "aggregate_rows_large": large["aggregate_rows"],
        "supplier_aggregate_rows_large": large["supplier_aggregate_rows"],
        "supplier_mask_rows_large": large["supplier_mask_rows"],
        "bytes_large": large["bytes"],
        "database": "postgresql"})
    print(json.dumps(result))


if __name__ == "__main__":
    main()
