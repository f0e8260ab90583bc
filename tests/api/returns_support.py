"""Helpers shared by the returns API tests: posting a file as a partner would, and counting rows."""

import csv
import hashlib
import io
from pathlib import Path

from sqlalchemy import func, inspect, select

from exchange.context import get_engine, get_uow
from exchange.models import Base

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "returns"
# The big real files stay in the shared data folder that CI checks out beside the repo.
REAL_SPEND = (REPO / ".." / "shared" / "data" / "real" / "spend").resolve()

SPEND_HEADER = "Payment Date,Amount,Supplier Name,Supplier ID\n"
# Six payments of October 2021 (2021-22-Q3), worth 1,445.75 in all.
SPEND = (
    "Payment Date,Amount,Supplier Name,Supplier Postcode,Company Number,Supplier ID\n"
    '01/10/2021,"1,000.00",Rotherham Widgets Ltd,s602ud,1234567,R1\n'
    "02/10/2021,250.50,Sheffield Steel plc,S1 2HH,,S2\n"
    "03/10/2021,100.00,Leeds Lamps Ltd,LS1 4AP,,S3\n"
    "04/10/2021,-40.00,Rotherham Widgets Ltd,,1234567,R1\n"
    "05/10/2021,75.25,REDACTED PERSONAL DATA,,,\n"
    "06/10/2021,60.00,Nowhere Known Ltd,,,N1\n"
)


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def post_return(client, token: str, data: bytes | str, *, filename: str = "spend.csv",
                kind: str = "spend", period: str = "2021-22-Q3", headers=None, **form):
    """POST /api/v1/returns as multipart, the way a partner's browser or script sends a file."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    fields = {"kind": kind, "period": period, "file": (io.BytesIO(data), filename), **form}
    return client.post("/api/v1/returns", data=fields,
                       headers={**bearer(token), **(headers or {})},
                       content_type="multipart/form-data")


def sha256(data: bytes | str) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


# Locks, not data: a request leaves its lock's row behind (exchange/models/locks.py). And the
# database blob store's rows: an upload's bytes are kept before it is checked, as the directory
# store keeps a file, and `hub blobs gc` removes those nothing references.
NOT_DATA = {"write_lock", "blob", "blob_chunk"}


def table_counts() -> dict[str, int]:
    """Rows in every table of the models' metadata (that the migrations have created so far)."""
    migrated = set(inspect(get_engine()).get_table_names()) - NOT_DATA
    with get_uow() as uow:
        return {t.name: uow.session.scalar(select(func.count()).select_from(t))
                for t in Base.metadata.sorted_tables if t.name in migrated}


def changes(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    """Tables whose row counts moved, and by how much."""
    return {name: after[name] - before[name] for name in after if after[name] != before[name]}


def issues_csv(client, token: str, return_id: int) -> list[dict]:
    """GET /api/v1/returns/{id}/issues.csv, read as a list of dicts."""
    body = client.get(f"/api/v1/returns/{return_id}/issues.csv", headers=bearer(token))
    assert body.status_code == 200
    return list(csv.DictReader(io.StringIO(body.get_data(as_text=True).lstrip("\ufeff"))))
