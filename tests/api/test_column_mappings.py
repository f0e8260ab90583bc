"""A column mapping sent with an upload (`columns`: standard field -> the file's heading) reads
files whose headings are not recognised, is remembered for the partner, kind and set of headings,
and is used for the next such file; partners list and delete their own mappings."""

import io
import json

import openpyxl
import pytest

from tests.api.returns_support import bearer, post_return

# Coded headings that neither partners/headings.toml nor its abbreviations can read: SAP's field
# names, codes run together, a report writer's column numbers.
CODED = [
    ("AUGDT,DMBTR,NAME1,KOSTL",
     {"payment_date": "AUGDT", "amount": "DMBTR", "supplier_name": "NAME1"}),
    ("PAYDT,TRXAMT,SUPPNM,SUPPID,COSTCTR",
     {"payment_date": "PAYDT", "amount": "TRXAMT", "supplier_name": "SUPPNM",
      "supplier_id": "SUPPID"}),
    ("COL_1,COL_2,COL_3,COL_4",
     {"payment_date": "COL_2", "amount": "COL_4", "supplier_name": "COL_1",
      "transaction_reference": "COL_3"}),
]
ROWS = [("04/10/2021", "1250.00", "Rotherham Widgets Ltd"), ("15/11/2021", "-10.50", "Acme")]


def _coded_csv(header: str, mapping: dict, upper=False) -> str:
    """Two payments under the coded headings; the other columns hold codes."""
    headings = header.split(",")
    lines = [header.upper() if upper else header]
    for date, amount, name in ROWS:
        by_field = {"payment_date": date, "amount": amount, "supplier_name": name}
        cells = []
        for heading in headings:
            field = next((f for f, h in mapping.items() if h == heading), None)
            cells.append(by_field.get(field, f"X-{heading}"))
        lines.append(",".join(cells))
    return "\n".join(lines) + "\n"


def _columns_note(receipt) -> str:
    return next(note for note in receipt["notes"] if note.startswith("Columns read: "))


@pytest.fixture
def token(partner_token):
    return partner_token("rmbc", "returns:read returns:write")


@pytest.mark.parametrize(("header", "mapping"), CODED, ids=[c[0] for c in CODED])
def test_coded_headings_are_refused_then_read_with_a_mapping_then_read_again_once_remembered(
        client, token, header, mapping):
    data = _coded_csv(header, mapping)

    refused = post_return(client, token, data, dry_run="true")
    assert refused.status_code == 422
    assert "no column for the payment date" in refused.get_json()["issues"][0]["message"]

    mapped = post_return(client, token, data, columns=json.dumps(mapping))
    receipt = mapped.get_json()
    assert mapped.status_code == 201, receipt["issues"]
    assert (receipt["counts"]["rows"], receipt["totals"]) == (2, {"amount": "1239.50"})
    assert any("column mapping sent with this file was saved" in n for n in receipt["notes"])
    assert f"supplier name from '{mapping['supplier_name']}'" in _columns_note(receipt)

    # Next quarter's export: the same headings in another case, with other payments.
    again = post_return(client, token, _coded_csv(header, mapping, upper=True).replace(
        "1250.00", "99.00"), period="2021-22-Q3")
    receipt = again.get_json()
    assert again.status_code == 201, receipt["issues"]
    assert receipt["totals"] == {"amount": "88.50"}
    assert f"amount from '{mapping['amount'].upper()}'" in _columns_note(receipt)
    assert any("column mapping you saved on" in note for note in receipt["notes"])


def test_a_mapping_sent_in_a_json_body_reads_its_rows(client, token):
    rows = [{"AUGDT": "04/10/2021", "DMBTR": "5.00", "NAME1": "Acme"}]
    response = client.post("/api/v1/returns", headers=bearer(token), json={
        "kind": "spend", "period": "2021-22-Q3", "rows": rows,
        "columns": {"payment_date": "AUGDT", "amount": "DMBTR", "supplier_name": "NAME1"}})
    receipt = response.get_json()
    assert response.status_code == 201, receipt
    assert "payment date from 'AUGDT'" in _columns_note(receipt)


def test_a_mapping_for_an_xlsx_export_is_remembered_the_same_way(client, token):
    header, mapping = CODED[0]
    book = openpyxl.Workbook()
    for line in _coded_csv(header, mapping).splitlines():
        book.active.append(line.split(","))
    out = io.BytesIO()
    book.save(out)
    first = post_return(client, token, out.getvalue(), filename="r.xlsx",
                        columns=json.dumps(mapping))
    assert first.status_code == 201, first.get_json()["issues"]
    second = post_return(client, token, out.getvalue(), filename="r.xlsx", period="2021-22-Q4")
    assert any("you saved on" in note for note in second.get_json()["notes"])


