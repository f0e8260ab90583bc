"""Benchmark: load a generated companies register through `hub companies load`'s service, against
COPY of the same file into a bare table.

    python bench/companies.py [--rows N] [--database-url URL] [--server URL]

Writes BasicCompanyDataAsOneFile-2026-11-01.zip (one CSV in the published format: the 55
headings as published, every value quoted, CRLF; default 5,500,000 rows, about the whole
register), then times `exchange.services.directory.companies.load_register` on it in a fresh
PostgreSQL database (dropped afterwards), then the psql-style baseline: the zip's CSV streamed, as
`unzip -p FILE | psql -c "\\copy t FROM STDIN (FORMAT csv, HEADER)"` would, into a bare table of
55 text columns. Prints one JSON line: rows, seconds, rows_per_s, copy_seconds, ratio_to_copy,
peak_rss_mb (this process's peak, generation included), zip_mb, csv_mb.
"""

import csv
import random
import resource
import sys
import time
import zipfile
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest import _libpq, bench_main, checkpoint  # noqa: E402
from spendfile import sample_postcodes  # noqa: E402

from exchange import create_app  # noqa: E402
from exchange.context import get_engine, get_uow  # noqa: E402
from exchange.services.admin import migrations  # noqa: E402
from exchange.services.directory.companies import PUBLISHED_HEADER, load_register  # noqa: E402

NAME = "BasicCompanyDataAsOneFile-2026-11-01"
HEADINGS = [h.strip() for h in PUBLISHED_HEADER.split(",")]
_WORDS = ("ACORN", "ANCHOR", "BEACON", "CASTLE", "DALE", "DON", "ELM", "FORGE", "GRANGE",
          "HALLAM", "IRON", "KEPPEL", "LIME", "MOOR", "NORTHERN", "OAK", "PENNINE", "QUARRY",
          "ROTHER", "STEEL", "TOWN", "VALLEY", "WHARNCLIFFE", "YORK", "DEARNE", "MALTBY", "WATH")
_TRADES = ("CARE", "CONSTRUCTION", "CATERING", "CLEANING", "CONSULTING", "TRANSPORT", "PRINT",
           "WASTE", "SECURITY", "PLUMBING", "ELECTRICAL", "SUPPLIES", "HOMES", "LEGAL", "FLEET",
           "HOLDINGS", "PROPERTIES", "SERVICES", "TRADING", "SOLUTIONS", "INVESTMENTS")
_SUFFIXES = ("LTD", "LIMITED", "LIMITED", "LTD.", "PLC", "LLP", "COMMUNITY INTEREST COMPANY")
_CATEGORIES = ("Private Limited Company",) * 18 + ("Limited Liability Partnership",
               "PRI/LBG/NSC (Private, Limited by guarantee, no share capital, use of 'Limited' "
               "exemption)", "Public Limited Company", "Community Interest Company")
_STATUSES = ("Active",) * 20 + ("Active - Proposal to Strike off", "Liquidation",
                                "In Administration")
_ACCOUNTS = ("MICRO ENTITY", "TOTAL EXEMPTION FULL", "DORMANT", "NO ACCOUNTS FILED", "SMALL",
             "FULL", "UNAUDITED ABRIDGED", "GROUP", "MEDIUM", "AUDIT EXEMPTION SUBSIDIARY")
_SIC = ("62012 - Business and domestic software development", "68209 - Other letting and "
        "operating of own or leased real estate", "70229 - Management consultancy activities "
        "other than financial management", "43210 - Electrical installation", "99999 - Dormant "
        "Company", "56101 - Licensed restaurants", "82990 - Other business support service "
        "activities n.e.c.", "None Supplied")
_PREFIXES = ("",) * 16 + ("SC", "NI", "OC")


