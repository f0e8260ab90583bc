"""A corpus of malformed submissions: each gets the documented 4xx, naming the row, column and
code, and leaves the database as it was but for the record of the rejected submission."""

import io
import json
import zipfile
from dataclasses import dataclass

import openpyxl
import pytest

from tests.api.returns_support import SPEND_HEADER, changes, post_return, sha256, table_counts

RECEIPT_KEYS = {"id", "status", "partner", "kind", "period", "version", "supersedes", "sha256",
                "dry_run", "counts", "totals", "issues", "notes"}
ERROR_KEYS = {"code", "status", "error", "message", "errors"}
ISSUE_KEYS = {"severity", "row", "column", "column_letter", "value", "code", "message", "count",
              "rows"}


@pytest.fixture
def token(partner_token):
    return partner_token("rmbc", "returns:read returns:write")


def spend(*lines: str) -> bytes:
    return (SPEND_HEADER + "".join(line + "\n" for line in lines)).encode("utf-8")


def workbook(*rows, title="Sheet1") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bomb() -> bytes:
    """A valid-looking .xlsx whose one sheet is 200 MB of spaces squeezed into about 200 kB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            chunk = b" " * (1 << 20)
            for _ in range(200):
                sheet.write(chunk)
    return out.getvalue()


def wide_file() -> bytes:
    """Amount in column AA, after 26 columns of the partner's own."""
    extra = [f"Extra {i}" for i in range(23)]
    header = ["Payment Date", "Supplier Name", "Supplier ID", *extra, "Amount"]
    row = ["01/10/2021", "Acme Ltd", "A1", *[""] * 23, "12.5p"]
    return (",".join(header) + "\n" + ",".join(row) + "\n").encode()


@dataclass
class Rejected:
    """A file the hub reads and rejects (422, the receipt with every issue)."""

    id: str
    body: object  # bytes, or a function making them
    issues: list[tuple]  # (row, column, column_letter, code) of each error, in order
    filename: str = "return.csv"
    says: str = ""  # words the first error's message must contain
    errors: int | None = None  # count, when not every error is listed above

    def data(self) -> bytes:
        return self.body() if callable(self.body) else self.body


