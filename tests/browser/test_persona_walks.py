"""Each persona's main job in a real browser, from signing in to done, on the demo data: every
page passes axe-core and is saved as a screenshot (test-output/screenshots/walk-*.png).

The walks run in this order on one demo hub: the data officer's new return is what the
administrator then publishes in a release."""

import re
from pathlib import Path

from playwright.sync_api import expect

from exchange.periods import Period

FIXTURES = Path(__file__).parent / "fixtures"
RETURN_FILE = FIXTURES / "sheffield-spend-2025-26-Q4.csv"
OFFICER, APPROVER, BOARD = "demo@var.example", "approver@rmbc.example", "board@rmbc.example"
ANALYST, ADMIN = "analyst@symca.example", "admin@hub.example"
SPEND_BUTTON = re.compile(r"^Upload the spend return for (\d{4}-\d{2}-Q[1-4])$")


def quarter_of(button) -> str:
    """The quarter an upload button is for, from its accessible name or else its link."""
    named = SPEND_BUTTON.match(button.inner_text().strip().replace("\n", " "))
    return named[1] if named else button.get_attribute("href").split("period=")[1]


def in_quarter(quarter: str, folder: Path) -> Path:
    """The fixture's payments dated on the first day of ``quarter``: a file for that window."""
    day = Period.parse(quarter).start.isoformat()
    lines = RETURN_FILE.read_text(encoding="utf-8").splitlines()
    dated = [lines[0]] + [re.sub(r"^\d{4}-\d{2}-\d{2}", day, line) for line in lines[1:]]
    path = folder / f"var-spend-{quarter}.csv"
    path.write_text("\n".join(dated) + "\n", encoding="utf-8")
    return path


def test_a_data_officer_checks_then_submits_the_same_file_for_an_open_window(
        browser_page, sign_in, check_accessibility, tmp_path):
    page = browser_page
    sign_in(page, OFFICER)
    expect(page.locator("h1#next-job")).to_contain_text("to send")
    check_accessibility(page, "walk-officer-1-home")

    # The newest window owed is the open one (older overdue quarters are listed first); the
    # administrator's walk then publishes its quarter, the newest with an accepted return.
    buttons = page.locator("#due").get_by_role("button", name=SPEND_BUTTON)
    by_quarter = {quarter_of(button): button for button in buttons.all()}
    quarter = max(by_quarter)
    by_quarter[quarter].click()
    expect(page.get_by_label("Kind of return")).to_have_value("spend")
    expect(page.get_by_label("Quarter")).to_have_value(quarter)
    page.get_by_label("Return file").set_input_files(str(in_quarter(quarter, tmp_path)))
    page.get_by_label("Check only", exact=True).check()
    check_accessibility(page, "walk-officer-2-upload-form")
    page.get_by_role("button", name="Continue").click()

    expect(page.locator("h1")).to_have_text("The file has no errors")
    check_accessibility(page, "walk-officer-3-checked")
    page.get_by_role("button", name=re.compile("^Submit this file")).click()

    expect(page.locator("h1")).to_have_text("Return received")
    expect(page.locator(".govuk-panel__body")).to_contain_text(f"Spend {quarter}, version 1")
    check_accessibility(page, "walk-officer-4-receipt")
    page.get_by_role("link", name="See this return").click()
    expect(page.locator(".govuk-summary-list")).to_contain_text("Demo data officer (VAR)")
    expect(page.get_by_role("link", name=re.compile("^Download the file sent"))).to_be_visible()
    check_accessibility(page, "walk-officer-5-return")


def test_an_approver_approves_a_waiting_return_after_confirming(
        browser_page, sign_in, check_accessibility):
    page = browser_page
    sign_in(page, APPROVER)
    heading = page.locator("h1#next-job")
    expect(heading).to_have_text(re.compile(r"^\d+ returns? awaits? your approval$"))
    waiting = int(heading.inner_text().split()[0])
    check_accessibility(page, "walk-approver-1-home")

    page.get_by_role("button", name="Review and approve returns").click()
    first = page.locator("#awaiting tbody tr").first
    expect(first.locator("td").nth(1)).not_to_contain_text("user:")  # a name, not user:<email>
    expect(first.locator("td").nth(4)).to_have_text(re.compile(r"^(£[\d,]+(\.\d\d)?|–)$"))
    check_accessibility(page, "walk-approver-2-list")
    first.get_by_role("button", name=re.compile("^Approve")).click()

    expect(page.locator("h1")).to_have_text(re.compile(r"^Approve the \w+ return for .+\?$"))
    check_accessibility(page, "walk-approver-3-confirm")
    page.get_by_role("button", name="Yes, approve this return").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("You approved")
    check_accessibility(page, "walk-approver-4-done")
    page.goto("/")
    expect(page.locator("h1#next-job")).to_contain_text(
        f"{waiting - 1} return" if waiting > 1 else "No returns await")


