"""The dashboards and the administration pages in a real browser: the charts are drawn by
vega-embed under the site's CSP (no eval, no inline script), every page passes axe-core, and an
administrator registers a client, sees its secret once, and revokes it."""

import re

from playwright.sync_api import expect

OFFICER, ADMIN = "demo@rmbc.example", "admin@hub.example"


def wait_for_charts(page, count: int) -> None:
    """Every chart on the page drawn as SVG by vega-embed (none failed)."""
    charts = page.locator("[data-chart-spec]")
    expect(charts).to_have_count(count)
    for index in range(count):
        chart = charts.nth(index)
        expect(chart).to_have_attribute("data-chart-state", "rendered")
        expect(chart.locator("svg").first).to_be_visible()


def test_the_partnership_dashboard_draws_its_charts_and_passes_axe(
        browser_page, sign_in, check_accessibility):
    page = browser_page
    sign_in(page, OFFICER)
    page.get_by_role("link", name="Dashboard", exact=True).click()

    expect(page.locator("h1")).to_have_text("Rotherham Together Partnership")
    wait_for_charts(page, 4)
    expect(page.locator('tr[data-kpi="total_spend"] td').first).to_have_text(re.compile(r"^£"))
    page.get_by_text("Show the figures as a table").first.click()
    expect(page.locator("#chart-local-share-table")).to_be_visible()
    check_accessibility(page, "dashboard-partnership")


def test_a_bad_range_shows_an_error_summary_that_leads_to_the_field(
        browser_page, sign_in, check_accessibility):
    page = browser_page
    sign_in(page, OFFICER)
    page.goto("/dashboard/partnership/rotherham")

    page.get_by_label("From", exact=True).fill("2025-26-Q9")
    page.get_by_role("button", name="Show figures").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("has no quarter Q9")
    expect(page.get_by_label("From", exact=True)).to_have_value("2025-26-Q9")
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("From", exact=True)).to_be_focused()
    check_accessibility(page, "dashboard-partnership-range-error")


def test_the_mca_analyst_sees_released_figures_and_who_is_counted_and_it_passes_axe(
        browser_page, sign_in, check_accessibility):
    # The MCA is outside every partnership: no live figures or flows, only what releases
    # publish (the live page, with its flows chart, is tested in tests/pages for syp).
    page = browser_page
    sign_in(page, "analyst@symca.example")
    page.goto("/dashboard/mca/south-yorkshire")

    expect(page.locator("h1")).to_have_text(re.compile("South Yorkshire"))
    expect(page.locator("#controlled-notice")).to_be_visible()
    expect(page.locator("[data-chart-spec]")).to_have_count(0)
    expect(page.locator('#completeness li[data-place="rotherham"]').first).to_contain_text(
        re.compile(r"Rotherham: \d+ of \d+ partners counted"))
    check_accessibility(page, "dashboard-mca")


def test_an_administrator_registers_a_client_sees_its_secret_once_and_revokes_it(
        browser_page, sign_in, check_accessibility):
    page = browser_page
    sign_in(page, ADMIN)
    page.get_by_role("link", name="Admin", exact=True).click()
    check_accessibility(page, "admin-overview")
    for name, shot in (("Partners", "admin-partners"), ("People", "admin-people"),
                       ("Releases", "admin-releases"), ("Jobs", "admin-jobs"),
                       ("Outbox", "admin-outbox")):
        page.get_by_role("navigation", name="Administration").get_by_role(
            "link", name=name).click()
        check_accessibility(page, shot)

    page.get_by_role("navigation", name="Administration").get_by_role(
        "link", name="OAuth clients").click()
    page.get_by_role("button", name="Register client").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose the partner")
    check_accessibility(page, "admin-clients-with-errors")

    page.get_by_label("Partner").select_option("trft")
    page.get_by_label("Name").fill("TRFT ledger export")
    page.get_by_label("returns:write").check()
    page.get_by_role("button", name="Register client").click()

    expect(page.locator("h1")).to_have_text("Client registered")
    client_id = page.locator("#client-id").inner_text()
    secret = page.locator("#client-secret").inner_text()
    assert len(secret) >= 32
    check_accessibility(page, "admin-client-created")

    page.get_by_role("link", name="Back to the clients").click()
    row = page.locator(f'tr[data-client="{client_id}"]')
    expect(row).to_contain_text("TRFT ledger export")
    assert secret not in page.content()
    row.get_by_role("button", name=re.compile("Revoke")).click()

    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"Client {client_id} is revoked")
    expect(page.locator(f'tr[data-client="{client_id}"]')).to_contain_text("Revoked")
    check_accessibility(page, "admin-clients")
