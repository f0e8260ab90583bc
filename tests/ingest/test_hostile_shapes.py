"""Hostile file shapes are refused while reading, before anything big is buffered: a live hub's
peak memory stays under a fixed bound for each, on both ingestion paths (rows, and polars'
columns on PostgreSQL), and each gets a rejected receipt naming the limit."""

import http.client
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from config.default import ROOT
from tests.workbooks import inline, workbook_xml

# Peak resident memory an upload may add to the warmed-up server. The shapes below cost 160 MB
# to 1.3 GB each before the limits; a normal upload of the same size costs well under this.
BOUND_MB = 120
MB = 1 << 20


def kilobytes(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(f"no {field} for process {pid}")


@pytest.fixture
def live_hub(app, database_url, tmp_path):
    """(process, port) of the hub served by its own process on the test database."""
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": secrets.token_hex(16),
           "EXCHANGE_BLOB_DIR": str(tmp_path / "blobs")}
    env.pop("EXCHANGE_ENV", None)
    process = subprocess.Popen([sys.executable, "-m", "tests.ingest.live_hub"], cwd=ROOT,
                               env=env, stdout=subprocess.PIPE, text=True)
    try:
        port = int(process.stdout.readline())
        yield process, port
    finally:
        process.kill()
        process.wait(timeout=30)


def upload(port: int, token: str, path: Path, content_type: str) -> tuple[int, dict]:
    """POST the file as multipart form data, streamed from disk."""
    boundary = secrets.token_hex(16)
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nspend\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"period\"\r\n\r\n2025-26-Q1\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"{path.name}\"\r\nContent-Type: {content_type}\r\n\r\n").encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    connection.putrequest("POST", "/api/v1/returns")
    connection.putheader("Authorization", f"Bearer {token}")
    connection.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
    connection.putheader("Content-Length", str(len(head) + path.stat().st_size + len(tail)))
    connection.endheaders()
    connection.send(head)
    with path.open("rb") as file:
        while block := file.read(MB):
            connection.send(block)
    connection.send(tail)
    response = connection.getresponse()
    body = json.loads(response.read())
    connection.close()
    return response.status, body


HEADER = b"Date Paid,Amount,Supplier Name,Expense Type\r\n"
LINE = b"01/05/2025,120.00,Acme Ltd,Stationery\r\n"


def wide_header(path: Path) -> Path:
    """A spend CSV whose heading row has 300,000 columns (2.3 MB), then ordinary lines."""
    names = b",".join(b"c%d" % n for n in range(300_000 - 4))
    path.write_bytes(HEADER.rstrip(b"\r\n") + b"," + names + b"\r\n" + LINE * 100)
    return path


def wide_short_header(path: Path) -> Path:
    """300,000 columns of one letter each: a heading row of 600 KB, under the line limit."""
    path.write_bytes(HEADER.rstrip(b"\r\n") + b",x" * (300_000 - 4) + b"\r\n" + LINE * 100)
    return path


def endless_line(path: Path) -> Path:
    """Headings, then one line of 100 MB without a newline."""
    with path.open("wb") as file:
        file.write(HEADER)
        chunk = b"01/05/2025,120.00,Acme Ltd," + b"x" * (MB - 27)
        for _ in range(100):
            file.write(chunk)
    return path


def huge_cell(path: Path) -> Path:
    """Headings, a line, then a quoted cell of 50 MB that spans many lines."""
    with path.open("wb") as file:
        file.write(HEADER + LINE + b'01/05/2025,120.00,"')
        piece = b"y" * 1023 + b"\n"
        for _ in range(50 * 1024):
            file.write(piece)
        file.write(b'",Stationery\r\n')
    return path


def wide_workbook(path: Path) -> Path:
    """An .xlsx whose first row has 200,000 cells."""
    path.write_bytes(workbook_xml(["".join(inline(f"h{n}") for n in range(200_000))]))
    return path


CSV, XLSX = "text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHAPES = {
    "a 300,000-column header of 2.3 MB": (wide_header, CSV, "(MAX_LINE_BYTES)"),
    "a 300,000-column header of 600 KB": (wide_short_header, CSV, "500 columns (MAX_COLUMNS)"),
    "a 100 MB line": (endless_line, CSV, "(MAX_LINE_BYTES)"),
    "a 50 MB cell": (huge_cell, CSV, "longer than 131,072 characters"),
    "a 200,000-column workbook": (wide_workbook, XLSX, "500 columns (MAX_COLUMNS)"),
}


@pytest.mark.parametrize("shape", SHAPES)
def test_a_hostile_file_is_refused_with_the_limit_and_little_memory(
        live_hub, partner_token, tmp_path, shape):
    process, port = live_hub
    make, content_type, named = SHAPES[shape]
    token = partner_token("rmbc", "returns:write")
    warm = tmp_path / "warm-up.csv"
    warm.write_bytes(HEADER + LINE * 2000)
    assert upload(port, token, warm, content_type=CSV)[0] == 201  # every import done
    hostile = make(tmp_path / ("hostile.xlsx" if content_type == XLSX else "hostile.csv"))
    before = kilobytes(process.pid, "VmRSS")
    Path(f"/proc/{process.pid}/clear_refs").write_text("5")  # peak (VmHWM) from here

    status, body = upload(port, token, hostile, content_type)

    peak = kilobytes(process.pid, "VmHWM")
    assert status == 422, body
    assert body["status"] == "rejected" and body["id"]  # a rejected receipt, bytes kept
    assert any(named in issue["message"] for issue in body["issues"]), body["issues"]
    assert (peak - before) / 1024 < BOUND_MB, f"peak {peak // 1024} MB from {before // 1024} MB"
