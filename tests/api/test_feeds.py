"""The feed API: scopes, releases, datasets in JSON and CSV, ETags, cursors and changes."""

import csv
import io

import pytest

from exchange.context import get_uow
from exchange.feeds.releases import publish_release
from exchange.models import MeasureDefinition
from tests.integration.releases_support import Q1, SCC, build_quarter, submit

BASE = "/api/v1/feeds/south-yorkshire"


@pytest.fixture
def mca(partner_token):
    return {"Authorization": f"Bearer {partner_token('symca', 'feeds:read')}"}


@pytest.fixture
def release(app):
    build_quarter()
    return publish_release(get_uow(), "south-yorkshire", Q1).release_id


def error_shape(response) -> dict:
    body = response.get_json()
    assert set(body) == {"code", "status", "error", "message", "errors"}
    return body


def test_the_mca_lists_releases_with_id_period_version_published_at_and_notes(client, mca,
                                                                              release):
    response = client.get(f"{BASE}/releases", headers=mca)

    assert response.status_code == 200
    [item] = response.get_json()["items"]
    assert (item["id"], item["period"], item["version"]) == (release, Q1, 1)
    assert item["published_at"] and item["notes"]["summary"] == "First release for this period."
    assert {r["partner"] for r in item["returns"]} == {"scc", "syp", "dmbc", "var"}
    sets = {d["name"]: d for d in item["datasets"]}
    assert sorted(sets) == ["commitments", "contributions", "flows", "measures", "spend"]
    assert sets["flows"]["rows"] == 30 and sets["flows"]["suppressed_cells"] > 0
    assert client.get("/api/v1/feeds/E47000002/releases", headers=mca).get_json() == \
        response.get_json()


def test_feeds_need_the_feeds_read_scope_and_a_token(client, partner_token, release):
    other = {"Authorization": f"Bearer {partner_token('scc', 'returns:read views:read')}"}

    forbidden = client.get(f"{BASE}/releases", headers=other)
    anonymous = client.get(f"{BASE}/releases/{release}/spend")

    assert forbidden.status_code == 403
    assert error_shape(forbidden)["error"] == "insufficient_scope"
    assert anonymous.status_code == 401


def test_unknown_subregion_dataset_or_release_is_404(client, mca, release):
    for url in (f"{BASE}/releases/{release}/payments", f"{BASE}/releases/{release + 99}/spend",
                f"/api/v1/feeds/rotherham/releases/{release}/spend",
                "/api/v1/feeds/nowhere/releases"):
        response = client.get(url, headers=mca)
        assert response.status_code == 404, url
        assert error_shape(response)["code"] == 404


def test_a_dataset_comes_as_json_with_a_strong_etag_and_a_304_when_unchanged(client, mca,
                                                                             release):
    url = f"{BASE}/releases/{release}/spend"
    first = client.get(url, headers=mca)
    etag = first.headers["ETag"]

    again = client.get(url, headers={**mca, "If-None-Match": etag})
    other = client.get(url, headers={**mca, "If-None-Match": '"something-else"'})

    assert first.status_code == 200 and first.mimetype == "application/json"
    body = first.get_json()
    assert body["release"]["id"] == release and body["dataset"] == "spend"
    assert body["next"] is None and len(body["items"]) == 13
    assert etag.startswith('"') and not etag.startswith("W/")
    assert client.get(url, headers=mca).headers["ETag"] == etag
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
    assert other.status_code == 200


