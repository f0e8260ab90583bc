"""Returns whose headings are the standard's own field names are accepted from every partner in
config/partners.toml, for spend and suppliers, as CSV, XLSX, a JSON file and a JSON body.

A partner configured with a layout of its own (the NHS trusts use the HM Treasury layout) once had
its suppliers returns refused: the forced layout knew no suppliers headings at all."""

import csv
import io
import json
import tomllib
from pathlib import Path

import openpyxl
import pytest

from config.default import CONFIG_DIR
from tests.api.returns_support import bearer, post_return

PARTNERS = [entry["slug"] for entry in
            tomllib.loads((Path(CONFIG_DIR) / "partners.toml").read_text())["partner"]]

ROWS = {
    "spend": [
        {"payment_date": "2021-10-04", "amount": "1250.00",
         "supplier_name": "Rotherham Widgets Ltd",
         "supplier_id": "S1", "company_number": "01234567", "charity_number": "",
         "vat_number": "GB123456789", "supplier_postcode": "S60 2UD", "expense_type": "Steel",
         "service_area": "Estates", "transaction_reference": "TR-1", "irrecoverable_vat": "0.00",
         "capital_revenue": "capital", "procurement_card": "no"},
        {"payment_date": "2021-11-15", "amount": "-310.50", "supplier_name": "Barnsley Build",
         "supplier_id": "S2", "company_number": "", "charity_number": "1098765",
         "vat_number": "", "supplier_postcode": "S70 2TA", "expense_type": "Training",
         "service_area": "Housing", "transaction_reference": "TR-2", "irrecoverable_vat": "",
         "capital_revenue": "revenue", "procurement_card": "yes"},
    ],
    "suppliers": [
        {"supplier_id": "S1", "supplier_name": "Rotherham Widgets Ltd",
         "company_number": "01234567", "charity_number": "", "vat_number": "GB123456789",
         "site_postcode": "S60 2UD", "registered_postcode": "S60 2UD", "sme": "yes",
         "vcse": "no"},
        {"supplier_id": "S2", "supplier_name": "Barnsley Build", "company_number": "",
         "charity_number": "1098765", "vat_number": "", "site_postcode": "S70 2TA",
         "registered_postcode": "", "sme": "unknown", "vcse": "yes"},
    ],
}


def _csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(rows[0]))
    for row in rows:
        sheet.append(list(row.values()))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("kind", ["spend", "suppliers"])
@pytest.mark.parametrize("slug", PARTNERS)
def test_a_return_with_the_standards_field_names_is_accepted_from_every_partner_in_every_format(
        client, partner_token, slug, kind):
    token = partner_token(slug, "returns:write")
    rows = ROWS[kind]
    sent = {
        "csv": post_return(client, token, _csv(rows), filename="r.csv", kind=kind,
                           dry_run="true"),
        "xlsx": post_return(client, token, _xlsx(rows), filename="r.xlsx", kind=kind,
                            dry_run="true"),
        "json file": post_return(client, token, json.dumps(rows), filename="r.json",
                                 kind=kind, dry_run="true"),
        "json body": client.post("/api/v1/returns", headers=bearer(token), json={
            "kind": kind, "period": "2021-22-Q3", "rows": rows, "dry_run": True}),
    }
    for how, response in sent.items():
        receipt = response.get_json()
        assert response.status_code == 200, (how, receipt)
        assert (receipt["status"], receipt["counts"]["rows"], receipt["counts"]["errors"]) == (
            "accepted", 2, 0), how
        if kind == "spend":
            assert receipt["totals"] == {"amount": "939.50"}, how
