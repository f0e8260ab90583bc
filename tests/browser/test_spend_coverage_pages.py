"""Too little spend located: a partner's home and the partnership dashboard say "not enough spend
located" with the coverage, and show no local-share percentage; every page passes axe-core.

VAR sends a quarter of spend (2026-27-Q2, after the demo's year) whose suppliers carry no
postcode and are in no register: none of it is located, under the 50% minimum. It runs after
the other browser tests (they share one hub) and changes only VAR's and that quarter's figures."""

import re

from playwright.sync_api import expect

from exchange.context import get_blobs, get_uow
from exchange.ingest.submissions import StoredFile, Submission, submit_return

QUARTER = "2026-27-Q2"
OFFICER = "demo@var.example"
NOT_ENOUGH = "not enough spend located (0.0% located)"
SPEND = ("Payment date,Amount (GBP),Supplier name,Supplier ID\n"
         "05/07/2026,1200.00,Quietly Unplaced Services Ltd,QU1\n"
         "06/07/2026,800.00,Nowhere Listed Catering Ltd,NL1\n"
         "07/07/2026,-50.00,Nowhere Listed Catering Ltd,NL1\n")
PERCENT = re.compile(r"\d+(\.\d+)?%")


def submit_unlocated_spend(live_app) -> None:
    with live_app.app_context():
        data = SPEND.encode("utf-8")
        sha, size = get_blobs().save_bytes(data)
        receipt = submit_return(
            Submission("var", "spend", QUARTER, "browser-test", profile="template"),
            StoredFile(sha, size, "spend.csv", "text/csv"), get_uow(), get_blobs())
        assert receipt.status == "accepted", [i.message for i in receipt.issues]


def test_too_little_spend_located_shows_no_local_share_on_the_home_page_and_dashboard(
        live_app, browser_page, sign_in, check_accessibility):
    submit_unlocated_spend(live_app)
    page = browser_page
    sign_in(page, OFFICER)

    local = page.locator('#figures tr:has(th:text-is("Local share (of located spend)")) td')
    expect(local).to_have_count(2)
    for index in range(2):  # VAR's own figure and the partnership's (only VAR sent spend)
        expect(local.nth(index)).to_have_text(NOT_ENOUGH)
    expect(page.locator('#figures td[data-figure="Spend located"]')).to_have_text("0.0% located")
    expect(page.get_by_role("link", name="how shares are worked out")).to_be_visible()
    check_accessibility(page, "home-not-enough-located")

    page.goto(f"/dashboard/partnership/rotherham?from={QUARTER}&to={QUARTER}")
    expect(page.locator("h1")).to_have_text("Rotherham Together Partnership")
    for key in ("local_share", "subregional_share"):
        cell = page.locator(f'tr[data-kpi="{key}"] td').first
        expect(cell).to_have_text(NOT_ENOUGH)
    row = page.locator('#partner-kpis tr[data-partner="var"] td')
    expect(row.nth(1)).to_have_text(NOT_ENOUGH)  # its local share column
    # no share as a number: the only percentage is the coverage, in brackets
    assert not PERCENT.search(row.nth(1).inner_text().split("(")[0])
    charts = page.locator("[data-chart-state]")
    for index in range(charts.count()):
        expect(charts.nth(index)).to_have_attribute("data-chart-state", "rendered")
    page.get_by_text("Show the figures as a table").first.click()
    table = page.locator("#chart-local-share-table")
    expect(table).to_be_visible()
    expect(table).to_contain_text("not enough spend located")
    check_accessibility(page, "dashboard-not-enough-located")

    page.goto("/glossary")
    expect(page.locator("#shares")).to_be_visible()
    check_accessibility(page, "glossary")
