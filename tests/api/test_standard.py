"""The published standard: kinds, JSON Schemas and templates, with no token; and a template
filled in by a partner uploads as a return."""

import csv
import io

import openpyxl
import pytest

from schemas import KINDS
from tests.api.returns_support import post_return

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def token(partner_token):
    return partner_token("rmbc", "returns:read returns:write")


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_standard_lists_every_kind_with_links_that_work_without_a_token(client):
    response = client.get("/api/v1/standard")

    assert response.status_code == 200
    kinds = response.get_json()["kinds"]
    assert [k["kind"] for k in kinds] == list(KINDS) == [
        "spend", "suppliers", "commitments", "measures", "contributions"]
    for kind in kinds:
        assert kind["title"]
        for link in ("schema", "csv_template", "xlsx_template"):
            assert client.get(kind[link]).status_code == 200, kind[link]


@pytest.mark.parametrize("kind", list(KINDS))
def test_json_schema_of_each_kind_describes_its_rows(client, kind):
    response = client.get(f"/api/v1/standard/{kind}.schema.json")

    assert response.status_code == 200
    schema = response.get_json()
    assert schema["type"] == "object"
    assert schema["properties"]
    assert set(schema.get("required", [])) <= set(schema["properties"])


def test_spend_schema_requires_date_amount_and_supplier_name(client):
    schema = client.get("/api/v1/standard/spend.schema.json").get_json()

    assert {"payment_date", "amount", "supplier_name"} <= set(schema["required"])


@pytest.mark.parametrize("kind", list(KINDS))
def test_csv_and_xlsx_templates_have_the_same_headings_and_one_example_row(client, kind):
    as_csv = client.get(f"/api/v1/standard/{kind}.csv")
    as_xlsx = client.get(f"/api/v1/standard/{kind}.xlsx")

    assert (as_csv.status_code, as_csv.mimetype) == (200, "text/csv")
    assert (as_xlsx.status_code, as_xlsx.mimetype) == (200, XLSX)
    assert f"anchor-exchange-{kind}.csv" in as_csv.headers["Content-Disposition"]
    rows = csv_rows(as_csv.data)
    assert len(rows) == 2 and len(rows[0]) == len(rows[1])
    sheet = openpyxl.load_workbook(io.BytesIO(as_xlsx.data), read_only=True).worksheets[0]
    headings = [cell for cell in next(sheet.iter_rows(values_only=True)) if cell is not None]
    assert headings == rows[0]


@pytest.mark.parametrize("path", ["/api/v1/standard/widgets.schema.json",
                                  "/api/v1/standard/widgets.csv",
                                  "/api/v1/standard/widgets.xlsx"])
def test_unknown_kind_is_404_naming_the_kinds_there_are(client, path):
    response = client.get(path)

    assert response.status_code == 404
    body = response.get_json()
    assert body["error"] == "not_found"
    assert "widgets" in body["message"] and "spend" in body["message"]


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_csv_template_as_downloaded_uploads_as_a_valid_return(client, token, kind):
    template = client.get(f"/api/v1/standard/{kind}.csv").data

    response = post_return(client, token, template, kind=kind, filename=f"{kind}.csv")

    receipt = response.get_json()
    assert response.status_code == 201, receipt["issues"]
    assert receipt["counts"] == {"rows": 1, "errors": 0, "warnings": 0, "redacted": 0}


def test_spend_csv_template_filled_in_uploads_with_the_rows_typed_into_it(client, token):
    headings = csv_rows(client.get("/api/v1/standard/spend.csv").data)[0]
    ours = [
        {"Payment date": "01/10/2021", "Amount (GBP)": "1,200.00",
         "Supplier name": "Rother Valley Bakers Ltd", "Supplier ID": "B1",
         "Company number": "1234567", "Supplier postcode": "s602ud"},
        {"Payment date": "2021-11-30", "Amount (GBP)": "-200.00",
         "Supplier name": "Rother Valley Bakers Ltd", "Supplier ID": "B1"},
        {"Payment date": "15/12/2021", "Amount (GBP)": "99.99",
         "Supplier name": "REDACTED PERSONAL DATA", "Capital or revenue": "capital"},
    ]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=headings, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(ours)

    response = post_return(client, token, out.getvalue(), filename="filled-in.csv")

    receipt = response.get_json()
    assert response.status_code == 201, receipt["issues"]
    assert receipt["counts"] == {"rows": 3, "errors": 0, "warnings": 1, "redacted": 1}
    assert receipt["totals"] == {"amount": "1099.99"}
    lines = client.get(f"/api/v1/returns/{receipt['id']}/lines",
                       headers={"Authorization": f"Bearer {token}"}).get_json()["items"]
    assert [(x["payment_date"], x["amount"], x["company_number"], x["supplier_postcode"])
            for x in lines] == [("2021-10-01", "1200.00", "01234567", "S60 2UD"),
                                ("2021-11-30", "-200.00", None, None),
                                ("2021-12-15", "99.99", None, None)]
    assert [x["redacted"] for x in lines] == [False, False, True]


def test_spend_xlsx_template_filled_in_uploads_with_the_rows_typed_into_it(client, token):
    book = openpyxl.load_workbook(io.BytesIO(client.get("/api/v1/standard/spend.xlsx").data))
    sheet = book.worksheets[0]
    headings = [cell.value for cell in sheet[1]]
    sheet.delete_rows(2, sheet.max_row)
    for date, amount, name in (("2021-10-05", 10.5, "Acme Ltd"), ("2021-10-06", 20, "Beta Ltd")):
        row = dict.fromkeys(headings)
        row.update({"Payment date": date, "Amount (GBP)": amount, "Supplier name": name})
        sheet.append([row[h] for h in headings])
    out = io.BytesIO()
    book.save(out)

    response = post_return(client, token, out.getvalue(), filename="filled-in.xlsx")

    receipt = response.get_json()
    assert response.status_code == 201, receipt["issues"]
    assert (receipt["counts"]["rows"], receipt["totals"]) == (2, {"amount": "30.50"})
