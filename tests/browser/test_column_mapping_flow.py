"""In a real browser: a file with coded headings leads to the mapping step (not an error page),
the chosen columns read it, the mapping is listed on its own page and deleted there; both pages
pass axe-core."""

from playwright.sync_api import expect

OFFICER = "demo@rmbc.example"
CODED = ("PAYDT,TRXAMT,SUPPNM,COSTCTR\n"
         "03/04/2023,1250.00,Rotherham Widgets Ltd,CC1\n"
         "04/05/2023,-10.50,Acme Fabrication,CC2\n")


def test_a_partner_maps_coded_headings_once_and_finds_the_mapping_saved(
        browser_page, sign_in, check_accessibility, tmp_path):
    page = browser_page
    sign_in(page, OFFICER)
    coded = tmp_path / "ledger-export.csv"
    coded.write_text(CODED)

    page.goto("/upload")
    page.get_by_label("Return file").set_input_files(str(coded))
    page.get_by_label("Kind of return").select_option("spend")
    page.get_by_label("Quarter").select_option("2024-25-Q1")
    page.get_by_label("Submit", exact=True).check()
    page.get_by_role("button", name="Continue").click()

    expect(page.locator("h1")).to_have_text("Choose the columns of your file")
    expect(page.locator("#column-payment_date")).to_have_value("PAYDT")
    check_accessibility(page, "upload-choose-columns")
    page.locator("#column-amount").select_option("TRXAMT")
    page.get_by_role("button", name="Submit").click()
    expect(page.locator("h1")).to_have_text("Return received")

    page.goto("/column-mappings")
    expect(page.locator(".govuk-summary-card")).to_have_count(1)
    expect(page.locator(".govuk-summary-card")).to_contain_text("TRXAMT")
    check_accessibility(page, "column-mappings")
    page.get_by_role("button", name="Delete this mapping").click()
    expect(page.locator("#no-mappings")).to_be_visible()
