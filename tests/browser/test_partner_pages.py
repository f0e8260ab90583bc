"""A partner's pages in a real browser: sign in, upload with errors, fix and resubmit, approve as
someone else, and the figures on the home page change; every page passes axe-core."""

import csv
import io
import re
from pathlib import Path

from playwright.sync_api import expect

FIXTURES = Path(__file__).parent / "fixtures"
WITH_ERRORS = FIXTURES / "sheffield-spend-2025-26-Q4-errors.csv"
CORRECTED = FIXTURES / "sheffield-spend-2025-26-Q4.csv"
OFFICER, APPROVER = "demo@rmbc.example", "approver@rmbc.example"


def total_spend(page) -> str:
    page.goto("/")
    return page.locator('#figures td[data-figure="Total spend"]').inner_text()


def upload(page, path: Path, action: str) -> None:
    page.goto("/upload")
    page.get_by_label("Return file").set_input_files(str(path))
    page.get_by_label("Kind of return").select_option("spend")
    page.get_by_label("Quarter").select_option("2025-26-Q4")
    page.get_by_label(action, exact=True).check()
    page.get_by_role("button", name="Continue").click()


def test_a_partner_uploads_fixes_resubmits_and_an_approver_approves(
        browser_page, sign_in, check_accessibility):
    page = browser_page
    sign_in(page, OFFICER)
    check_accessibility(page, "partner-home")
    before = total_spend(page)

    upload(page, WITH_ERRORS, "Submit")
    expect(page.locator("h1")).to_have_text("Your return was not accepted")
    issues = page.locator("#issues tbody tr")
    expect(issues).to_have_count(2)
    expect(issues.nth(0)).to_contain_text("twelve pounds")
    expect(issues.nth(0).locator("td").nth(3)).to_have_text("B")
    expect(issues.nth(1)).to_contain_text("30 February 2026 does not exist")
    check_accessibility(page, "upload-report-with-errors")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the issues as a CSV file").click()
    rows = list(csv.DictReader(io.StringIO(
        Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert [(r["row"], r["column_letter"], r["value"]) for r in rows] == [
        ("4", "B", "twelve pounds"), ("7", "A", "2026-02-30")]

    upload(page, CORRECTED, "Submit")
    expect(page.locator("h1")).to_have_text("Return received")
    check_accessibility(page, "upload-receipt")
    page.get_by_role("link", name="See this return").click()
    check_accessibility(page, "return-detail")
    versions = page.locator("#versions tbody tr")
    expect(versions).to_have_count(3)  # the demo's version 1, the rejected upload, version 2
    expect(versions.nth(1)).to_contain_text("Rejected")
    page.get_by_role("link", name="See what changed from the previous version").click()
    expect(page.locator("h1")).to_contain_text("Changes in version 2")
    check_accessibility(page, "return-diff")
    after_upload = total_spend(page)
    assert after_upload != before

    page.goto("/logout")
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, APPROVER)
    page.get_by_role("link", name="Approvals").click()
    check_accessibility(page, "approvals")
    page.get_by_role("button", name="Approve the spend return for 2025-26-Q4").click()
    expect(page.locator("h1")).to_have_text("Approve the spend return for 2025-26-Q4?")
    check_accessibility(page, "approval-confirm")
    page.get_by_role("button", name="Yes, approve this return").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "You approved the spend return for 2025-26-Q4")
    check_accessibility(page, "approvals-done")
    assert total_spend(page) == after_upload
    expect(page.locator("#recent")).to_contain_text("approved")


def test_a_partner_opens_the_partnerships_report_and_downloads_its_pdf(
        browser_page, sign_in, check_accessibility):
    page = browser_page
    sign_in(page, OFFICER)
    page.get_by_role("link", name="Reports", exact=True).click()
    check_accessibility(page, "reports")
    page.get_by_role("link", name="annual report").first.click()
    expect(page.locator("h1")).to_be_visible()
    check_accessibility(page, "report")
    pdf = page.get_by_role("link", name=re.compile("PDF")).first.get_attribute("href")
    response = page.request.get(pdf)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


def test_an_approver_cannot_approve_their_own_return_and_is_told_why(
        browser_page, sign_in, check_accessibility):
    page = browser_page
    sign_in(page, APPROVER)
    page.goto("/upload")
    page.get_by_label("Return file").set_input_files(str(CORRECTED))
    page.get_by_label("Kind of return").select_option("spend")
    page.get_by_label("Quarter").select_option("2025-26-Q3")
    page.get_by_label("Submit", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_have_text("Return received")

    page.goto("/approvals")
    page.get_by_role("button", name="Approve the spend return for 2025-26-Q3").click()
    page.get_by_role("button", name="Yes, approve this return").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("You submitted this return, someone else must approve it.")
    expect(summary).to_be_focused()
    check_accessibility(page, "approvals-refused")


def test_a_bad_upload_form_shows_an_error_summary_and_keeps_what_was_typed(
        browser_page, sign_in, check_accessibility):
    page = browser_page
    sign_in(page, OFFICER)
    check_accessibility(page, "upload-form")
    page.goto("/upload")
    page.get_by_label("Kind of return").select_option("")
    page.get_by_label("Quarter").select_option("2025-26-Q3")
    page.get_by_role("button", name="Continue").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text([
        "Select the file of your return.", "Select the kind of return.",
        "Select whether to check the file only or to submit it."])
    expect(page.get_by_label("Quarter")).to_have_value("2025-26-Q3")
    check_accessibility(page, "upload-form-errors")
    summary.get_by_role("link", name="Select the kind of return.").click()
    expect(page.get_by_label("Kind of return")).to_be_focused()


def test_signing_in_with_a_wrong_password_shows_an_error_summary_and_keeps_the_email(
        browser_page, check_accessibility):
    page = browser_page
    page.goto("/")
    check_accessibility(page, "front-door")
    page.get_by_role("link", name="Sign in").first.click()
    check_accessibility(page, "sign-in")
    page.get_by_label("Email address").fill(OFFICER)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()

    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The email address or password is not right.")
    expect(page.get_by_label("Email address")).to_have_value(OFFICER)
    check_accessibility(page, "sign-in-error")


def test_the_header_shows_only_the_links_a_person_may_use_and_only_pages_that_exist(
        browser_page, sign_in):
    page = browser_page
    sign_in(page, OFFICER)
    links = page.locator(".govuk-service-navigation__link").all_inner_texts()

    assert links[:3] == ["Home", "Upload", "Returns"] and "Approvals" not in links
    for href in page.locator(".govuk-service-navigation__link").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"):
        assert page.request.get(href).status in (200, 302), href


def test_another_partners_return_is_not_found(browser_page, sign_in, live_app):
    from exchange.models.returns import PartnerReturn

    with live_app.app_context():
        from exchange.context import get_uow
        with get_uow() as uow:
            theirs = uow.session.query(PartnerReturn).join(PartnerReturn.partner).filter_by(
                slug="scc").first().id
    page = browser_page
    sign_in(page, OFFICER)

    for path in (f"/returns/{theirs}", f"/returns/{theirs}/diff",
                 f"/returns/{theirs}/issues.csv", f"/returns/{theirs}/annotated.xlsx"):
        assert page.request.get(path).status == 404, path


def test_the_api_documentation_runs_under_the_content_security_policy(browser_page):
    page = browser_page
    page.goto("/api/v1/docs")

    expect(page.locator(".opblock").first).to_be_visible()
    assert "unsafe-inline" not in page.request.get("/api/v1/docs").headers[
        "content-security-policy"]


def tab_to(page, element_id: str, limit: int = 30) -> None:
    """Press Tab until the element with this id has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} cannot be reached with the Tab key")


def test_a_partner_can_sign_in_and_check_a_file_with_the_keyboard_alone(browser_page):
    page = browser_page
    page.goto("/login?next=/upload")
    page.keyboard.press("Tab")
    expect(page.get_by_text("Skip to main content")).to_be_focused()

    tab_to(page, "email")
    page.keyboard.type(OFFICER)
    tab_to(page, "password")
    page.keyboard.type("demo-password-2025")
    page.keyboard.press("Enter")
    page.wait_for_url("**/upload")
    page.get_by_label("Return file").set_input_files(str(WITH_ERRORS))  # the file chooser
    tab_to(page, "kind")
    page.keyboard.type("Spend")  # a select chooses the option its typed text starts
    tab_to(page, "period")
    page.keyboard.type("2025-26-Q4")
    tab_to(page, "action")
    page.keyboard.press("Space")
    page.keyboard.press("Enter")

    expect(page.locator("h1")).to_have_text("The file has 2 errors")


def test_the_other_partner_pages_pass_axe_too(browser_page, sign_in, check_accessibility):
    page = browser_page
    sign_in(page, OFFICER)
    for name, path in (("returns-history", "/returns"), ("signed-in", "/signed-in"),
                       ("not-found", "/returns/999999"), ("forbidden", "/approvals"),
                       ("sign-out", "/logout")):
        page.goto(path)
        check_accessibility(page, name)

    page.locator('input[name="csrf_token"]').evaluate("input => { input.value = 'forged'; }")
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("h1")).to_have_text("The form has expired")
    check_accessibility(page, "form-expired")