def test_a_dataset_comes_as_formula_safe_csv_by_query_or_accept_header(client, mca, release):
    url = f"{BASE}/releases/{release}/flows"
    by_query = client.get(f"{url}?format=csv", headers=mca)
    by_accept = client.get(url, headers={**mca, "Accept": "text/csv"})
    as_json = client.get(url, headers=mca)

    assert by_query.status_code == by_accept.status_code == 200
    assert by_query.mimetype == "text/csv" and by_query.data == by_accept.data
    assert by_query.data.startswith("\ufeff".encode())
    assert by_query.headers["ETag"] != as_json.headers["ETag"]
    rows = list(csv.DictReader(io.StringIO(by_query.data.decode("utf-8-sig"))))
    assert len(rows) == len(as_json.get_json()["items"])
    suppressed = [r for r in rows if r["suppressed"]]
    assert suppressed and all(r["amount"] == "" and r["suppressed"] == "amount"
                              for r in suppressed)
    sheffield = [r for r in rows if r["place"] == "south-yorkshire" and
                 r["destination"] == "E08000019"]
    assert sheffield[0]["amount"] == "6900.00"


def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised(client, mca, app):
    # A measure configured with a hostile unit: the feed must not hand Excel a formula.
    with get_uow() as uow:
        uow.session.add(MeasureDefinition(code="evil_measure", name="Evil",
                                          unit="=HYPERLINK(\"http://x\")", people_count=False))
        uow.commit()
    try:
        submit("Measure,Value,Unit\nevil_measure,12.5,x\n", "scc", "measures")
        release = publish_release(get_uow(), "south-yorkshire", Q1).release_id

        response = client.get(f"{BASE}/releases/{release}/measures?format=csv", headers=mca)
    finally:
        with get_uow() as uow:
            uow.session.delete(uow.session.get(MeasureDefinition, "evil_measure"))
            uow.commit()

    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    evil = [r for r in rows if r["measure"] == "evil_measure"]
    assert evil and all(r["unit"] == "'=HYPERLINK(\"http://x\")" for r in evil)
    assert all(r["value"] == "12.50" for r in evil)


def test_keyset_pages_follow_the_next_link_to_the_whole_dataset(client, mca, release):
    url = f"{BASE}/releases/{release}/flows"
    whole = client.get(url, headers=mca).get_json()["items"]

    items, pages, link = [], [], f"{url}?limit=7"
    while link:
        response = client.get(link, headers=mca)
        assert response.status_code == 200
        body = response.get_json()
        pages.append(response.headers["ETag"])
        items += body["items"]
        link = body["next"]
        if link:
            assert response.headers["Link"] == f'<{link}>; rel="next"'

    assert items == whole and len(pages) == 5 and len(set(pages)) == 5


def test_a_bad_cursor_or_limit_is_refused_with_the_json_error_shape(client, mca, release):
    url = f"{BASE}/releases/{release}/flows"
    other_dataset = client.get(f"{BASE}/releases/{release}/spend?limit=2", headers=mca)
    foreign = other_dataset.get_json()["next"].split("cursor=")[1].split("&")[0]

    for cursor in ("not-a-cursor", "!!!", foreign):
        response = client.get(f"{url}?cursor={cursor}", headers=mca)
        assert response.status_code == 400, cursor
        assert "cursor" in error_shape(response)["errors"]
    too_many = client.get(f"{url}?limit=100000", headers=mca)
    assert too_many.status_code == 422 and "limit" in str(error_shape(too_many)["errors"])


def test_changes_since_a_release_lists_later_releases_with_what_changed(client, mca, release):
    submit(SCC + "14/05/2021,5000.00,Zulu Ltd,S1 2HH\n", "scc")
    second = publish_release(get_uow(), "south-yorkshire", Q1).release_id

    response = client.get(f"{BASE}/changes?since={release}", headers=mca)
    everything = client.get(f"{BASE}/changes", headers=mca).get_json()
    nothing = client.get(f"{BASE}/changes?since={second}", headers=mca).get_json()

    assert response.status_code == 200
    body = response.get_json()
    assert [r["id"] for r in body["items"]] == [second] and body["latest"] == second
    assert body["items"][0]["version"] == 2
    assert body["items"][0]["notes"]["returns_superseded"][0]["partner"] == "scc"
    assert [r["id"] for r in everything["items"]] == [release, second]
    assert nothing["items"] == [] and nothing["latest"] == second
    assert client.get(f"{BASE}/changes?since=999999", headers=mca).status_code == 404
