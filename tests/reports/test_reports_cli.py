"""`hub reports generate`: produce and store a report now, as the scheduler does."""

from pypdf import PdfReader

from exchange.cli import cli
from exchange.context import get_uow
from exchange.services.reports.generation import latest_report
from tests.reports.conftest import YEAR


def hub(app, *args):
    return app.test_cli_runner().invoke(cli, list(args))


def test_reports_generate_stores_the_report_and_can_write_its_pdf(world, app, tmp_path):
    target = tmp_path / "rotherham.pdf"

    result = hub(app, "reports", "generate", "--place", "rotherham", "--kind", "mid-year",
                 "--year", YEAR, "--pdf", str(target))

    assert result.exit_code == 0, result.output
    stored = latest_report(get_uow(), "rotherham", "mid-year", YEAR)
    assert f"Stored report {stored.id}: Rotherham Together Partnership" in result.output
    assert stored.generated_by == "cli"
    assert len(PdfReader(target).pages) >= 2


def test_reports_generate_refuses_a_bad_year_or_place_saying_why(app):
    bad_year = hub(app, "reports", "generate", "--place", "rotherham", "--kind", "annual",
                   "--year", "2025")
    unknown = hub(app, "reports", "generate", "--place", "atlantis", "--kind", "annual",
                  "--year", YEAR)

    assert bad_year.exit_code == 2 and "is not a financial year" in bad_year.output
    assert unknown.exit_code == 2 and "no place partnership 'atlantis'" in unknown.output
