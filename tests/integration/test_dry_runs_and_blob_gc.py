"""A dry run (API, "check only" page, `hub ingest --dry-run`) stores nothing, not even its bytes;
`hub blobs gc` removes bytes no return or stored report references, and lists them first with
--dry-run. Every test runs with each blob store (directory and database)."""

import io
import json
import os
from pathlib import Path

import pytest

from exchange.cli import cli
from exchange.context import get_blobs, get_uow
from exchange.models import GeneratedReport
from tests.api.oauth_flows import PASSWORD, csrf_from, sign_in
from tests.api.returns_support import FIXTURES, SPEND, bearer, post_return, sha256
from tests.blobs_support import age as _age
from tests.blobs_support import kept

pytestmark = pytest.mark.usefixtures("blob_store")

GOOD, BAD = FIXTURES / "rmbc-spend-2021-22-Q3.csv", FIXTURES / "rmbc-spend-2021-22-Q3-errors.csv"
HOUR = 3600


def unique(path: Path) -> bytes:
    """The file's bytes with one more line, never seen before: bytes another test kept cannot
    hide that these were kept."""
    data = path.read_bytes()
    cells = ["07/10/2021", "1.00", f"Unique {os.urandom(6).hex()} Ltd"]
    cells += [""] * (data.split(b"\n", 1)[0].count(b",") + 1 - len(cells))
    return data + (",".join(cells) + "\n").encode()


def hub(app, *args):
    return app.test_cli_runner().invoke(cli, list(args))


@pytest.fixture
def token(partner_token):
    return partner_token("rmbc", "returns:read returns:write")


@pytest.mark.parametrize("name, data", [
    ("good.csv", unique(GOOD)),
    ("bad.csv", unique(BAD)),
    ("picture.png", b"\x89PNG\r\n\x1a\n" + os.urandom(64)),
])
def test_a_dry_run_through_the_api_keeps_no_bytes_whatever_its_verdict(client, token, name,
                                                                         data):
    before = kept()

    response = post_return(client, token, data, filename=name, dry_run="true")

    assert response.status_code in (200, 415, 422)
    assert kept() == before


def test_a_json_dry_run_keeps_no_bytes(client, token):
    before = kept()
    body = {"kind": "spend", "period": "2021-22-Q3", "dry_run": True, "rows": [
        {"payment_date": "2021-10-01", "amount": "12.00", "supplier_name": "Acme Ltd"}]}

    response = client.post("/api/v1/returns", data=json.dumps(body),
                           content_type="application/json", headers=bearer(token))

    assert response.status_code == 200 and response.get_json()["dry_run"] is True
    assert kept() == before


def test_a_submitted_return_still_keeps_its_bytes(client, token):
    response = post_return(client, token, SPEND)

    assert response.status_code == 201
    with get_blobs().open(sha256(SPEND)) as stored:
        assert stored.read() == SPEND.encode()


def test_check_only_on_the_upload_page_keeps_no_bytes_and_its_issues_csv_still_downloads(
        client, make_user):
    make_user("rmbc", "checker@rmbc.example", PASSWORD)
    sign_in(client, "checker@rmbc.example")
    before = kept()
    form = csrf_from(client.get("/upload").get_data(as_text=True))

    html = client.post("/upload", content_type="multipart/form-data", data={
        "csrf_token": form, "kind": "spend", "period": "2021-22-Q3", "action": "check",
        "file": (io.BytesIO(unique(BAD)), BAD.name)}).get_data(as_text=True)

    assert "nothing was stored" in html
    assert kept() == before
    link = html.split('href="/upload/check/')[1].split('"')[0].replace("&amp;", "&")
    csv = client.get("/upload/check/" + link)
    assert csv.status_code == 200
    assert ",4,Amount,B,twelve," in csv.get_data(as_text=True)


def test_hub_ingest_dry_run_keeps_no_bytes(app, tmp_path):
    path = tmp_path / GOOD.name
    path.write_bytes(unique(GOOD))
    before = kept()

    result = hub(app, "ingest", "--partner", "rmbc", "--kind", "spend", "--period",
                 "2021-22-Q3", "--dry-run", str(path))

    assert result.exit_code == 0, result.output
    assert "Checked (dry run)" in result.stdout
    assert kept() == before


def _report_referencing(sha: str) -> None:
    with get_uow() as uow:
        place = uow.places.get("rotherham")
        uow.session.add(GeneratedReport(
            place_id=place.id, kind="annual", year="2025-26", first_period="2025-26-Q1",
            last_period="2025-26-Q4", title="t", generated_by="test", fingerprint="0" * 64,
            html_sha256=sha, html_size=1, pdf_sha256=sha, pdf_size=1, data_sha256=sha,
            data_size=1, returns=[], previous_returns=[], releases=[]))
        uow.commit()


@pytest.fixture
def blob_mix(client, token):
    """An hour-old orphan, a fresh orphan, a return's bytes and a stored report's, all old."""
    store = get_blobs()
    orphan, _ = store.save_bytes(b"left behind " + os.urandom(8))
    fresh, _ = store.save_bytes(b"being uploaded right now " + os.urandom(8))
    data = SPEND.replace("60.00", "61.00")
    assert post_return(client, token, data).status_code == 201
    report, _ = store.save_bytes(b"%PDF a report " + os.urandom(8))
    _report_referencing(report)
    for sha in (orphan, sha256(data), report):
        _age(store, sha, 2 * HOUR)
    return {"orphan": orphan, "fresh": fresh, "return": sha256(data), "report": report}


def test_blobs_gc_dry_run_lists_the_unreferenced_bytes_and_removes_nothing(app, blob_mix):
    store = get_blobs()

    result = hub(app, "blobs", "gc", "--dry-run")

    assert result.exit_code == 0, result.output
    assert blob_mix["orphan"] in result.stdout
    for name in ("fresh", "return", "report"):
        assert blob_mix[name] not in result.stdout, name
    assert "would remove" in result.stdout.lower()
    assert all(store.exists(sha) for sha in blob_mix.values())


def test_blobs_gc_removes_only_old_bytes_that_nothing_references(app, blob_mix, client, token):
    store = get_blobs()

    result = hub(app, "blobs", "gc")

    assert result.exit_code == 0, result.output
    assert not store.exists(blob_mix["orphan"])
    for name in ("fresh", "return", "report"):
        assert store.exists(blob_mix[name]), name
    assert blob_mix["orphan"] in result.stdout and "Removed" in result.stdout
    with get_uow() as uow:
        [ret] = uow.returns.for_partner(uow.partners.get("rmbc").id)
    assert client.get(f"/api/v1/returns/{ret.id}/file", headers=bearer(token)).status_code == 200


def test_saving_bytes_again_makes_them_young_so_gc_cannot_race_an_upload(app):
    store = get_blobs()
    sha, _ = store.save_bytes(b"uploaded twice " + os.urandom(8))
    _age(store, sha, 2 * HOUR)

    with store.open(sha) as stored:
        store.save_bytes(stored.read())
    result = hub(app, "blobs", "gc")

    assert result.exit_code == 0, result.output
    assert store.exists(sha)
