"""`hub companies load`: Companies House's Basic Company Data, as published, replaces the
register whole."""

import zipfile
from datetime import date

import pytest
from sqlalchemy import select

from exchange.cli import cli
from exchange.errors import BadRequest
from exchange.models import AuditEvent, Company
from exchange.services.directory.companies import input_size, load_register
from tests.companies_file import company, write_csv, write_zip

NOVEMBER = "BasicCompanyDataAsOneFile-2026-11-01"


def hub(app, *args):
    return app.test_cli_runner().invoke(cli, list(args))


def companies(uow) -> dict[str, Company]:
    with uow:
        return {c.number: c for c in uow.session.scalars(select(Company))}


REGISTER = [
    company("08209948", "THE A.B. SMITH & CO LTD", "s602ud",
            accounts="TOTAL EXEMPTION FULL", sic="43210 - Electrical installation"),
    company("SC123456", "SMITH, JONES AND PARTNERS LIMITED", "DN1 1AA", status="Liquidation",
            category="PRI/LBG/NSC (Private, Limited by guarantee, no share capital, use of "
                     "'Limited' exemption)", accounts="DORMANT", sic="None Supplied"),
    company("OC301234", "ROTHERHAM \"QUOTED\" LLP", "not a postcode",
            category="Limited Liability Partnership", accounts="NO ACCOUNTS FILED", sic=""),
]


def test_the_published_zip_loads_each_company_with_its_number_name_postcode_and_accounts(
        app, uow, tmp_path):
    path = write_zip(tmp_path / f"{NOVEMBER}.zip", {f"{NOVEMBER}.csv": REGISTER})

    loaded = load_register([path], uow)

    assert (loaded.companies, loaded.skipped, loaded.register_date) == (3, 0, date(2026, 11, 1))
    found = companies(uow)
    smith = found["08209948"]
    assert (smith.name, smith.name_key, smith.postcode) == (
        "THE A.B. SMITH & CO LTD", "AB SMITH", "S60 2UD")
    assert (smith.status, smith.category, smith.accounts_category, smith.sic_text) == (
        "Active", "Private Limited Company", "TOTAL EXEMPTION FULL",
        "43210 - Electrical installation")
    assert smith.register_date == date(2026, 11, 1)
    jones = found["SC123456"]
    assert (jones.name, jones.name_key, jones.postcode, jones.status, jones.accounts_category) == (
        "SMITH, JONES AND PARTNERS LIMITED", "SMITH JONES AND PARTNERS", "DN1 1AA",
        "Liquidation", "DORMANT")
    assert jones.category.startswith("PRI/LBG/NSC (Private, Limited by guarantee")
    llp = found["OC301234"]
    assert (llp.name, llp.name_key, llp.postcode, llp.sic_text) == (
        'ROTHERHAM "QUOTED" LLP', "ROTHERHAM QUOTED", None, None)


def test_a_plain_csv_loads_through_the_cli_with_the_date_given_and_short_numbers_padded(
        app, uow, tmp_path):
    path = write_csv(tmp_path / "companies.csv",
                     [company("1234567", "PADDED LIMITED", "S1 2HH")])

    without_date = hub(app, "companies", "load", str(path))
    assert without_date.exit_code != 0
    assert "--date YYYY-MM-DD" in without_date.output
    assert companies(uow) == {}

    result = hub(app, "companies", "load", str(path), "--date", "2026-10-01")

    assert result.exit_code == 0, result.output
    assert "Loaded 1 companies from the register of 01 October 2026." in result.output
    padded = companies(uow)["01234567"]
    assert (padded.name_key, padded.postcode, padded.register_date) == (
        "PADDED", "S1 2HH", date(2026, 10, 1))
    with uow:
        event = uow.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "companies.load")).one()
        assert event.detail["companies"] == 1
        assert "Open Government Licence" in event.detail["source"]


