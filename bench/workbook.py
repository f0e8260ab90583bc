"""Benchmark: a real layout as an Excel workbook, against the same rows as CSV.

    python bench/workbook.py [--rows N] [--layout FILE] [--database-url URL] [--server URL]

Takes a publisher's CSV (default Calderdale's, ``../shared/data/real/spend``), repeats its
payment lines to N rows (default 100,000, as `bench/shapes.py` does) and writes the same rows
as a workbook with openpyxl, numbers as numbers. Each is submitted on a fresh database
(PostgreSQL by default, or --database-url's kind) through the same code path: the CSV, the
workbook as the hub reads it (python-calamine for a sheet it may hold at once), and the
workbook streamed by openpyxl (`partners.formats.xlsx_archive.CALAMINE_CELLS` set to 0), the
baseline.
Prints one JSON line: seconds and rows per second of each, and their ratios to the CSV's.
"""

import csv
import io
import sys
import uuid
from pathlib import Path

import openpyxl
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from ingest import bench_main, create_database, drop_database  # noqa: E402, I001
from shapes import REAL, likely_period, scale, submitted  # noqa: E402

from partners.formats import excel, xlsx_archive  # noqa: E402

LAYOUT = REAL / "calderdale" / "calderdale_clean_2022-08.csv"


def as_workbook(scaled: Path, out: Path) -> None:
    """The scaled CSV's rows as a one-sheet workbook, numbers as numbers."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Spend")
    with scaled.open(encoding="latin-1", newline="") as f:
        for row in csv.reader(f):
            sheet.append([_number(cell) for cell in row])
    book.save(out)


def _number(cell: str) -> float | str:
    try:
        return float(cell) if cell.strip() else cell
    except ValueError:
        return cell


def run(rows: int, url: str, work: Path, args) -> dict:
    scaled, book = work / "layout.csv", work / "layout.xlsx"
    found = scale(Path(args.layout), rows, scaled)
    if found is None:
        raise SystemExit(f"{args.layout} has too few payment lines to scale")
    period = likely_period(found[1])
    as_workbook(scaled, book)
    with book.open("rb") as f:
        reader = excel.read_workbook(io.BytesIO(f.read()))
        reader.close()
    result = {"rows": rows, "layout": Path(args.layout).name, "period": period,
              "database": make_url(url).get_backend_name(), "reader": reader.reader,
              "workbook_mb": round(book.stat().st_size / 1e6, 1)}
    budget = xlsx_archive.CALAMINE_CELLS
    for name, path, cells in (("csv", scaled, budget), ("xlsx", book, budget),
                              ("xlsx_streamed", book, 0)):
        xlsx_archive.CALAMINE_CELLS = cells
        fresh = (f"sqlite:///{work / f'{uuid.uuid4().hex}.db'}" if url.startswith("sqlite")
                 else create_database(args.server))
        try:
            seconds, receipt = submitted(path, period, fresh, work)
        finally:
            xlsx_archive.CALAMINE_CELLS = budget
            if not url.startswith("sqlite"):
                drop_database(args.server, fresh)
        result |= {f"{name}_seconds": round(seconds, 2), f"{name}_status": receipt.status,
                   f"{name}_rows_per_s": round(receipt.rows / seconds)}
    result["xlsx_ratio_to_csv"] = round(result["xlsx_seconds"] / result["csv_seconds"], 2)
    result["xlsx_streamed_ratio_to_csv"] = round(
        result["xlsx_streamed_seconds"] / result["csv_seconds"], 2)
    return result


def _options(parser) -> None:
    parser.add_argument("--layout", default=str(LAYOUT), help="a publisher's spend CSV")


def main() -> None:
    bench_main(__doc__.splitlines()[0], "--rows", 100_000, run, _options)


if __name__ == "__main__":
    main()
