"""Benchmark: p50/p95 latency of the partnership and MCA views over HTTP, on N spend lines.

    python bench/views.py [--lines N] [--requests R] [--database-url URL] [--server URL]

Generates N spend lines (default 10,000,000) straight into a fresh PostgreSQL database with SQL,
over 20 partners and 20 quarters (one accepted return each; each partner pays from its own
3,000 of 20,000 suppliers, as a council pays a few thousand a quarter), builds their aggregates
the way acceptance does, then times the views through the app's HTTP server (werkzeug, threaded,
in this process). Prints one JSON line of figures.
"""

import argparse
import base64
import http.client
import json
import statistics
import sys
import threading
import time
import urllib.parse
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest import SERVER, create_database, drop_database, prepare  # noqa: E402

from exchange import create_app  # noqa: E402
from exchange.context import get_engine, get_uow  # noqa: E402
from exchange.models import Partner, PartnerPlace, PartnerReturn  # noqa: E402
from exchange.periods import period_range  # noqa: E402
from exchange.services import accounts, aggregates  # noqa: E402

QUARTERS = [str(q) for q in period_range("2017-18-Q1", "2021-22-Q4")]
PLACES = ["rotherham", "sheffield", "doncaster", "barnsley"]
SUPPLIERS = 20_000  # in the sub-region's supplier base ...
PER_PARTNER = 3_000  # ... of which each partner pays from its own (overlapping) 3,000
VIEWS = {
    "partnership_year_by_quarter": "/api/v1/views/partnership/rotherham?from=2021-22&by=quarter",
    "mca_year_by_quarter": "/api/v1/views/mca/south-yorkshire?from=2021-22&by=quarter",
    "partnership_5y_total": "/api/v1/views/partnership/rotherham?from=2017-18&to=2021-22",
    "mca_5y_comparable": "/api/v1/views/mca/E47000002?from=2017-18&to=2021-22&basis=comparable",
}


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
        thresholds = aggregates.band_thresholds(uow)
        for return_id in ids:
            aggregates.build_for_return(uow, return_id, thresholds)
        seconds = time.perf_counter() - started
        uow.commit()
    with get_engine().connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
    return seconds


def _get(port: int, path: str, headers: dict, body: str | None = None) -> bytes:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("POST" if body else "GET", path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        if response.status != 200:
            raise SystemExit(f"{path}: {response.status} {data[:300]!r}")
        return data
    finally:
        conn.close()


def token(port: int) -> str:
    new = accounts.create_client(get_uow(), "symca", "views:read")
    basic = base64.b64encode(f"{new.client_id}:{new.client_secret}".encode()).decode()
    body = urllib.parse.urlencode({"grant_type": "client_credentials", "scope": "views:read"})
    data = _get(port, "/oauth/token", {"Authorization": f"Basic {basic}",
                                       "Content-Type": "application/x-www-form-urlencoded"}, body)
    return json.loads(data)["access_token"]


def latency(port: int, path: str, bearer: str, count: int) -> dict:
    times = []
    for n in range(count + 3):  # three to warm up
        started = time.perf_counter()
        _get(port, path, {"Authorization": f"Bearer {bearer}"})
        if n >= 3:
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {"p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1)}


def run(lines: int, requests: int, url: str) -> dict:
    config = type("BenchConfig", (), {"DATABASE_URL": url, "LOG_LEVEL": "WARNING",
                                      "RATELIMIT_ENABLED": False})
    app = create_app(config)
    with app.app_context():
        prepare(app)
        partner_ids = add_partners()
        started = time.perf_counter()
        aggregate_seconds = generate(partner_ids, lines)
        load_seconds = time.perf_counter() - started
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        port = server.server_port
        try:
            bearer = token(port)
            figures = {name: latency(port, path, bearer, requests) for name, path in VIEWS.items()}
        finally:
            server.shutdown()
        with get_uow() as uow:
            stored = uow.session.execute(text("SELECT count(*) FROM spend_line")).scalar()
            rows = uow.session.execute(text(
                "SELECT (SELECT count(*) FROM spend_aggregate), "
                "(SELECT count(*) FROM spend_supplier_aggregate)")).one()
        get_engine().dispose()
    return {"lines": stored, "partners": len(partner_ids), "quarters": len(QUARTERS),
            "load_seconds": round(load_seconds, 1),
            "aggregate_seconds": round(aggregate_seconds, 1),
            "aggregate_rows": rows[0], "supplier_aggregate_rows": rows[1],
            "requests": requests, "server": "werkzeug threaded", **figures,
            "database": make_url(url).get_backend_name()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--database-url", help="an existing, empty PostgreSQL database")
    parser.add_argument("--server", default=SERVER,
                        help="PostgreSQL server to create a throwaway database on")
    args = parser.parse_args()
    url = args.database_url or create_database(args.server)
    try:
        result = run(args.lines, args.requests, url)
    finally:
        if not args.database_url:
            drop_database(args.server, url)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