FILE = (None, None, None)  # an issue about the whole file
REJECTED = [
    Rejected("empty-file", b"", [(*FILE, "file.unreadable")], says="empty"),
    Rejected("only-blank-lines", b"\r\n\r\n  \r\n", [(*FILE, "file.unreadable")], says="empty"),
    Rejected("header-only", spend(), [(2, None, None, "file.no_rows")], says="no rows"),
    Rejected("html-page-saved-as-csv",
             b"<!DOCTYPE html><html><head><title>Spend</title></head><body><table>"
             b"<tr><td>Payment Date</td><td>Amount</td></tr></table></body></html>",
             [(1, None, None, "file.unreadable")], says="no column for the payment date"),
    Rejected("suppliers-file-sent-as-spend",
             b"Supplier ID,Supplier Name,Company Number,Site Postcode,SME,VCSE\n"
             b"N1,Nowhere Known Ltd,,S60 2UD,yes,no\n",
             [(1, None, None, "file.unreadable")], says="no column for the payment date"),
    Rejected("missing-amount-column", b"Payment Date,Supplier Name\n01/10/2021,Acme Ltd\n",
             [(1, None, None, "file.unreadable")], says="no column for the amount"),
    Rejected("date-that-does-not-exist", spend("31/02/2021,1.00,Acme Ltd,A1"),
             [(2, "Payment Date", "A", "payment_date.invalid")], says="does not exist"),
    Rejected("date-in-words", spend("01/10/2021,1.00,Acme Ltd,A1", "yesterday,2.00,Acme Ltd,A1"),
             [(3, "Payment Date", "A", "payment_date.invalid")]),
    Rejected("date-month-first", spend("10/13/2021,1.00,Acme Ltd,A1"),
             [(2, "Payment Date", "A", "payment_date.invalid")], says="day first"),
    Rejected("amount-in-words", spend("01/10/2021,lots,Acme Ltd,A1"),
             [(2, "Amount", "B", "amount.invalid")]),
    Rejected("amount-with-three-decimals", spend("01/10/2021,1.005,Acme Ltd,A1"),
             [(2, "Amount", "B", "amount.invalid")], says="more than two decimal places"),
    Rejected("amount-with-misplaced-thousands-separator", spend('01/10/2021,"1,00.00",Acme,A1'),
             [(2, "Amount", "B", "amount.invalid")], says="thousands separators"),
    Rejected("semicolon-csv-with-decimal-commas",
             b"Payment Date;Amount;Supplier Name\n01/10/2021;1,00;Acme Ltd\n",
             [(2, "Amount", "B", "amount.invalid")]),
    Rejected("amount-missing", spend("01/10/2021,,Acme Ltd,A1"),
             [(2, "Amount", "B", "amount.missing")]),
    Rejected("supplier-name-too-long", spend("01/10/2021,1.00," + "A" * 301 + ",A1"),
             [(2, "Supplier Name", "C", "supplier_name.too_long")], says="301 characters"),
    Rejected("errors-on-several-rows-are-all-reported",
             spend("31/13/2021,1.00,Acme Ltd,A1", "02/10/2021,1.00,Acme Ltd,A1",
                   "03/10/2021,£x,,A1"),
             [(2, "Payment Date", "A", "payment_date.invalid"),
              (4, "Amount", "B", "amount.invalid")]),
    Rejected("error-in-column-aa", wide_file, [(2, "Amount", "AA", "amount.invalid")]),
    Rejected("one-mistake-on-every-row-of-a-long-file",
             spend(*["01/10/2021,n/a-ish,Acme Ltd,A1"] * 1500),
             # one issue for the one cause; issues.csv lists every row
             [(None, "Amount", "B", "amount.invalid")], errors=1500, says="n/a-ish"),
    Rejected("truncated-xlsx", lambda: workbook(["Payment Date", "Amount", "Supplier Name"],
                                                ["01/10/2021", 1, "Acme Ltd"])[:400],
             [(*FILE, "file.unreadable")], filename="return.xlsx", says="damaged or incomplete"),
    Rejected("xlsx-named-file-that-is-text-garbage", b"\x00\x01\x02 not a zip",
             [(*FILE, "file.unreadable")], filename="return.xlsx", says="damaged"),
    Rejected("xlsx-zip-bomb", zip_bomb, [(*FILE, "file.unreadable")], filename="return.xlsx",
             says="would expand to"),
    Rejected("xlsx-with-a-text-amount",
             lambda: workbook(["Payment Date", "Amount", "Supplier Name"],
                              ["01/10/2021", 10, "Acme Ltd"], ["02/10/2021", "ten", "Acme Ltd"]),
             [(3, "Amount", "B", "amount.invalid")], filename="return.xlsx"),
    Rejected("json-not-a-list", b'{"payment_date": "01/10/2021"}', [(*FILE, "file.unreadable")],
             filename="return.json", says="list of rows"),
    Rejected("json-cut-short", b'[{"payment_date": "01/10/2021", "amount": "1',
             [(*FILE, "file.unreadable")], filename="return.json"),
    Rejected("json-rows-with-wrong-types",
             json.dumps([{"payment_date": "01/10/2021", "amount": "1.00", "supplier_name": "A"},
                         {"payment_date": 5, "amount": [1], "supplier_name": "Acme"}]).encode(),
             [(2, "payment_date", "A", "payment_date.invalid"),
              (2, "amount", "B", "amount.invalid")], filename="return.json"),
]


@pytest.mark.parametrize("case", REJECTED, ids=[case.id for case in REJECTED])
def test_malformed_file_is_rejected_with_every_issue_located_and_only_its_record_kept(
        client, token, case):
    data = case.data()
    before = table_counts()

    response = post_return(client, token, data, filename=case.filename)

    receipt = response.get_json()
    assert response.status_code == 422, receipt
    assert set(receipt) == RECEIPT_KEYS
    assert (receipt["status"], receipt["partner"], receipt["kind"], receipt["period"]) == (
        "rejected", "rmbc", "spend", "2021-22-Q3")
    assert receipt["sha256"] == sha256(data)
    assert receipt["version"] is None and receipt["totals"] == {}
    assert all(set(issue) == ISSUE_KEYS for issue in receipt["issues"])
    errors = [i for i in receipt["issues"] if i["severity"] == "error"]
    assert [(i["row"], i["column"], i["column_letter"], i["code"]) for i in errors] == case.issues
    assert receipt["counts"]["errors"] == (case.errors or len(case.issues))
    assert case.says in errors[0]["message"]
    # Only the record of the rejected submission: the return, its issues and the audit entry.
    assert changes(before, table_counts()) == {"partner_return": 1, "audit_event": 1,
                                                "return_issue": sum(i["count"] for i in
                                                                    receipt["issues"])}


