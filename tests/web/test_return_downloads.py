"""The upload report and the return's page link the annotated workbook, which the signed-in
partner (and no one else) can download."""

import io

import openpyxl
import pytest

from tests.api.oauth_flows import PASSWORD, sign_in
from tests.web.test_partner_pages import BAD, post_upload


@pytest.fixture
def officer(client, make_user):
    make_user("rmbc", "ann@rmbc.example", PASSWORD)
    sign_in(client, "ann@rmbc.example")
    return client


def test_upload_report_and_return_page_link_the_annotated_workbook_with_issues_on_cells(
        officer, uow):
    report = post_upload(officer, BAD).get_data(as_text=True)
    with uow:
        rejected = uow.returns.for_partner(uow.partners.get("rmbc").id)[0].id

    html = officer.get(f"/returns/{rejected}").get_data(as_text=True)
    response = officer.get(f"/returns/{rejected}/annotated.xlsx")

    for page in (report, html):
        assert f'href="/returns/{rejected}/annotated.xlsx"' in page
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    sheet = book[book.sheetnames[1]]
    marked = {cell.coordinate for row in sheet.iter_rows() for cell in row if cell.comment}
    assert marked == {"A3", "B4", "C5"}


def test_check_only_report_has_no_annotated_workbook_since_nothing_was_kept(officer):
    html = post_upload(officer, BAD, action="check").get_data(as_text=True)

    assert "Download the issues as a CSV file" in html and "annotated.xlsx" not in html


def test_annotated_workbook_of_another_partners_return_is_404_and_needs_signing_in(
        app, officer, make_user, uow):
    post_upload(officer, BAD)
    with uow:
        rejected = uow.returns.for_partner(uow.partners.get("rmbc").id)[0].id
    make_user("trft", "bob@trft.example", PASSWORD)
    stranger = app.test_client()
    sign_in(stranger, "bob@trft.example")

    assert stranger.get(f"/returns/{rejected}/annotated.xlsx").status_code == 404
    assert app.test_client().get(f"/returns/{rejected}/annotated.xlsx").status_code == 302