def test_a_mapping_only_changes_the_fields_it_names_and_null_leaves_a_field_out(client, token):
    data = "Payment Date,Net Amount,Supplier Name,Supplier ID,AP_REF\n04/10/2021,5.00,Acme,S1,R9\n"
    mapping = {"transaction_reference": "AP_REF", "supplier_id": None}
    response = post_return(client, token, data, columns=json.dumps(mapping), dry_run="true")
    receipt = response.get_json()
    assert response.status_code == 200, receipt
    read = _columns_note(receipt)
    assert "transaction reference from 'AP_REF'" in read
    assert "payment date from 'Payment Date'" in read
    assert "supplier id" not in read


def test_a_dry_run_with_a_mapping_saves_nothing(client, token):
    header, mapping = CODED[0]
    post_return(client, token, _coded_csv(header, mapping), columns=json.dumps(mapping),
                dry_run="true")
    listed = client.get("/api/v1/column-mappings", headers=bearer(token))
    assert listed.status_code == 200 and listed.get_json() == []


@pytest.mark.parametrize(("columns", "says"), [
    ("{not json", "'columns' is not valid JSON"),
    ('["PAY_DT"]', "must be a JSON object"),
    ('{"supplier": "SUPP_NM"}', "'supplier' is not a field of spend returns"),
    ('{"amount": 12}', "The heading for 'amount' must be text"),
], ids=["not-json", "not-an-object", "unknown-field", "heading-not-text"])
def test_a_bad_columns_value_is_a_422_saying_what_is_wrong(client, token, columns, says):
    header, mapping = CODED[0]
    response = post_return(client, token, _coded_csv(header, mapping), columns=columns)
    body = response.get_json()
    assert response.status_code == 422
    assert says in body["message"]
    assert "columns" in body["errors"]


def test_a_mapping_naming_a_heading_not_in_the_file_is_a_422_naming_it(client, token):
    header, mapping = CODED[0]
    wrong = {**mapping, "supplier_name": "SUPPLIER_NAME_X"}
    response = post_return(client, token, _coded_csv(header, mapping), columns=json.dumps(wrong))
    receipt = response.get_json()
    assert response.status_code == 422
    [issue] = receipt["issues"]
    assert issue["code"] == "columns.not_in_file"
    assert "'SUPPLIER_NAME_X' (for the supplier name)" in issue["message"]
    assert "'NAME1'" in issue["message"]  # the headings the file does have


def test_saved_mappings_are_listed_and_deleted_by_their_own_partner_only(
        client, token, partner_token):
    header, mapping = CODED[0]
    data = _coded_csv(header, mapping)
    assert post_return(client, token, data, columns=json.dumps(mapping)).status_code == 201
    other = partner_token("scc", "returns:read returns:write")

    [saved] = client.get("/api/v1/column-mappings?kind=spend", headers=bearer(token)).get_json()
    assert saved["columns"] == mapping
    assert sorted(saved["headings"]) == sorted(header.split(","))
    assert client.get("/api/v1/column-mappings", headers=bearer(other)).get_json() == []
    # Another partner's file with the same headings is not read with it.
    assert post_return(client, other, data, dry_run="true").status_code == 422

    assert client.delete(f"/api/v1/column-mappings/{saved['id']}",
                         headers=bearer(other)).status_code == 404
    assert client.delete(f"/api/v1/column-mappings/{saved['id']}",
                         headers=bearer(token)).status_code == 204
    assert client.get("/api/v1/column-mappings", headers=bearer(token)).get_json() == []
    assert post_return(client, token, data, period="2021-22-Q4").status_code == 422


def test_listing_needs_returns_read_and_deleting_needs_returns_write(client, partner_token):
    reader = partner_token("rmbc", "returns:read")
    writer = partner_token("rmbc", "returns:write")
    assert client.get("/api/v1/column-mappings", headers=bearer(writer)).status_code == 403
    assert client.get("/api/v1/column-mappings", headers=bearer(reader)).status_code == 200
    assert client.delete("/api/v1/column-mappings/1", headers=bearer(reader)).status_code == 403
    assert client.get("/api/v1/column-mappings").status_code == 401