def test_csv_cut_short_inside_a_quoted_cell_is_not_accepted_silently(client, token):
    # The upload stopped inside "Acme, Ltd…": the next payment line is swallowed into that cell.
    data = spend('01/10/2021,1.00,"Acme, Ltd,A1', "02/10/2021,5.00,Beta Ltd,B1")

    response = post_return(client, token, data)

    receipt = response.get_json()
    assert response.status_code == 422
    assert [(i["row"], i["code"]) for i in receipt["issues"]] == [(2, "file.unreadable")]
    assert "quotation mark" in receipt["issues"][0]["message"]


# --- Files the hub cannot read at all: 415, with the receipt of the kept bytes ---------------

UNSUPPORTED = [
    ("png-image", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "return.csv", "PNG image"),
    ("pdf-document", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "return.csv", "PDF"),
    ("excel-97-workbook", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "return.xls",
     "Excel 97-2003"),
    ("binary-with-nul-bytes", SPEND_HEADER.encode() + b"01/10/2021,1.00,Ac\x00\x00me\x00,A1\n",
     "return.csv", "binary data"),
    ("zip-of-csv-files", None, "return.zip", "zip archive of CSV files"),
]


def _zip_of_csv() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("spend.csv", spend("01/10/2021,1.00,Acme Ltd,A1"))
    return out.getvalue()


@pytest.mark.parametrize(("body", "filename", "says"), [c[1:] for c in UNSUPPORTED],
                         ids=[c[0] for c in UNSUPPORTED])
def test_file_that_is_not_csv_xlsx_or_json_is_415_and_its_bytes_are_kept(
        client, token, body, filename, says):
    data = body if body is not None else _zip_of_csv()
    before = table_counts()

    response = post_return(client, token, data, filename=filename)

    body = response.get_json()
    assert response.status_code == 415
    assert set(body) == ERROR_KEYS
    assert (body["code"], body["error"]) == (415, "unsupported_media_type")
    assert says in body["message"]
    receipt = body["errors"]["receipt"]
    assert (receipt["status"], receipt["sha256"]) == ("rejected", sha256(data))
    assert [(i["row"], i["column"], i["code"]) for i in receipt["issues"]] == [
        (None, None, "file.unsupported")]
    assert changes(before, table_counts()) == {
        "partner_return": 1, "return_issue": 1, "audit_event": 1}


# --- Bad envelopes: 400, 413, 415 and 422 before any byte is read; nothing stored ------------


def _multipart(**fields):
    return {"content_type": "multipart/form-data", "data": fields}


def _file():
    return (io.BytesIO(spend("01/10/2021,1.00,Acme Ltd,A1")), "return.csv")


