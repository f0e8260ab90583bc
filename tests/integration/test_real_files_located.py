"""Calderdale's and Wakefield's real spend files carry company numbers and no postcodes: once a
companies register holding those numbers is loaded, their spend is located from the companies'
registered offices. The register is built here, in the published format, from the numbers in
each file; the located sums are worked out from the files with csv, apart from the hub."""

import csv
import io
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from exchange.context import get_uow
from exchange.models import SpendLine
from exchange.normalise import company_number, is_redacted
from exchange.services.aggregates.spend_totals import rebuild_all
from exchange.services.directory.companies import load_register
from tests.api.returns_support import REAL_SPEND, post_return
from tests.companies_file import company, write_csv

# Registered offices: three in South Yorkshire (found), two elsewhere (outside the hub's areas).
SOUTH_YORKSHIRE = ("S60 2UD", "S1 2HH", "DN1 1AA")
OFFICES = ("S60 2UD", "SW1A 1AA", "S1 2HH", "LS1 4AP", "DN1 1AA")
FILES = [
    ("calderdale/calderdale_clean_2022-08.csv", "2022-23-Q2", "Net Amount",
     "Supplier(Beneficiary) Name", "Supplier Registered Company Number"),
    ("wakefield/wakefield_clean_2017-Q3.csv", "2017-18-Q3", "Net Amount", "Supplier Name",
     "Company Registration"),
]


@pytest.fixture
def token(partner_token):
    return partner_token("rmbc", "returns:read returns:write")


def numbered_payments(data: bytes, amount: str, name: str, number: str):
    """(company number, amount) of each payment to a named supplier with a valid number."""
    rows = csv.reader(io.StringIO(data.decode("utf-8-sig")))
    header = next(rows)
    at = {heading: header.index(heading) for heading in (amount, name, number)}
    for row in rows:
        if len(row) < len(header) or not row[at[name]].strip() or is_redacted(row[at[name]]):
            continue
        try:
            found = company_number(row[at[number]])
        except ValueError:
            continue
        if found:
            yield found, Decimal(row[at[amount]].replace(",", ""))


@pytest.mark.parametrize(("name", "period", "amount", "supplier", "number"), FILES,
                         ids=["calderdale", "wakefield"])
def test_a_real_file_gets_located_spend_once_a_register_holding_its_numbers_is_loaded(
        client, token, tmp_path, name, period, amount, supplier, number):
    if not REAL_SPEND.is_dir():
        pytest.skip(f"real spend data not checked out at {REAL_SPEND}")
    data = (REAL_SPEND / name).read_bytes()
    payments = list(numbered_payments(data, amount, supplier, number))
    numbers = sorted({found for found, _ in payments})
    office = {found: OFFICES[i % len(OFFICES)] for i, found in enumerate(numbers)}
    assert len(numbers) > 20
    register = [company(found, f"COMPANY {found} LIMITED", office[found]) for found in numbers]
    before = post_return(client, token, data, filename=name.split("/")[1], period=period)
    assert before.status_code == 201, before.get_json()["issues"][:5]
    assert before.get_json()["located"]["share"] == 0.0  # no postcodes, no register
    load_register([write_csv(tmp_path / "BasicCompanyDataAsOneFile-2026-11-01.csv", register)],
                  get_uow())

    rebuild_all(get_uow())

    receipt = client.get(f"/api/v1/returns/{before.get_json()['id']}/receipt",
                         headers={"Authorization": f"Bearer {token}"}).get_json()
    located = receipt["located"]
    expected = sum(paid for found, paid in payments)
    assert Decimal(located["by_source"]["companies_register"]) == expected
    assert located["by_source"]["line"] == "0.00"
    assert 0 < located["share"] < 1
    with get_uow() as uow:
        in_south_yorkshire = uow.session.scalar(
            select(func.sum(SpendLine.amount)).where(
                SpendLine.return_id == receipt["id"],
                SpendLine.location_source == "companies_register",
                SpendLine.location_status == "found"))
    assert Decimal(in_south_yorkshire) == sum(
        paid for found, paid in payments if office[found] in SOUTH_YORKSHIRE)
    # the share counts credits by their size (Calderdale's file has some): line by line here
    with get_uow() as uow:
        lines = uow.session.execute(select(SpendLine.amount, SpendLine.location_source).where(
            SpendLine.return_id == receipt["id"])).all()
    size = sum(abs(amount) for amount, _ in lines)
    placed = sum(abs(amount) for amount, source in lines if source != "unknown")
    assert located["share"] == float(round(placed / size, 4))
