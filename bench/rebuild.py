"""Benchmark: `hub aggregates rebuild` after a newer companies register, on a database that
bench/ingest.py filled (``--database-url``), so the rebuild re-places many suppliers.

    python bench/ingest.py --lines 200000 --database-url sqlite:////tmp/bench.db
    python bench/rebuild.py --database-url sqlite:////tmp/bench.db

Loads a register (in the published format, tests/companies_file.py) holding every company
number of the stored spend lines, registered offices alternately in and outside South
Yorkshire, then times two rebuilds: the first re-places the suppliers the register now locates,
the second finds nothing changed. Prints one JSON line: lines, companies,
rebuild_changed_seconds, suppliers_changed, rebuild_unchanged_seconds.
"""

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from exchange import create_app  # noqa: E402
from exchange.context import get_uow  # noqa: E402
from exchange.models import AuditEvent, SpendLine  # noqa: E402
from exchange.services.aggregates.spend_totals import rebuild_all  # noqa: E402
from exchange.services.directory.companies import load_register  # noqa: E402
from tests.companies_file import company, write_csv  # noqa: E402

OFFICES = ("S60 2UD", "SW1A 1AA", "S1 2HH", "LS1 4AP", "DN1 1AA")


def _timed_rebuild() -> tuple[float, int]:
    start = time.perf_counter()
    rebuild_all(get_uow(), actor="bench")
    seconds = time.perf_counter() - start
    with get_uow() as uow:
        detail = uow.session.scalars(select(AuditEvent.detail).where(
            AuditEvent.action == "spend.replace").order_by(AuditEvent.id.desc())).first()
    return round(seconds, 2), detail["suppliers_changed"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True,
                        help="a database bench/ingest.py filled (sqlite:///… works)")
    args = parser.parse_args()
    config = type("BenchConfig", (), {"DATABASE_URL": args.database_url, "TESTING": True,
                                      "SECRET_KEY": "bench-secret-key-not-for-production"})
    app = create_app(config)
    with app.app_context(), tempfile.TemporaryDirectory() as folder:
        with get_uow() as uow:
            lines = uow.session.scalar(select(func.count()).select_from(SpendLine))
            numbers = list(uow.session.scalars(select(SpendLine.company_number).distinct()
                                               .where(SpendLine.company_number.is_not(None))))
        register = [company(number, f"COMPANY {number} LIMITED", OFFICES[i % len(OFFICES)])
                    for i, number in enumerate(numbers)]
        path = write_csv(Path(folder) / "BasicCompanyDataAsOneFile-2099-01-01.csv", register)
        load_register([path], get_uow(), force=True)
        changed_seconds, changed = _timed_rebuild()
        unchanged_seconds, _ = _timed_rebuild()
    print(json.dumps({"lines": lines, "companies": len(numbers),
                      "rebuild_changed_seconds": changed_seconds, "suppliers_changed": changed,
                      "rebuild_unchanged_seconds": unchanged_seconds}))


if __name__ == "__main__":
    main()
