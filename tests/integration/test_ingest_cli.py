"""`hub ingest`: a partner's file from the command line, with the same report as the API."""

import json
import subprocess

from sqlalchemy import func, select

from exchange.cli import cli
from exchange.context import get_uow
from exchange.models import PartnerReturn, SpendLine
from tests.api.returns_support import FIXTURES, sha256, table_counts
from tests.servers.hubs import HUB, serve_env

GOOD = FIXTURES / "rmbc-spend-2021-22-Q3.csv"
BAD = FIXTURES / "rmbc-spend-2021-22-Q3-errors.csv"


def hub(app, *args):
    return app.test_cli_runner().invoke(cli, list(args))


def ingest(app, path, *options, period="2021-22-Q3"):
    return hub(app, "ingest", "--partner", "rmbc", "--kind", "spend", "--period", period,
               *options, str(path))


def stored(model) -> int:
    with get_uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(model))


def test_ingest_accepts_a_good_file_and_prints_the_report(app):
    result = ingest(app, GOOD)

    assert result.exit_code == 0, result.output
    assert "Accepted as return" in result.stdout and "version 1" in result.stdout
    assert "7 rows, 0 errors, 2 warnings." in result.stdout  # one is the redacted payment
    assert "Total amount: £1,464.75" in result.stdout
    assert "row 8, column A (Payment Date)" in result.stdout
    assert (stored(PartnerReturn), stored(SpendLine)) == (1, 7)


def test_the_hub_command_itself_prints_the_report_and_exits_with_its_verdict(app, tmp_path):
    def run(path):
        return subprocess.run(
            [HUB, "ingest", "--partner", "rmbc", "--kind", "spend", "--period", "2021-22-Q3",
             str(path)], env=serve_env(DATABASE_URL=app.config["DATABASE_URL"],
                                       BLOB_DIR=str(tmp_path), LOG_LEVEL="WARNING"),
            capture_output=True, text=True, timeout=120)

    rejected, accepted = run(BAD), run(GOOD)

    assert rejected.returncode == 1, rejected.stderr[-2000:]
    assert "Rejected" in rejected.stdout
    assert accepted.returncode == 0, accepted.stderr[-2000:]
    assert "Accepted as return" in accepted.stdout and "7 rows, 0 errors" in accepted.stdout
    assert stored(PartnerReturn) == 2


def test_ingest_shows_a_progress_bar_on_stderr(app):
    result = ingest(app, GOOD)

    assert f"Reading {GOOD.name}" in result.stderr
    assert "Reading" not in result.stdout


def test_ingest_json_prints_the_receipt_the_api_gives(app):
    result = ingest(app, GOOD, "--json")

    assert result.exit_code == 0
    receipt = json.loads(result.stdout)
    assert (receipt["status"], receipt["partner"], receipt["version"]) == ("accepted", "rmbc", 1)
    assert receipt["counts"] == {"rows": 7, "errors": 0, "warnings": 2, "redacted": 1}
    assert receipt["totals"] == {"amount": "1464.75"}
    assert receipt["sha256"] == sha256(GOOD.read_bytes())


def test_ingest_dry_run_reports_and_stores_nothing(app):
    before = table_counts()

    result = ingest(app, GOOD, "--dry-run")

    assert result.exit_code == 0
    assert "Checked (dry run): 7 rows" in result.stdout
    assert table_counts() == before


def test_ingest_of_a_file_with_errors_exits_1_and_lists_each_row_and_column(app):
    result = ingest(app, BAD)

    assert result.exit_code == 1
    # Every row read is counted; row 5's blank supplier name is a redacted payment (a warning).
    assert "Rejected: 4 rows, 2 errors, 1 warnings." in result.stdout
    for where in ("row 3, column A (Payment Date)", "row 4, column B (Amount)",
                  "row 5, column C (Supplier Name)"):
        assert where in result.stdout
    assert stored(SpendLine) == 0
    with get_uow() as uow:
        assert uow.session.scalar(select(PartnerReturn.status)) == "rejected"


def test_ingest_of_the_same_file_again_says_it_was_already_accepted(app):
    ingest(app, GOOD)

    result = ingest(app, GOOD)

    assert result.exit_code == 0
    assert "the same file was already accepted" in result.stdout
    assert stored(PartnerReturn) == 1


def test_ingest_with_a_bad_period_exits_2_and_says_why(app):
    before = table_counts()

    result = ingest(app, GOOD, period="2021-23-Q1")

    assert result.exit_code == 2
    assert "Refused:" in result.stderr and "period" in result.stderr
    assert table_counts() == before


def test_ingest_for_an_unknown_partner_exits_2(app):
    result = hub(app, "ingest", "--partner", "nobody", "--kind", "spend", "--period",
                 "2021-22-Q3", str(GOOD))

    assert result.exit_code == 2
    assert "no partner 'nobody'" in result.stderr


def test_ingest_with_a_profile_reads_the_file_with_that_layout(app):
    result = ingest(app, GOOD, "--profile", "transparency", "--json")

    assert result.exit_code == 0
    assert json.loads(result.stdout)["counts"]["rows"] == 7
    with get_uow() as uow:
        assert uow.session.scalar(select(PartnerReturn.profile)) == "transparency"


def test_ingest_with_an_unknown_profile_exits_2_naming_the_profiles(app):
    before = table_counts()

    result = ingest(app, GOOD, "--profile", "acme")

    assert result.exit_code == 2
    assert "profile: 'acme' is not a profile for spend returns" in result.stderr
    assert "transparency" in result.stderr
    assert table_counts() == before


def test_ingest_reads_coded_headings_with_a_column_mapping_and_refuses_a_bad_one(app, tmp_path):
    coded = tmp_path / "coded.csv"
    coded.write_text("AUGDT,DMBTR,NAME1\n04/10/2021,12.50,Acme Ltd\n")
    mapping = '{"payment_date": "AUGDT", "amount": "DMBTR", "supplier_name": "NAME1"}'

    refused = ingest(app, coded, "--dry-run")
    mapped = ingest(app, coded, "--columns", mapping)
    not_json = ingest(app, coded, "--columns", "{AUGDT")
    unknown = ingest(app, coded, "--columns", '{"date": "AUGDT"}')

    assert refused.exit_code == 1 and "no column for the payment date" in refused.stdout
    assert mapped.exit_code == 0, mapped.output
    assert "Total amount: £12.50" in mapped.stdout
    assert not_json.exit_code == 2 and "not valid JSON" in not_json.output
    assert unknown.exit_code == 2 and "'date' is not a field of spend returns" in unknown.stderr
