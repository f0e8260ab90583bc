"""One disclosure rule for whoever is outside a partnership. With every token and login the MCA
holds, and as another place's partner, nothing suppressed can be recovered from the views, the
pages, the CSVs, the feeds or /changes, across two versions of a release — including the one
new £4,321.09 payment that is all that changed between them."""

import csv
import io
from datetime import UTC, datetime

import pytest

from exchange.context import get_uow
from exchange.feeds.datasets import COLUMNS, KEYS, build_datasets
from exchange.feeds.releases import publish_release
from exchange.models import Place, Release
from tests.disclosure_attacks import recovered_combinations
from tests.integration.releases_support import Q1, SCC, build_quarter, submit

SY = "south-yorkshire"
NOW = datetime(2021, 9, 1, 9, 0, tzinfo=UTC)
PAYMENT = "14/05/2021,4321.09,Zulu Ltd,S1 2HH\n"  # one new supplier, in Sheffield
SECRETS = ("4321.09", "4,321.09", "4,321")


@pytest.fixture
def two_versions(app):
    build_quarter()
    first = publish_release(get_uow(), SY, Q1, now=NOW)
    submit(SCC + PAYMENT, "scc")
    second = publish_release(get_uow(), SY, Q1, now=NOW)
    assert (first.version, second.version) == (1, 2)
    return first.release_id, second.release_id


def outsiders(partner_token, signed_in):
    """(name, how it asks): the MCA's client with every scope it holds, a person of the MCA,
    and Sheffield City Council (a partner of another place than Rotherham), each by token and
    by login."""
    def token(slug):
        value = partner_token(slug, "feeds:read views:read")
        return {"Authorization": f"Bearer {value}"}

    return [("mca client", None, token("symca")), ("mca person", signed_in("symca"), None),
            ("scc client", None, token("scc")), ("scc person", signed_in("scc"), None)]


def everything_seen(client, person, headers, releases) -> list[tuple[str, int, str]]:
    """Every response the outsider can get that could carry a figure."""
    asker = person or client
    extra = {} if person else {"headers": headers}
    paths = [f"/api/v1/views/partnership/rotherham?from={Q1}",
             f"/api/v1/views/mca/{SY}?from={Q1}", f"/api/v1/feeds/{SY}/releases",
             f"/api/v1/feeds/{SY}/changes", f"/api/v1/feeds/{SY}/changes?since={releases[0]}",
             f"/dashboard/partnership/rotherham?from={Q1}", f"/dashboard/partnership/sheffield"
             f"?from={Q1}", f"/dashboard/mca/{SY}?from={Q1}", "/reports/rotherham/annual/2021-22",
             "/reports/sheffield/annual/2021-22"]
    for release in releases:
        for name in COLUMNS:
            base = f"/api/v1/feeds/{SY}/releases/{release}/{name}"
            paths += [base, f"{base}?format=csv",
                      f"/dashboard/mca/{SY}/releases/{release}/{name}.csv"]
    return [(path, r.status_code, r.get_data(as_text=True))
            for path, r in ((p, asker.get(p, **extra)) for p in paths)]


def test_outsiders_get_no_live_figures_and_never_the_one_new_payment(
        two_versions, client, partner_token, signed_in):
    for name, person, headers in outsiders(partner_token, signed_in):
        seen = everything_seen(client, person, headers, two_versions)

        status = {path: code for path, code, _ in seen}
        # a token outside the partnership is refused; a browser has no API access at all
        assert status[f"/api/v1/views/partnership/rotherham?from={Q1}"] in (401, 403), name
        assert status[f"/api/v1/views/mca/{SY}?from={Q1}"] in (401, 403), name
        assert status[f"/dashboard/partnership/rotherham?from={Q1}"] in (302, 403), name
        assert status["/reports/rotherham/annual/2021-22"] in (401, 403), name
        if person is not None:
            assert status[f"/dashboard/mca/{SY}?from={Q1}"] == 200, name
        for path, _code, body in seen:
            for secret in SECRETS:
                assert secret not in body, (name, path, secret)
    # scc is a Sheffield partner: Sheffield's own live figures are its to see
    scc = signed_in("scc", email="own@scc.example")
    own = scc.get(f"/dashboard/partnership/sheffield?from={Q1}")
    # scc's 6,740.00 + 4,321.09 and syp's 3,675.00
    assert own.status_code == 200 and 'data-value="14736.09"' in own.text


def published_cells(client, headers, release_id) -> dict[tuple, str | None]:
    """(dataset, row key, field) -> the published value (None when suppressed), read as the MCA
    reads it: the feed's CSV."""
    out = {}
    for name in COLUMNS:
        body = client.get(f"/api/v1/feeds/{SY}/releases/{release_id}/{name}?format=csv",
                          headers=headers).data.decode("utf-8-sig")
        for row in csv.DictReader(io.StringIO(body)):
            withheld = set(row["suppressed"].split())
            key = tuple(row[f] for f in KEYS[name])
            for field in COLUMNS[name]:
                out[(name, key, field)] = None if field in withheld else row[field]
    return out


def structure(release_id: int, scc_id: int, version: int) -> dict[tuple, dict]:
    """What everyone knows: which partner atoms each published cell adds up. scc's atoms are
    unknowns of their own in each version (its return changed); everyone else's are shared."""
    with get_uow() as uow:
        release = uow.session.get(Release, release_id)
        place = uow.session.get(Place, release.subregion_id)
        raw = build_datasets(uow, place, Q1, [r["id"] for r in release.returns])
    cells = {}
    for name, rows in raw.items():
        if name.startswith("_"):
            continue
        for row in rows:
            key = tuple(str(row[f]) if not isinstance(row[f], bool) else str(row[f]).lower()
                        for f in KEYS[name])
            for field, meta in row.get("_cells", {}).items():
                cells[(name, key, field)] = {
                    (atom, version) if atom[0] == scc_id else atom: 1 for atom in meta["atoms"]}
    return cells


def test_no_linear_combination_of_both_versions_gives_away_the_change_or_a_suppressed_cell(
        two_versions, client, partner_token):
    headers = {"Authorization": f"Bearer {partner_token('symca', 'feeds:read')}"}
    with get_uow() as uow:
        scc_id = uow.partners.get("scc").id
    published, targets = [], {}
    for version, release_id in enumerate(two_versions, start=1):
        cells = structure(release_id, scc_id, version)
        for key, value in published_cells(client, headers, release_id).items():
            if key not in cells:
                continue  # counts and labels, not sums of atoms
            if value is None:
                targets[(version, *key)] = cells[key]
            else:
                published.append(cells[key])
    # what the new payment changed: scc's spend with Sheffield suppliers, version 2 minus 1
    sheffield = (scc_id, "dest", "E08000019")
    targets["the new payment"] = {(sheffield, 2): 1, (sheffield, 1): -1}
    targets["scc's Sheffield spend in version 2"] = {(sheffield, 2): 1}

    assert targets, "nothing was suppressed: the test would prove nothing"
    assert recovered_combinations(published, targets) == set()