def write_register(path: Path, rows: int, seed: int = 14) -> None:
    """The zip, its CSV written row by row (memory stays flat)."""
    rng = random.Random(seed)
    postcodes = sample_postcodes(rng, 20_000) + ["", "", "BFPO 123", "EC1V 2NX", "SW1A 1AA"]
    at = {h: i for i, h in enumerate(HEADINGS)}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive, \
            archive.open(f"{NAME}.csv", "w", force_zip64=True) as raw:
        out = _Text(raw)
        out.write(PUBLISHED_HEADER + "\r\n")
        writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        row = [""] * len(HEADINGS)
        for n in range(1, rows + 1):
            prefix = rng.choice(_PREFIXES)
            number = f"{prefix}{n:0{8 - len(prefix)}d}"
            name = (f"{rng.choice(_WORDS)} {rng.choice(_TRADES)} {n} {rng.choice(_SUFFIXES)}"
                    if n % 7 else f"THE {rng.choice(_WORDS)} & {rng.choice(_WORDS)}, {n} LTD")
            row[at["CompanyName"]], row[at["CompanyNumber"]] = name, number
            row[at["RegAddress.AddressLine1"]] = (f"{rng.randrange(1, 400)} "
                                                 f"{rng.choice(_WORDS)} ROAD")
            row[at["RegAddress.AddressLine2"]] = rng.choice(("", "", "UNIT 4", "FIRST FLOOR"))
            row[at["RegAddress.PostTown"]] = rng.choice(("SHEFFIELD", "ROTHERHAM", "DONCASTER"))
            row[at["RegAddress.Country"]] = "ENGLAND"
            row[at["RegAddress.PostCode"]] = rng.choice(postcodes)
            row[at["CompanyCategory"]] = rng.choice(_CATEGORIES)
            row[at["CompanyStatus"]] = rng.choice(_STATUSES)
            row[at["CountryOfOrigin"]] = "United Kingdom"
            row[at["IncorporationDate"]] = (f"{rng.randrange(1, 29):02d}/"
                                           f"0{rng.randrange(1, 10)}/20{rng.randrange(10):02d}")
            row[at["Accounts.AccountRefDay"]], row[at["Accounts.AccountRefMonth"]] = "31", "3"
            row[at["Accounts.NextDueDate"]] = "31/12/2026"
            row[at["Accounts.LastMadeUpDate"]] = "31/03/2025"
            row[at["Accounts.AccountCategory"]] = rng.choice(_ACCOUNTS)
            row[at["Mortgages.NumMortCharges"]] = row[at["Mortgages.NumMortOutstanding"]] = "0"
            row[at["SICCode.SicText_1"]] = rng.choice(_SIC)
            row[at["URI"]] = f"http://business.data.gov.uk/id/company/{number}"
            row[at["ConfStmtNextDueDate"]] = "14/05/2027"
            row[at["ConfStmtLastMadeUpDate"]] = "30/04/2026"
            writer.writerow(row)
        out.flush()


class _Text:
    """A text writer over the zip member that encodes in large chunks (csv writes per row)."""

    def __init__(self, raw):
        self.raw, self.parts, self.size = raw, [], 0

    def write(self, s: str) -> None:
        self.parts.append(s)
        self.size += len(s)
        if self.size > 1 << 20:
            self.flush()

    def flush(self) -> None:
        self.raw.write("".join(self.parts).encode("utf-8"))
        self.parts, self.size = [], 0


def copy_baseline(url: str, path: Path) -> float:
    """Seconds to stream the zip's CSV by COPY into a bare table of 55 text columns."""
    columns = ", ".join(f"c{i} text" for i in range(len(HEADINGS)))
    with psycopg.connect(_libpq(url)) as conn:
        conn.execute(f"CREATE TABLE bench_copy ({columns})")
        conn.commit()
        checkpoint(url)
        started = time.perf_counter()
        with zipfile.ZipFile(path) as archive, archive.open(f"{NAME}.csv") as f, \
                conn.cursor() as cur, \
                cur.copy("COPY bench_copy FROM STDIN (FORMAT csv, HEADER true)") as copy:
            while chunk := f.read(1 << 20):
                copy.write(chunk)
        conn.commit()
        seconds = time.perf_counter() - started
        conn.execute("DROP TABLE bench_copy")
        conn.commit()
    return seconds


def run(rows: int, url: str, work: Path) -> dict:
    path = work / f"{NAME}.zip"
    write_register(path, rows)
    config = type("BenchConfig", (), {"DATABASE_URL": url, "BLOB_DIR": str(work / "blobs"),
                                      "LOG_LEVEL": "WARNING"})
    app = create_app(config)
    with app.app_context():
        migrations.upgrade(get_engine())
        checkpoint(url)
        started = time.perf_counter()
        loaded = load_register([path], get_uow())
        seconds = time.perf_counter() - started
        get_engine().dispose()
    if loaded.companies != rows:
        raise SystemExit(f"loaded {loaded.companies} of {rows} rows ({loaded.skipped} skipped)")
    copy_seconds = copy_baseline(url, path)
    with zipfile.ZipFile(path) as archive:
        csv_bytes = archive.getinfo(f"{NAME}.csv").file_size
    return {
        "rows": rows,
        "seconds": round(seconds, 2),
        "rows_per_s": round(rows / seconds),
        "copy_seconds": round(copy_seconds, 2),
        "ratio_to_copy": round(seconds / copy_seconds, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "zip_mb": round(path.stat().st_size / 2**20),
        "csv_mb": round(csv_bytes / 2**20),
        "database": "postgresql",
    }


def main() -> None:
    bench_main(__doc__.splitlines()[0], "--rows", 5_500_000, run)


if __name__ == "__main__":
    main()
