"""The partnership and MCA dashboards: who may see them, that every figure is the view's own,
and that the range form keeps what was typed and says what is wrong."""

import csv
import html
import io
import json
import re
from datetime import date

from sqlalchemy import update

from exchange.charts import specs
from exchange.context import get_uow
from exchange.feeds.releases import publish_release
from exchange.models import PartnerReturn
from exchange.periods import Period
from exchange.views.mca import mca_view
from exchange.views.partnership import partnership_view
from tests.integration.views_support import Q1, RMBC_Q1, build_world, spend_csv, submit

PARTNERSHIP = "/dashboard/partnership/rotherham"
MCA = "/dashboard/mca/south-yorkshire"


def kpi_value(page: str, key: str) -> str:
    found = re.search(rf'data-kpi="{key}" data-value="([^"]*)"', page)
    assert found, f"no KPI {key} on the page"
    return found.group(1)


def row_cells(page: str, attribute: str, value: str) -> list[str]:
    """The text of each cell of the table row marked attribute="value"."""
    row = re.search(rf'<tr[^>]*{attribute}="{value}"[^>]*>(.*?)</tr>', page, re.S).group(1)
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells]


def chart_spec(page: str, chart_id: str) -> dict:
    block = re.search(rf'<script type="application/json" id="{chart_id}-spec">(.*?)</script>',
                      page, re.S)
    assert block, f"no data block for {chart_id}"
    return json.loads(block.group(1))


def test_someone_not_signed_in_is_sent_to_sign_in_and_back(client):
    response = client.get(f"{PARTNERSHIP}?from={Q1}")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    assert "dashboard/partnership/rotherham" in response.headers["Location"]


def test_every_signed_in_person_sees_the_dashboards_whatever_their_partner(app, signed_in):
    build_world()
    contributor = signed_in("var")

    assert contributor.get(f"{PARTNERSHIP}?from={Q1}").status_code == 200
    assert contributor.get(f"{MCA}?from={Q1}").status_code == 200


def test_the_headline_figures_are_the_partnership_views_own(app, signed_in):
    build_world()
    page = signed_in("rmbc").get(f"{PARTNERSHIP}?from={Q1}").text

    combined = partnership_view(get_uow(), "rotherham", Q1)["periods"][0]["combined"]["kpis"]
    assert combined["total_spend"] == "106000.00"
    assert kpi_value(page, "total_spend") == combined["total_spend"]
    assert kpi_value(page, "local_spend") == combined["local_spend"]
    assert kpi_value(page, "local_share") == str(combined["local_share"])
    assert kpi_value(page, "local_suppliers") == str(combined["local_suppliers"])
    assert row_cells(page, "data-kpi", "total_spend")[:2] == ["Total spend", "£106,000"]
    # of located spend, net per supplier (see tests/integration/test_views_partnership.py)
    assert row_cells(page, "data-kpi", "local_share")[1] == "54.5%"
    assert row_cells(page, "data-kpi", "located_share")[1] == (
        "99.2% located (the line's postcode 99.2%)")
    # trft's net credit to B is left out of its shares: 40000/65000 local, 25000/65000 VCSE
    assert row_cells(page, "data-partner", "trft") == [
        "The Rotherham NHS Foundation Trust", "£40,000", "61.5%", "61.5%", "38.5%", "3",
        "100.0% located (the line's postcode 100.0%)"]


def test_each_kpi_is_compared_with_the_same_periods_and_partners_a_year_earlier(
        app, signed_in):
    build_world()
    submit(spend_csv([("06/04/2020", "50000.00", "Rother Widgets Ltd,A,1111111,S60 2UD")]),
           "rmbc", period="2020-21-Q1")

    page = signed_in().get(f"{PARTNERSHIP}?from={Q1}").text

    # only rmbc sent spend in both quarters: the comparison is on rmbc alone, and says so
    assert "the same quarters and partners a year earlier (2020-21-Q1)" in page
    assert ("on the 1 partner with spend returns in both (rmbc); left out of the comparison: "
            "syp, trft only now.") in page
    # all partners now £106,000; rmbc now £60,400 against its £50,000 a year earlier
    assert row_cells(page, "data-kpi", "total_spend") == [
        "Total spend", "£106,000", "£60,400", "£50,000", "up £10,400"]
    # rmbc: 100% local a year earlier, 30,900 of its 59,400 located (52.0%) now
    assert row_cells(page, "data-kpi", "local_share")[2:] == [
        "52.0%", "100.0%", "down 48.0 percentage points"]


def test_without_returns_a_year_earlier_there_is_nothing_to_compare_with(app, signed_in):
    build_world()

    page = signed_in().get(f"{PARTNERSHIP}?from={Q1}").text

    assert row_cells(page, "data-kpi", "total_spend")[2:] == [
        "no returns", "no figure to compare with"]


def test_the_local_share_chart_is_drawn_from_the_shared_spec_function(app, signed_in):
    build_world()
    page = signed_in().get(f"{PARTNERSHIP}?from={Q1}&to=2021-22-Q2").text

    quarterly = partnership_view(get_uow(), "rotherham", Q1, "2021-22-Q2", "quarter")
    assert chart_spec(page, "chart-local-share") == json.loads(json.dumps(
        specs.local_share_by_partner_and_quarter(quarterly)))
    assert 'data-chart-spec="chart-local-share-spec"' in page
    assert 'id="chart-local-share-table"' in page  # the table alternative
    assert "/static/vega/vega-interpreter.js" in page and "/static/js/charts.js" in page


