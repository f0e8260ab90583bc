"""A report renders as HTML and PDF, and a generated report is stored with its lineage so that
it can be reproduced."""

import io
import json
from datetime import UTC, datetime

from pypdf import PdfReader
from sqlalchemy import select

from exchange.context import get_blobs, get_uow
from exchange.models import AuditEvent, GeneratedReport
from exchange.services.reports import documents
from exchange.services.reports.generation import build_report, generate_report, latest_report
from tests.integration.views_support import spend_csv, submit
from tests.reports.conftest import Q1, Q2, YEAR, A

NOW = datetime(2022, 5, 20, 9, 0, tzinfo=UTC)


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_the_pdf_has_several_pages_with_the_place_and_the_headline_figures(world, tmp_path):
    report = build_report(get_uow(), "rotherham", "mid-year", YEAR, NOW)

    pdf = documents.render_pdf(documents.render_document(report))

    assert pdf.startswith(b"%PDF")
    pages, text = pdf_text(pdf)
    assert pages >= 2
    assert "Rotherham Together Partnership" in text
    assert "Mid-year position report 2021-22" in text
    assert "£107,000" in text          # total spend
    # local share of located spend, net per supplier: 71900 / (132000 counted - 1000 unknown)
    assert "54.9%" in text
    assert "Achievements against the aims" in text and "Co-design" in text
    (tmp_path / "report.pdf").write_bytes(pdf)


def test_the_html_body_has_charts_as_svg_each_with_its_table_and_no_inline_style_or_script(
        world):
    report = build_report(get_uow(), "rotherham", "mid-year", YEAR, NOW)

    body = str(documents.render_body(report))

    assert body.count("<svg") == 4 and body.count('class="report-chart"') == 4
    assert body.count("Figures of the chart") == 4
    assert "style=" not in body and "<style" not in body and "<script" not in body
    assert "No data: no partner reported a commitment or measure" in body
    assert "Demo data" not in body


def test_generate_report_stores_html_pdf_and_figures_with_periods_releases_and_returns(world):
    report = generate_report(get_uow(), "rotherham", "annual", YEAR, NOW)

    with get_uow() as uow:
        stored = uow.session.get(GeneratedReport, report.id)
        audit = uow.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "report.generated")).one()
    assert (stored.kind, stored.year, stored.first_period, stored.last_period) == (
        "annual", YEAR, Q1, f"{YEAR}-Q4")
    assert stored.generated_at == NOW and stored.generated_by == "scheduler"
    assert audit.subject == f"report:{stored.id}"
    counted = {(r["id"], r["version"]) for r in stored.returns}
    assert (world["rmbc_q1"], 2) in counted and (world["rmbc_q2"], 1) in counted
    assert world["rmbc_q1_v1"] not in stored.return_ids
    assert [r["id"] for r in stored.previous_returns] == [world["before_q1"]]
    assert stored.releases == []
    blobs = get_blobs()
    pdf = blobs.open(stored.pdf_sha256).read()
    assert len(pdf) == stored.pdf_size and pdf_text(pdf)[0] >= 2
    html = blobs.open(stored.html_sha256).read().decode()
    assert "Rotherham Together Partnership" in html and "£107,000" in html
    figures = json.loads(blobs.open(stored.data_sha256).read())
    assert figures["headline"] == build_report(get_uow(), "rotherham", "annual", YEAR,
                                               NOW)["headline"]


def test_a_stored_report_is_reproducible_and_goes_stale_when_a_return_changes(world):
    stored = generate_report(get_uow(), "rotherham", "mid-year", YEAR, NOW)
    again = build_report(get_uow(), "rotherham", "mid-year", YEAR, NOW)

    # the same data gives the same figures, the same fingerprint and the same HTML
    assert again["fingerprint"] == stored.fingerprint
    document = documents.render_document(again)
    assert document.encode() == get_blobs().open(stored.html_sha256).read()

    submit(spend_csv([("07/07/2021", "500.00", A)]), "rmbc", period=Q2)  # rmbc Q2 v2
    changed = build_report(get_uow(), "rotherham", "mid-year", YEAR, NOW)

    assert changed["fingerprint"] != stored.fingerprint
    assert latest_report(get_uow(), "rotherham", "mid-year", YEAR).id == stored.id
    assert latest_report(get_uow(), "rotherham", "annual", YEAR) is None


def test_a_report_records_the_sub_regions_releases_of_its_quarters(world):
    from exchange.feeds.releases import publish_release

    publish_release(get_uow(), "south-yorkshire", Q1)

    stored = generate_report(get_uow(), "rotherham", "mid-year", YEAR, NOW)

    assert [(r["period"], r["version"]) for r in stored.releases] == [(Q1, 1)]


def test_a_partnership_without_returns_gets_a_report_that_says_plainly_there_is_no_data(app):
    report = build_report(get_uow(), "barnsley", "annual", YEAR, NOW)

    body = str(documents.render_body(report))

    assert report["headline"]["current"]["total_spend"] == "0.00"
    assert all(not aim["has_data"] for aim in report["aims"])
    # Barnsley has signed no charter here: each of the four aims says there is no data
    assert body.count("No data: no partner reported a commitment or measure") == 4
    assert body.count("The charter has no commitment tied to this aim.") == 4
    assert "No data: no partner has a return for these periods." in body
    assert "Barnsley 2030 Board" in body
