"""A partner's pages over HTTP: upload (check or submit) through the API's submit_return, the
history and diff, approval with the service's refusals, and never another partner's return."""

import html
from pathlib import Path

import pytest

from tests.api.oauth_flows import PASSWORD, csrf_from, sign_in

RETURNS = Path(__file__).parents[1] / "fixtures" / "returns"
GOOD, BAD = RETURNS / "rmbc-spend-2021-22-Q3.csv", RETURNS / "rmbc-spend-2021-22-Q3-errors.csv"


def post_upload(client, path: Path | None, kind="spend", period="2021-22-Q3", action="submit"):
    token = csrf_from(client.get("/upload").get_data(as_text=True))
    data = {"csrf_token": token, "kind": kind, "period": period, "action": action}
    if path is not None:
        data["file"] = (path.open("rb"), path.name)
    return client.post("/upload", data=data, content_type="multipart/form-data")


@pytest.fixture
def officer(client, make_user):
    make_user("rmbc", "ann@rmbc.example", PASSWORD)
    sign_in(client, "ann@rmbc.example")
    return client


def test_a_file_with_errors_is_rejected_with_a_table_of_its_issues(officer):
    response = post_upload(officer, BAD)

    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Your return was not accepted" in html
    assert "<td class=\"govuk-table__cell\">twelve</td>" in html
    assert "31/11/2021" in html and "Download the issues as a CSV file" in html


def test_the_issues_csv_of_a_rejected_upload_lists_row_column_and_value(officer, uow):
    post_upload(officer, BAD)
    with uow:
        rejected = uow.returns.for_partner(uow.partners.get("rmbc").id)[0].id

    body = officer.get(f"/returns/{rejected}/issues.csv").get_data(as_text=True)

    assert body.splitlines()[0].lstrip("\ufeff").startswith("severity,row,column,column_letter")
    assert ",4,Amount,B,twelve," in body


def test_check_only_stores_nothing_and_its_issues_csv_is_for_this_session_only(
        app, officer, uow):
    html = post_upload(officer, BAD, action="check").get_data(as_text=True)
    link = html.split('href="/upload/check/')[1].split('"')[0].replace("&amp;", "&")

    assert "nothing was stored" in html
    with uow:
        assert uow.returns.for_partner(uow.partners.get("rmbc").id) == []
    assert ",4,Amount,B,twelve," in officer.get("/upload/check/" + link).get_data(as_text=True)
    assert app.test_client().get("/upload/check/" + link).status_code == 302
    stranger = app.test_client()
    sign_in(stranger, "ann@rmbc.example")
    assert stranger.get("/upload/check/" + link).status_code == 404


def test_a_bad_form_shows_an_error_summary_linked_to_each_field_and_keeps_the_period(officer):
    response = post_upload(officer, None, kind="", period="2021-22-Q9", action="")

    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "There is a problem" in html
    for field in ("file", "kind", "period", "action"):
        assert f'<a href="#{field}">' in html and f'id="{field}"' in html
    assert 'value="2021-22-Q9"' in html
    assert html.index('href="#file"') < html.index('href="#kind"') < html.index('href="#period"')


def test_a_resubmission_shows_versions_and_the_diff_between_them(officer, uow):
    post_upload(officer, BAD)
    first = post_upload(officer, GOOD).get_data(as_text=True)
    with uow:
        latest = uow.returns.for_partner(uow.partners.get("rmbc").id)[0]
    assert "Return received" in first and latest.version == 1

    detail = officer.get(f"/returns/{latest.id}").get_data(as_text=True)
    history = officer.get("/returns").get_data(as_text=True)

    assert "Rejected" in detail and "Current" in detail
    assert history.count('href="/returns/') >= 2


def test_another_partners_return_is_not_found_on_any_return_page(app, officer, make_user):
    make_user("scc", "sam@scc.example", PASSWORD)
    other = app.test_client()
    sign_in(other, "sam@scc.example")
    post_upload(officer, GOOD)
    from exchange.context import get_uow
    with get_uow() as uow:
        theirs = uow.returns.for_partner(uow.partners.get("rmbc").id)[0].id

    for path in (f"/returns/{theirs}", f"/returns/{theirs}/diff",
                 f"/returns/{theirs}/issues.csv"):
        assert other.get(path).status_code == 404, path
    assert "Rotherham" not in other.get("/returns").get_data(as_text=True)


def test_only_approvers_may_open_the_approvals_page(officer):
    assert officer.get("/approvals").status_code == 403