ENVELOPES = [
    ("missing-kind", lambda: _multipart(period="2021-22-Q3", file=_file()), 400, "kind"),
    ("missing-period", lambda: _multipart(kind="spend", file=_file()), 400, "period"),
    ("missing-file", lambda: _multipart(kind="spend", period="2021-22-Q3"), 400, "file"),
    ("blank-kind", lambda: _multipart(kind=" ", period="2021-22-Q3", file=_file()), 400, "kind"),
    ("browser-form-with-no-file-chosen",
     lambda: _multipart(kind="spend", period="2021-22-Q3", file=(io.BytesIO(b""), "")),
     400, "file"),
    ("profile-that-does-not-exist",
     lambda: _multipart(kind="spend", period="2021-22-Q3", profile="acme", file=_file()),
     422, "profile"),
    ("profile-that-does-not-read-this-kind",
     lambda: _multipart(kind="measures", period="2021-22-Q3", profile="hmt25k", file=_file()),
     422, "profile"),
    ("dry-run-neither-true-nor-false",
     lambda: _multipart(kind="spend", period="2021-22-Q3", dry_run="perhaps", file=_file()),
     400, "dry_run"),
    ("period-whose-years-do-not-follow",
     lambda: _multipart(kind="spend", period="2021-23-Q1", file=_file()), 422, "period"),
    ("period-that-is-a-whole-year",
     lambda: _multipart(kind="spend", period="2021-22", file=_file()), 422, "period"),
    ("quarter-five", lambda: _multipart(kind="spend", period="2021-22-Q5", file=_file()),
     422, "period"),
    ("kind-widgets", lambda: _multipart(kind="widgets", period="2021-22-Q3", file=_file()),
     422, "kind"),
    ("json-body-that-is-a-list", lambda: {"json": [{"kind": "spend"}]}, 400, None),
    ("json-body-without-rows",
     lambda: {"json": {"kind": "spend", "period": "2021-22-Q3"}}, 400, "rows"),
    ("json-body-whose-rows-are-an-object",
     lambda: {"json": {"kind": "spend", "period": "2021-22-Q3", "rows": {"a": 1}}}, 400, "rows"),
    ("json-body-without-kind",
     lambda: {"json": {"period": "2021-22-Q3", "rows": []}}, 400, "kind"),
    ("json-body-that-does-not-parse",
     lambda: {"data": b'{"kind": "spend", "rows": [', "content_type": "application/json"},
     400, None),
    ("plain-text-body", lambda: {"data": b"Payment Date,Amount\n", "content_type": "text/csv"},
     415, None),
]


@pytest.mark.parametrize(("request_kw", "status", "field"), [c[1:] for c in ENVELOPES],
                         ids=[c[0] for c in ENVELOPES])
def test_bad_envelope_gets_the_error_shape_naming_the_field_and_changes_nothing(
        client, token, request_kw, status, field):
    before = table_counts()

    response = client.post("/api/v1/returns", headers={"Authorization": f"Bearer {token}"},
                           **request_kw())

    body = response.get_json()
    assert response.status_code == status, body
    assert set(body) == ERROR_KEYS
    assert body["code"] == status
    if field:
        assert field in body["errors"]
    assert table_counts() == before


def test_upload_over_the_size_limit_is_413_and_changes_nothing(app, client, token, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 2000)
    data = spend(*["01/10/2021,1.00,Acme Ltd,A1"] * 200)
    before = table_counts()

    response = post_return(client, token, data)

    body = response.get_json()
    assert response.status_code == 413
    assert set(body) == ERROR_KEYS
    assert (body["code"], body["error"]) == (413, "request_entity_too_large")
    assert table_counts() == before


# --- Suspicious but acceptable: stored, with warnings --------------------------------------


ACCEPTED_WITH_WARNINGS = [
    ("payments-outside-the-period",
     spend("01/10/2021,1.00,Acme Ltd,A1", "01/01/2020,2.00,Acme Ltd,A1"),
     [(3, "Payment Date", "A", "payment_date.outside_period")], "3.00"),
    ("formula-injection-in-supplier-name",
     spend('01/10/2021,1.00,"=HYPERLINK(""http://evil.example"",""Click"")",A1'),
     [(2, "Supplier Name", "C", "formula.suspicious")], "1.00"),
    ("negative-zero-amount", spend("01/10/2021,-0.00,Acme Ltd,A1"),
     [(2, "Amount", "B", "amount.zero")], "0.00"),
    ("excel-serial-date-in-the-quarter", spend("44480,5.00,Acme Ltd,A1"),
     [(2, "Payment Date", "A", "payment_date.excel_serial")], "5.00"),
]


@pytest.mark.parametrize(("data", "warnings", "total"), [c[1:] for c in ACCEPTED_WITH_WARNINGS],
                         ids=[c[0] for c in ACCEPTED_WITH_WARNINGS])
