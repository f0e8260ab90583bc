"""Each person's home starts from their next job: a data officer's open and overdue windows with
an upload button each, an approver's waiting returns, the board's headline figures, the MCA
analyst's sub-regional view and latest release, the administrator's cycle status."""

import re
from pathlib import Path

import pytest

from exchange.context import get_uow
from exchange.feeds.releases import publish_release
from tests.api.oauth_flows import PASSWORD, sign_in

RETURNS = Path(__file__).parents[1] / "fixtures" / "returns"
GOOD = RETURNS / "rmbc-spend-2021-22-Q3.csv"


def home_of(app, make_user, partner, email, roles=()):
    make_user(partner, email, PASSWORD, roles=roles, name=f"Person {email.split('@')[0]}")
    client = app.test_client()
    sign_in(client, email)
    return client, client.get("/").get_data(as_text=True)


def test_a_data_officer_starts_from_each_open_or_overdue_window_with_its_upload_button(
        app, make_user):
    client, page = home_of(app, make_user, "rmbc", "ann@rmbc.example")

    due = page.split('id="due"')[1].split("</table>")[0]
    links = re.findall(r'href="(/upload\?[^"]+)"', due)
    assert links and all("kind=" in link and "period=" in link for link in links)
    form = client.get(links[0].replace("&amp;", "&")).get_data(as_text=True)
    kind = re.search(r"kind=(\w+)", links[0])[1]
    period = re.search(r"period=([\w-]+)", links[0])[1]
    assert f'<option value="{kind}" selected>' in form
    assert f'<option value="{period}" selected>' in form
    assert 'name="period" type="text"' not in form and 'id="period" name="period"' in form


def test_a_quarter_still_owed_from_the_cycles_start_keeps_its_upload_button_on_home(
        app, make_user):
    # The cycle starts in 2025-26-Q1 (config/default.py); rmbc has sent nothing since, so that
    # quarter is long overdue, older than the last two quarters the home used to show.
    client, page = home_of(app, make_user, "rmbc", "ann@rmbc.example")

    due = page.split('id="due"')[1].split("</table>")[0]
    assert "/upload?kind=spend&amp;period=2025-26-Q1" in due
    form = client.get("/upload?kind=spend&period=2025-26-Q1").get_data(as_text=True)
    assert re.search(r'<option value="2025-26-Q1" selected>[^<]*overdue', form)


def test_an_approver_is_told_how_many_returns_await_approval_with_who_sent_them(
        app, make_user):
    officer, _ = home_of(app, make_user, "rmbc", "ann@rmbc.example")
    from tests.web.test_partner_pages import post_upload
    assert "Return received" in post_upload(officer, GOOD).get_data(as_text=True)

    _, page = home_of(app, make_user, "rmbc", "bob@rmbc.example", roles=("approver",))

    assert "1 return awaits your approval" in page
    assert "Person ann (ann@rmbc.example)" in page and "user:ann@rmbc.example" not in page
    assert 'href="/approvals"' in page


def test_a_board_member_starts_from_the_partnerships_headline_figures(app, make_user):
    _, page = home_of(app, make_user, "rmbc", "chair@rmbc.example", roles=("board",))

    assert 'id="headlines"' in page and "Total spend" in page
    assert "Open the partnership dashboard" in page
    assert 'id="windows"' not in page


def test_the_mca_analyst_starts_from_the_subregional_view_and_the_latest_release(
        app, make_user):
    _, before = home_of(app, make_user, "symca", "ana@symca.example")
    assert "Open the sub-regional view" in before and "owes no returns" not in before
    assert "No release has been published yet" in before

    officer, _ = home_of(app, make_user, "rmbc", "ann@rmbc.example")
    from tests.web.test_partner_pages import post_upload
    post_upload(officer, GOOD)
    with app.app_context():
        publish_release(get_uow(), "south-yorkshire", "2021-22-Q3", actor="test")
    _, after = home_of(app, make_user, "symca", "ana2@symca.example")

    assert "2021-22-Q3, version 1" in after.split('id="latest-release"')[1]


@pytest.mark.parametrize("partner", ["symca", "rmbc"])
def test_an_administrator_starts_from_the_cycle_status_not_a_partners_home(
        app, make_user, partner):
    _, page = home_of(app, make_user, partner, f"root@{partner}.example", roles=("admin",))

    assert "Where the cycle stands" in page
    for table in ("cycle-windows", "cycle-releases", "cycle-jobs"):
        assert f'id="{table}"' in page
    assert "publish_releases" in page and "Publish a release" in page
    assert 'id="windows"' not in page and "owes no returns" not in page


def test_the_audit_log_page_shows_submissions_to_an_administrator(app, make_user):
    officer, _ = home_of(app, make_user, "rmbc", "ann@rmbc.example")
    from tests.web.test_partner_pages import post_upload
    post_upload(officer, GOOD)
    admin, _ = home_of(app, make_user, "symca", "root@symca.example", roles=("admin",))

    page = admin.get("/admin/audit?action=return.accept").get_data(as_text=True)

    assert 'data-action="return.accept"' in page and "Person ann (ann@rmbc.example)" in page
    assert 'data-action="user.login"' not in page


def test_the_administrators_home_says_which_releases_are_due_and_not_published(
        app, make_user):
    officer, _ = home_of(app, make_user, "var", "ann@var.example")  # needs no approval
    from tests.web.test_partner_pages import post_upload
    post_upload(officer, GOOD)
    _, due = home_of(app, make_user, "symca", "root@symca.example", roles=("admin",))
    with app.app_context():
        publish_release(get_uow(), "south-yorkshire", "2021-22-Q3", actor="test")
    _, published = home_of(app, make_user, "symca", "root2@symca.example", roles=("admin",))

    assert "1 release is due" in due and "2021-22-Q3 of south-yorkshire" in due
    assert "2021-22-Q3 of south-yorkshire" not in published