def test_a_board_member_reads_the_headline_figures_and_opens_the_dashboard(
        browser_page, sign_in, check_accessibility):
    page = browser_page
    sign_in(page, BOARD)
    expect(page.locator("h1#next-job")).to_contain_text("at a glance")
    spend = page.locator('[data-kpi="total_spend"] .govuk-heading-l')
    expect(spend).to_have_text(re.compile(r"^£\d{1,3}(,\d{3})*(\.\d\d)?$"))
    expect(page.locator('[data-kpi="local_share"] .govuk-heading-l')).to_have_text(
        re.compile(r"^\d+\.\d%$"))
    check_accessibility(page, "walk-board-1-home")

    page.get_by_role("button", name="Open the partnership dashboard").click()
    expect(page.locator("h1")).to_have_text("Rotherham Together Partnership")
    for chart in page.locator("[data-chart-spec]").all():
        expect(chart).to_have_attribute("data-chart-state", "rendered")
    check_accessibility(page, "walk-board-2-dashboard")


def test_the_mca_analyst_reaches_the_subregional_view_and_the_latest_release(
        browser_page, sign_in, check_accessibility):
    page = browser_page
    sign_in(page, ANALYST)
    expect(page.locator("h1#next-job")).to_contain_text("the sub-regional view")
    expect(page.locator("#latest-release")).to_contain_text("version")
    expect(page.get_by_text("owes no returns")).to_have_count(0)
    check_accessibility(page, "walk-analyst-1-home")
    with page.expect_download() as download:
        page.locator("#latest-release").get_by_role("link", name=re.compile("CSV")).click()
    assert len(Path(download.value.path()).read_text(encoding="utf-8-sig").splitlines()) > 1

    page.get_by_role("button", name="Open the sub-regional view").click()
    expect(page.locator("h1")).to_contain_text("South Yorkshire")
    check_accessibility(page, "walk-analyst-2-subregion")


def test_an_administrator_publishes_a_release_runs_a_job_and_finds_both_in_the_audit_log(
        browser_page, sign_in, check_accessibility):
    page = browser_page
    sign_in(page, ADMIN)
    expect(page.locator("h1#next-job")).to_have_text("Where the cycle stands")
    expect(page.locator("#cycle-jobs")).to_contain_text("publish_releases")
    check_accessibility(page, "walk-admin-1-home")

    page.get_by_role("button", name="Publish a release").click()
    page.get_by_label("Sub-region").select_option("south-yorkshire")
    quarter = page.get_by_label("Quarter").locator("option").nth(1).get_attribute("value")
    page.get_by_label("Quarter").select_option(quarter)  # the newest: the officer's return
    check_accessibility(page, "walk-admin-2-release-form")
    page.get_by_role("button", name="Publish release").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Published release")
    check_accessibility(page, "walk-admin-3-published")

    page.get_by_role("link", name="Jobs", exact=True).click()
    page.get_by_role("button", name="Run now refresh_aggregates").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "refresh_aggregates: ok")
    check_accessibility(page, "walk-admin-4-job-run")

    page.get_by_role("link", name="Audit log", exact=True).click()
    rows = page.locator("#audit tbody tr")
    expect(rows.filter(has_text="release.publish").filter(
        has_text="Demo hub administrator").first).to_be_visible()
    expect(rows.filter(has_text="job.run").filter(
        has_text="Demo hub administrator").first).to_be_visible()
    expect(rows.filter(has_text="return.accept").filter(has_text="Demo data officer (VAR)")
           .first).to_be_visible()
    check_accessibility(page, "walk-admin-5-audit")