def test_the_multi_part_zips_load_together_as_one_register(app, uow, tmp_path):
    part1 = write_zip(tmp_path / "BasicCompanyData-2026-11-01-part1_2.zip",
                      {"BasicCompanyData-2026-11-01-part1_2.csv": REGISTER[:2]})
    part2 = write_zip(tmp_path / "BasicCompanyData-2026-11-01-part2_2.zip",
                      {"BasicCompanyData-2026-11-01-part2_2.csv": REGISTER[2:]})

    result = hub(app, "companies", "load", str(part1), str(part2))

    assert result.exit_code == 0, result.output
    assert sorted(companies(uow)) == ["08209948", "OC301234", "SC123456"]


def test_a_newer_register_replaces_the_older_and_an_older_one_needs_force(app, uow, tmp_path):
    load_register([write_zip(tmp_path / f"{NOVEMBER}.zip", {f"{NOVEMBER}.csv": REGISTER})], uow)
    december = "BasicCompanyDataAsOneFile-2026-12-01"
    newer = write_zip(tmp_path / f"{december}.zip", {f"{december}.csv": [
        company("08209948", "A B SMITH ELECTRICAL LIMITED", "S60 1AA")]})

    load_register([newer], uow)

    found = companies(uow)
    assert list(found) == ["08209948"]
    assert (found["08209948"].name_key, found["08209948"].postcode) == (
        "AB SMITH ELECTRICAL", "S60 1AA")
    older = write_zip(tmp_path / f"{NOVEMBER}-again.zip", {f"{NOVEMBER}.csv": REGISTER})
    result = hub(app, "companies", "load", str(older))
    assert result.exit_code != 0
    assert "newer than this one" in result.output
    assert list(companies(uow)) == ["08209948"]

    assert hub(app, "companies", "load", str(older), "--force").exit_code == 0
    assert len(companies(uow)) == 3


def test_a_file_that_is_not_the_register_is_refused_naming_the_missing_columns(
        app, uow, tmp_path):
    load_register([write_csv(tmp_path / f"{NOVEMBER}.csv", REGISTER)], uow)
    spend = tmp_path / "spend-2026-11-01.csv"
    spend.write_text("Supplier,Amount,CompanyNumber\r\nACME,10.00,08209948\r\n")

    with pytest.raises(BadRequest) as refused:
        load_register([spend], uow)

    assert "no column CompanyName, RegAddress.PostCode" in refused.value.message
    assert len(companies(uow)) == 3  # the register loaded before is untouched


def test_rows_without_a_valid_company_number_are_skipped_and_counted(app, uow, tmp_path):
    path = write_csv(tmp_path / f"{NOVEMBER}.csv", [
        REGISTER[0], company("", "NO NUMBER LTD"), company("XX12", "BAD NUMBER LTD")])

    loaded = load_register([path], uow)

    assert (loaded.companies, loaded.skipped) == (1, 2)
    assert loaded.first_skipped == f"{NOVEMBER}.csv row 3"
    assert list(companies(uow)) == ["08209948"]


def test_a_company_listed_twice_refuses_the_whole_load_and_keeps_the_register(
        app, uow, tmp_path):
    load_register([write_csv(tmp_path / f"{NOVEMBER}.csv", REGISTER)], uow)
    december = tmp_path / "BasicCompanyDataAsOneFile-2026-12-01.csv"
    write_csv(december, [REGISTER[0], company("8209948", "SAME NUMBER LTD")])

    with pytest.raises(BadRequest) as refused:
        load_register([december], uow)

    assert "twice; nothing was loaded" in refused.value.message
    assert len(companies(uow)) == 3


def test_the_progress_reported_adds_up_to_the_csv_bytes_of_every_part(app, uow, tmp_path):
    zipped = write_zip(tmp_path / "BasicCompanyData-2026-11-01-part1_2.zip",
                       {"BasicCompanyData-2026-11-01-part1_2.csv": REGISTER[:2]})
    plain = write_csv(tmp_path / "BasicCompanyData-2026-11-01-part2_2.csv", REGISTER[2:])
    progressed: list[int] = []

    load_register([zipped, plain], uow, progress=progressed.append)

    assert sum(progressed) == input_size([zipped, plain]) == (
        zipfile.ZipFile(zipped).infolist()[0].file_size + plain.stat().st_size)