def test_an_approver_approves_someone_elses_return_but_not_their_own(app, officer, make_user):
    post_upload(officer, GOOD)
    make_user("rmbc", "head@rmbc.example", PASSWORD, roles=("approver",))
    approver = app.test_client()
    sign_in(approver, "head@rmbc.example")
    post_upload(approver, GOOD, period="2021-22-Q4")
    from exchange.context import get_uow
    with get_uow() as uow:
        mine, theirs = [r.id for r in uow.returns.for_partner(uow.partners.get("rmbc").id)]
    page = approver.get(f"/approvals/{theirs}").get_data(as_text=True)

    refused = approver.post("/approvals", data={"csrf_token": csrf_from(page),
                                                "return_id": str(mine), "confirm": "yes"})
    approved = approver.post("/approvals", data={"csrf_token": csrf_from(page),
                                                 "return_id": str(theirs), "confirm": "yes"})

    assert refused.status_code == 400
    assert "You submitted this return, someone else must approve it." in refused.get_data(
        as_text=True)
    assert approved.status_code == 302
    assert "You approved the spend return for 2021-22-Q3" in approver.get(
        "/approvals").get_data(as_text=True)


def test_approving_asks_for_confirmation_showing_total_sender_and_date_first(
        app, officer, make_user, uow):
    post_upload(officer, GOOD)
    make_user("rmbc", "head@rmbc.example", PASSWORD, roles=("approver",))
    approver = app.test_client()
    sign_in(approver, "head@rmbc.example")
    listing = approver.get("/approvals").get_data(as_text=True)
    with uow:
        [ret] = uow.returns.for_partner(uow.partners.get("rmbc").id)

    page = approver.get(f"/approvals/{ret.id}").get_data(as_text=True)
    unconfirmed = approver.post("/approvals", data={"csrf_token": csrf_from(page),
                                                    "return_id": str(ret.id)})

    assert unconfirmed.status_code == 302
    assert unconfirmed.headers["Location"].endswith(f"/approvals/{ret.id}")
    with uow:
        assert uow.returns.awaiting_approval(ret.partner_id)  # still waiting
    assert "Test User (ann@rmbc.example)" in listing and "user:ann" not in listing
    assert "Yes, approve this return" in page and "Total amount" in page and "£" in page
    assert "Test User (ann@rmbc.example)" in page


def test_the_return_page_names_the_sender_and_links_to_the_file_sent(officer, uow):
    post_upload(officer, GOOD)
    with uow:
        [ret] = uow.returns.for_partner(uow.partners.get("rmbc").id)

    page = officer.get(f"/returns/{ret.id}").get_data(as_text=True)
    sent = officer.get(f"/returns/{ret.id}/file")

    assert "Test User (ann@rmbc.example)" in page and "user:ann@rmbc.example" not in page
    assert f'href="/returns/{ret.id}/file"' in page
    assert sent.status_code == 200 and sent.data == GOOD.read_bytes()
    assert GOOD.name in sent.headers["Content-Disposition"]


def test_the_diff_page_lists_the_rows_removed_in_a_new_version(officer, uow, tmp_path):
    post_upload(officer, GOOD)
    shorter = tmp_path / "rmbc-spend-2021-22-Q3-v2.csv"
    lines = GOOD.read_text(encoding="utf-8").splitlines(keepends=True)
    shorter.write_text("".join(line for line in lines if "Leeds Lamps" not in line),
                       encoding="utf-8")
    post_upload(officer, shorter)
    with uow:
        latest = uow.returns.for_partner(uow.partners.get("rmbc").id)[0]

    html = officer.get(f"/returns/{latest.id}/diff").get_data(as_text=True)

    assert latest.version == 2 and "Changes in version 2" in html
    removed = html.split('id="removed"')[1].split("</table>")[0]
    assert "Leeds Lamps Ltd" in removed and removed.count("<tr") == 2  # heading and one row


def test_refusals_are_pages_in_the_sites_layout_not_json(officer):
    forbidden = officer.get("/approvals")
    missing = officer.get("/returns/999999")

    assert forbidden.status_code == 403 and "You cannot see this page" in forbidden.get_data(
        as_text=True)
    assert missing.status_code == 404 and missing.mimetype == "text/html"
    assert "Page not found" in missing.get_data(as_text=True)


def test_a_file_over_the_limit_is_refused_with_a_page_saying_so(app, officer, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 200)

    response = post_upload(officer, GOOD)

    assert response.status_code == 413
    assert "The file is too large" in response.get_data(as_text=True)


def test_many_rows_with_one_problem_show_as_one_line_and_the_csv_lists_each(
        officer, uow, tmp_path):
    spend = tmp_path / "late.csv"
    spend.write_text("Payment Date,Amount,Supplier Name\n" + "".join(
        f"0{day}/09/2021,1.00,Acme Ltd\n" for day in range(1, 7)))  # all before the quarter

    page = html.unescape(post_upload(officer, spend).get_data(as_text=True))

    assert "Return received" in page
    assert page.count("is outside the return's period") == 1
    assert ("6 rows have a date in 'Payment Date' outside the return's period. Rows 2, 3, 4, 5, "
            "6, 7; issues.csv lists every one.") in page
    assert ">6 rows<" in page
    with uow:
        accepted = uow.returns.for_partner(uow.partners.get("rmbc").id)[0].id
    body = officer.get(f"/returns/{accepted}/issues.csv").get_data(as_text=True)
    assert [line.split(",")[1] for line in body.splitlines()[1:]] == [str(r) for r in range(2, 8)]
