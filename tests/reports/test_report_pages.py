"""The report pages over HTTP: who may read them, the HTML and the PDF, and clear errors."""

import re
from datetime import UTC, datetime
from html import unescape

from exchange.context import get_uow
from exchange.services.reports.generation import generate_report
from tests.api.oauth_flows import PASSWORD, sign_in
from tests.integration.views_support import spend_csv, submit
from tests.reports.conftest import Q2, YEAR, A

PAGE = f"/reports/rotherham/mid-year/{YEAR}"


def signed_in(client, make_user):
    make_user("rmbc", "ann@rmbc.example", PASSWORD)
    assert sign_in(client, "ann@rmbc.example").status_code == 302
    return client


def test_someone_not_signed_in_is_sent_to_sign_in_and_back(client):
    for path in (PAGE, PAGE + ".pdf", "/reports"):
        response = client.get(path)

        assert response.status_code == 302
        assert response.headers["Location"] == f"/login?next={path}"


def test_a_signed_in_person_reads_the_report_with_its_charts_and_tables(world, client,
                                                                        make_user):
    response = signed_in(client, make_user).get(PAGE)

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<h1 class=\"govuk-heading-xl\">Mid-year position report 2021-22</h1>" in html
    assert "Rotherham Together Partnership" in html and "£107,000" in html
    assert html.count("<svg") == 4 and 'href="/static/reports.css"' in html
    assert f'href="{PAGE}.pdf"' in html
    assert not re.search(r"<style|\sstyle=", html)
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]


def test_a_client_with_views_read_may_read_a_report_and_other_scopes_may_not(world, client,
                                                                             partner_token):
    allowed = partner_token("syp", "views:read")
    other = partner_token("rmbc", "returns:read")

    ok = client.get(PAGE, headers={"Authorization": f"Bearer {allowed}"})
    refused = client.get(PAGE, headers={"Authorization": f"Bearer {other}"})
    bad = client.get(PAGE + ".pdf", headers={"Authorization": "Bearer not-a-token"})

    assert ok.status_code == 200 and "Rotherham Together Partnership" in ok.get_data(
        as_text=True)
    assert refused.status_code == 403
    assert refused.get_json()["error"] == "insufficient_scope"
    assert bad.status_code == 401 and bad.get_json()["error"] == "invalid_token"


def test_the_pdf_is_rendered_live_until_one_is_stored_then_served_while_data_is_unchanged(
        world, client, make_user):
    browser = signed_in(client, make_user)

    live = browser.get(PAGE + ".pdf")
    stored = generate_report(get_uow(), "rotherham", "mid-year", YEAR,
                             datetime.now(UTC))
    served = browser.get(PAGE + ".pdf")
    submit(spend_csv([("07/07/2021", "500.00", A)]), "rmbc", period=Q2)
    after_change = browser.get(PAGE + ".pdf")

    assert live.status_code == 200 and live.mimetype == "application/pdf"
    assert live.data.startswith(b"%PDF") and live.headers["X-Report-Source"] == "live"
    assert 'filename="rotherham-mid-year-report-2021-22.pdf"' in live.headers[
        "Content-Disposition"]
    assert served.headers["X-Report-Source"] == f"stored; id={stored.id}"
    assert after_change.headers["X-Report-Source"] == "live"
    assert "returns have changed since" in browser.get(PAGE).get_data(as_text=True)


def test_an_unknown_place_or_a_bad_year_gets_a_clear_page(app, client, make_user):
    browser = signed_in(client, make_user)

    unknown = browser.get(f"/reports/atlantis/annual/{YEAR}")
    bad_year = browser.get("/reports/rotherham/annual/2021")
    quarter = browser.get("/reports/rotherham/mid-year/2021-22-Q1.pdf")
    bad_kind = browser.get(f"/reports/rotherham/quarterly/{YEAR}")

    assert unknown.status_code == 404
    assert "There is no place partnership 'atlantis'" in unescape(unknown.get_data(as_text=True))
    assert bad_year.status_code == 400
    assert "'2021' is not a financial year" in unescape(bad_year.get_data(as_text=True))
    assert quarter.status_code == 400 and quarter.mimetype == "text/html"
    assert bad_kind.status_code == 404


def test_the_reports_page_lists_the_askers_partnerships_and_the_years_with_returns(
        world, client, make_user):
    html = signed_in(client, make_user).get("/reports").get_data(as_text=True)

    assert "Rotherham Together Partnership" in html
    assert f'href="/reports/rotherham/annual/{YEAR}"' in html
    assert 'href="/reports/rotherham/mid-year/2020-21.pdf"' in html
    # rmbc is no partner of Sheffield's: its reports are not offered
    assert "Sheffield City Partnership" not in html