def test_suspicious_rows_are_accepted_with_located_warnings(client, token, data, warnings, total):
    response = post_return(client, token, data)

    receipt = response.get_json()
    assert response.status_code == 201, receipt
    assert receipt["status"] == "accepted"
    assert [(i["row"], i["column"], i["column_letter"], i["code"])
            for i in receipt["issues"]] == warnings
    assert {i["severity"] for i in receipt["issues"]} == {"warning"}
    assert receipt["totals"] == {"amount": total}


def test_formula_payload_is_stored_as_text_and_escaped_in_the_issues_csv(client, token):
    payload = '=HYPERLINK("http://evil.example","Click")'
    data = spend('01/10/2021,1.00,"=HYPERLINK(""http://evil.example"",""Click"")",A1')
    receipt = post_return(client, token, data).get_json()

    lines = client.get(f"/api/v1/returns/{receipt['id']}/lines",
                       headers={"Authorization": f"Bearer {token}"}).get_json()["items"]
    issues_csv = client.get(f"/api/v1/returns/{receipt['id']}/issues.csv",
                            headers={"Authorization": f"Bearer {token}"}).data.decode("utf-8-sig")

    assert lines[0]["supplier_name"] == payload
    row = issues_csv.splitlines()[1]
    assert "'=HYPERLINK" in row
    assert ",=HYPERLINK" not in row and ',"=HYPERLINK' not in row


def test_file_mixing_utf8_and_windows_1252_lines_reads_both_and_says_which_lines(client, token):
    data = (SPEND_HEADER.encode() + "01/10/2021,1.00,Café Ltd,A1\n".encode()
            + "02/10/2021,2.00,Café Ltd,A1\n".encode("cp1252"))

    receipt = post_return(client, token, data).get_json()

    assert receipt["status"] == "accepted"
    assert any("Windows-1252" in note and "line 3" in note for note in receipt["notes"])
    lines = client.get(f"/api/v1/returns/{receipt['id']}/lines",
                       headers={"Authorization": f"Bearer {token}"}).get_json()["items"]
    assert [line["supplier_name"] for line in lines] == ["Café Ltd", "Café Ltd"]


def test_duplicate_amount_headings_use_the_first_and_say_so(client, token):
    data = b"Payment Date,Amount,Amount,Supplier Name\n01/10/2021,1.00,2.00,Acme Ltd\n"

    receipt = post_return(client, token, data).get_json()

    assert (receipt["status"], receipt["totals"]) == ("accepted", {"amount": "1.00"})
    assert any("'Amount' (column C) was not used" in note for note in receipt["notes"])


def test_json_rows_with_an_object_for_a_supplier_name_are_rejected(client, token):
    body = {"kind": "spend", "period": "2021-22-Q3", "rows": [
        {"payment_date": "01/10/2021", "amount": "1.00", "supplier_name": {"name": "Acme"}}]}

    response = client.post("/api/v1/returns", json=body,
                           headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 422
    assert [(i["row"], i["column"], i["code"]) for i in response.get_json()["issues"]] == [
        (1, "supplier_name", "supplier_name.invalid")]


def test_json_rows_with_a_list_for_a_text_field_say_which_row_and_field(client, token):
    body = {"kind": "spend", "period": "2021-22-Q3", "rows": [
        {"payment_date": "01/10/2021", "amount": "1.00", "supplier_name": "Acme Ltd"},
        {"payment_date": "02/10/2021", "amount": "2.00", "supplier_name": "Beta Ltd",
         "service_area": ["Care", "Housing"]}]}

    response = client.post("/api/v1/returns", json=body,
                           headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 422
    (issue,) = response.get_json()["issues"]
    assert (issue["row"], issue["column"], issue["code"]) == (2, "service_area",
                                                              "service_area.invalid")
    assert issue["message"] == ('Service area is a list or object (["Care", "Housing"]); it '
                                "must be one value, such as a name in quotes.")


def test_json_rows_with_an_object_under_a_key_no_field_reads_are_accepted(client, token):
    body = {"kind": "spend", "period": "2021-22-Q3", "rows": [
        {"payment_date": "01/10/2021", "amount": "1.00", "supplier_name": "Acme Ltd",
         "meta": {"source": "ledger"}}]}

    response = client.post("/api/v1/returns", json=body,
                           headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 201
    assert response.get_json()["status"] == "accepted"
