"""A conditional feed request is answered from the stored dataset's hash, remembered in the
process (a published dataset never changes), and forgotten when release rows are written."""

import pytest
from sqlalchemy import delete

from exchange.context import get_engine, get_uow
from exchange.feeds import reading
from exchange.feeds.releases import publish_release
from exchange.models import Release, ReleaseDataset
from exchange.oauth import token_cache
from tests.integration.releases_support import Q1, build_quarter


@pytest.fixture
def mca(partner_token):
    return {"Authorization": f"Bearer {partner_token('symca', 'feeds:read')}"}


def memory():
    return token_cache.cache_for(get_engine(), "release-stamps", reading.STAMP_TABLES,
                                 float("inf"))


def test_the_etag_comes_from_the_stored_hash_and_survives_in_memory(app, client, mca):
    build_quarter()
    release_id = publish_release(get_uow(), "south-yorkshire", Q1).release_id
    url = f"/api/v1/feeds/south-yorkshire/releases/{release_id}/spend"

    etag = client.get(url, headers=mca).headers["ETag"]
    stamp = reading.dataset_stamp(get_engine(), "south-yorkshire", release_id, "spend")

    with get_uow() as uow:
        stored = uow.session.get(Release, release_id)
        sha = [d.sha256 for d in uow.session.query(ReleaseDataset).filter_by(
            release_id=stored.id, name="spend")]
    assert stamp.sha256 == sha[0]
    assert memory().get(f"south-yorkshire\n{release_id}\nspend") == stamp
    assert client.get(url, headers={**mca, "If-None-Match": etag}).status_code == 304


def test_deleting_release_rows_forgets_the_remembered_stamps(app, client, mca):
    build_quarter()
    release_id = publish_release(get_uow(), "south-yorkshire", Q1).release_id
    url = f"/api/v1/feeds/south-yorkshire/releases/{release_id}/spend"
    etag = client.get(url, headers=mca).headers["ETag"]
    assert memory().get(f"south-yorkshire\n{release_id}\nspend") is not None

    with get_engine().begin() as connection:
        connection.execute(delete(ReleaseDataset.__table__))
        connection.execute(delete(Release.__table__))

    assert memory().get(f"south-yorkshire\n{release_id}\nspend") is None
    assert client.get(url, headers={**mca, "If-None-Match": etag}).status_code == 404