def test_a_bad_range_keeps_what_was_typed_and_says_what_is_wrong(app, signed_in):
    page = signed_in().get(f"{PARTNERSHIP}?from=2021-22-Q5&to=soon&basis=comparable")

    assert page.status_code == 400
    text = page.text
    assert "<title>Error:" in text
    assert 'class="govuk-error-summary"' in text
    assert '<a href="#from">' in text and '<a href="#to">' in text
    assert 'value="2021-22-Q5"' in text and 'value="soon"' in text
    assert re.search(r'value="comparable"\s+checked', text)
    assert 'data-kpi=' not in text


def test_a_range_ending_before_it_starts_is_refused_on_the_to_field(app, signed_in):
    page = signed_in().get(f"{PARTNERSHIP}?from=2021-22-Q3&to=2021-22-Q1").text

    assert '<a href="#to">2021-22-Q1 comes before 2021-22-Q3.</a>' in page


def test_an_empty_from_is_refused_rather_than_guessed(app, signed_in):
    page = signed_in().get(f"{PARTNERSHIP}?from=&to=").text

    assert '<a href="#from">Give the first period' in page


def test_without_a_range_the_latest_year_with_returns_is_shown(app, signed_in):
    build_world()

    page = signed_in().get(PARTNERSHIP).text

    assert 'id="from" name="from"\n         type="text" value="2021-22"' in page
    assert kpi_value(page, "total_spend") == partnership_view(
        get_uow(), "rotherham", "2021-22")["periods"][0]["combined"]["kpis"]["total_spend"]


def test_a_year_whose_windows_have_not_opened_is_partial_and_its_quarters_are_not_due(
        app, signed_in):
    build_world()
    next_year = Period.of(date.today()).financial_year.next

    page = signed_in().get(f"{PARTNERSHIP}?from={next_year}").text

    assert "Partial</strong>" in page
    assert f"Nothing to compare yet: the windows of {next_year}-Q1 to {next_year}-Q4" in page
    assert "Not due</strong>" in page and "Missing</strong>" not in page


def test_a_partners_own_returns_link_to_their_history_and_no_one_elses_do(app, signed_in):
    ids = build_world()

    page = signed_in("rmbc").get(f"{PARTNERSHIP}?from={Q1}").text

    assert f'href="/returns/{ids["rmbc_q1"]}"' in page
    assert f'href="/returns/{ids["trft_q1"]}"' not in page
    assert f"Return {ids['trft_q1']}</" not in page and f"Return {ids['trft_q1']}:" in page
    # the superseded version is not behind any figure
    assert f"Return {ids['rmbc_q1_v1']}" not in page


def test_an_unknown_partnership_is_not_found(app, signed_in):
    assert signed_in().get("/dashboard/partnership/atlantis").status_code == 404


def test_demo_returns_are_labelled_as_demo_data(app, signed_in):
    ids = build_world()
    person = signed_in()
    assert "app-demo-notice" not in person.get(f"{PARTNERSHIP}?from={Q1}").text

    with get_uow() as uow:
        uow.session.execute(update(PartnerReturn).where(PartnerReturn.id == ids["trft_q1"])
                            .values(is_demo=True))
        uow.commit()
    page = person.get(f"{PARTNERSHIP}?from={Q1}").text

    assert "app-demo-notice" in page
    assert re.search(rf"Return {ids['trft_q1']}:[^<]*<strong[^>]*>Demo</strong>", page)


def test_the_mca_dashboard_shows_each_places_figures_from_the_mca_view(app, signed_in):
    build_world()
    page = signed_in("syp").get(f"{MCA}?from={Q1}").text  # a partner of every place

    view = mca_view(get_uow(), "south-yorkshire", Q1)
    rotherham = next(p for p in view["periods"][0]["places"] if p["slug"] == "rotherham")
    cells = row_cells(page, "data-place", "rotherham")
    assert cells[1] == "£" + f"{float(rotherham['kpis']['total_spend']):,.0f}"
    assert chart_spec(page, "chart-flows")["data"]["values"]
    assert 'id="chart-flows-table"' in page


def test_the_mca_dashboard_lists_releases_with_their_data_as_csv(app, signed_in):
    build_world()
    publish_release(get_uow(), "south-yorkshire", Q1)
    person = signed_in("symca")
    page = person.get(f"{MCA}?from={Q1}").text

    link = re.search(r'href="(/dashboard/mca/south-yorkshire/releases/\d+/spend\.csv)"', page)
    assert link, "no link to the release's spend data"
    response = person.get(link.group(1))

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "2021-22-Q1-v1-spend.csv" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows and "Rother Widgets" not in response.data.decode("utf-8-sig")


def test_an_unknown_dataset_of_a_release_is_not_found(app, signed_in):
    build_world()
    publish_release(get_uow(), "south-yorkshire", Q1)
    person = signed_in()

    assert person.get(f"{MCA}/releases/1/lines.csv").status_code == 404
    assert person.get(f"{MCA}/releases/999999/spend.csv").status_code == 404


def test_the_comparable_basis_is_passed_to_the_view(app, signed_in):
    build_world()
    page = signed_in().get(f"{PARTNERSHIP}?from={Q1}&basis=comparable").text

    view = partnership_view(get_uow(), "rotherham", Q1, basis="comparable")
    assert kpi_value(page, "total_spend") == view["periods"][0]["combined"]["kpis"]["total_spend"]
    assert f"£{view['threshold']} and over" in page
    assert RMBC_Q1  # the world above, whose small lines the comparable basis drops


def test_the_earliest_year_there_is_has_nothing_before_it_to_compare_with(app, signed_in):
    response = signed_in().get(f"{PARTNERSHIP}?from=1900-01")

    assert response.status_code == 200
    assert row_cells(response.text, "data-kpi", "total_spend")[2:] == [
        "no returns", "no figure to compare with"]
