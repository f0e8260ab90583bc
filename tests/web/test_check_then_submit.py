"""Check, then submit the same bytes: after "Check only", "Submit this file" submits the file
that was checked, kept server-side for that web session only (never in the blob store, never for
another session, gone after signing out, past its time or once submitted)."""

import hashlib
import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from exchange.context import get_uow
from exchange.models.base import utcnow
from exchange.models.checks import CheckedUpload
from tests.api.oauth_flows import PASSWORD, csrf_from, sign_in
from tests.web.test_partner_pages import post_upload

RETURNS = Path(__file__).parents[1] / "fixtures" / "returns"
GOOD, BAD = RETURNS / "rmbc-spend-2021-22-Q3.csv", RETURNS / "rmbc-spend-2021-22-Q3-errors.csv"


@pytest.fixture
def officer(client, make_user):
    make_user("rmbc", "ann@rmbc.example", PASSWORD)
    sign_in(client, "ann@rmbc.example")
    return client


def submit_link(page: str) -> str:
    return re.search(r'action="(/upload/check/[^"]+/submit)"', page)[1]


def submit_checked(client, page: str, href: str | None = None):
    return client.post(href or submit_link(page), data={
        "csrf_token": csrf_from(page), "kind": "spend", "period": "2021-22-Q3"})


def blobs_in(app) -> list:
    """Whatever either blob store holds: files under BLOB_DIR and the database store's blobs."""
    from tests.blobs_support import kept

    files, _, rows, _ = kept()
    return [*files, *rows]


def kept_rows(app) -> int:
    with app.app_context(), get_uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(CheckedUpload))


def test_submit_this_file_sends_the_very_bytes_that_were_checked(app, officer, uow):
    before = blobs_in(app)
    checked = post_upload(officer, GOOD, action="check").get_data(as_text=True)
    assert "Submit this file" in checked and blobs_in(app) == before

    receipt = submit_checked(officer, checked).get_data(as_text=True)

    assert "Return received" in receipt
    with uow:
        [ret] = uow.returns.for_partner(uow.partners.get("rmbc").id)
        assert ret.sha256 == hashlib.sha256(GOOD.read_bytes()).hexdigest()
        assert ret.filename == GOOD.name
    assert kept_rows(app) == 0  # taken when submitted
    assert submit_checked(officer, checked).status_code == 400  # not twice


def test_a_file_with_errors_is_not_kept_and_offers_no_submit_button(app, officer):
    checked = post_upload(officer, BAD, action="check").get_data(as_text=True)

    assert "Submit this file" not in checked and kept_rows(app) == 0


def test_another_session_of_the_same_person_cannot_submit_the_checked_file(app, officer):
    checked = post_upload(officer, GOOD, action="check").get_data(as_text=True)
    other = app.test_client()
    sign_in(other, "ann@rmbc.example")
    form = other.get("/upload").get_data(as_text=True)

    response = other.post(submit_link(checked), data={"csrf_token": csrf_from(form)})

    assert response.status_code == 404 and kept_rows(app) == 1


def test_signing_out_deletes_the_checked_file(app, officer):
    post_upload(officer, GOOD, action="check")
    assert kept_rows(app) == 1

    page = officer.get("/logout").get_data(as_text=True)
    officer.post("/logout", data={"csrf_token": csrf_from(page)})

    assert kept_rows(app) == 0


def test_a_checked_file_past_its_time_must_be_chosen_again(app, officer):
    checked = post_upload(officer, GOOD, action="check").get_data(as_text=True)
    with app.app_context(), get_uow() as uow:
        uow.session.execute(update(CheckedUpload).values(
            created_at=utcnow() - timedelta(minutes=61)))
        uow.commit()

    response = submit_checked(officer, checked)

    assert response.status_code == 400
    assert "no longer kept" in response.get_data(as_text=True)


def test_a_file_over_the_size_limit_is_not_kept(app, officer):
    app.config["CHECKED_UPLOAD_MAX_BYTES"] = 10
    try:
        checked = post_upload(officer, GOOD, action="check").get_data(as_text=True)
    finally:
        app.config["CHECKED_UPLOAD_MAX_BYTES"] = 20 * 1024 * 1024

    assert "Submit this file" not in checked and "Upload it again" in checked
    assert kept_rows(app) == 0
