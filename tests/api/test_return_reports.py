"""A return's issues as a Frictionless v5 validation report (checked with the real
`frictionless` library) and as the partner's own file annotated (opened with openpyxl)."""

import csv
import io
import json
import zipfile
from datetime import datetime

import jsonschema
import openpyxl
import pytest
from frictionless import Report, Resource, Schema, validate
from frictionless import errors as fl_errors

from exchange.ingest import annotated_file, frictionless_report
from exchange.ingest.frictionless_report import TYPES
from tests.api.returns_support import FIXTURES, REAL_SPEND, bearer, post_return

BAD = (FIXTURES / "rmbc-spend-2021-22-Q3-errors.csv").read_bytes()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def token(partner_token):
    return partner_token("rmbc", "returns:read returns:write")


def _submit(client, token, data, **kw) -> int:
    response = post_return(client, token, data, **kw)
    assert response.status_code in (201, 415, 422), response.get_json()
    body = response.get_json()
    return body["id"] if "id" in body else body["errors"]["receipt"]["id"]


def _report(client, token, return_id: int) -> dict:
    response = client.get(f"/api/v1/returns/{return_id}/report.json", headers=bearer(token))
    assert response.status_code == 200
    return response.get_json()


def _annotated(client, token, return_id: int) -> openpyxl.Workbook:
    response = client.get(f"/api/v1/returns/{return_id}/annotated.xlsx", headers=bearer(token))
    assert (response.status_code, response.mimetype) == (200, XLSX)
    assert response.headers["Content-Disposition"].startswith("attachment")
    return openpyxl.load_workbook(io.BytesIO(response.data))


def _issues(client, token, return_id: int) -> list[dict]:
    body = client.get(f"/api/v1/returns/{return_id}/issues.csv", headers=bearer(token)).data
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def _expected_marks(issues: list[dict], row_offset: int = 0) -> set[tuple[int, str]]:
    """(row, column letter) the stated rule marks: the issue's cell, else its row's column A."""
    return {(int(i["row"]) + row_offset, i["column_letter"] or "A") for i in issues if i["row"]}


def _commented(sheet) -> set[tuple[int, str]]:
    return {(cell.row, cell.column_letter) for row in sheet.iter_rows() for cell in row
            if cell.comment is not None}


def _real(name: str) -> bytes:
    if not REAL_SPEND.is_dir():
        pytest.skip(f"real spend data not checked out at {REAL_SPEND}")
    return (REAL_SPEND / name).read_bytes()


# --- report.json ---------------------------------------------------------------------------


def test_report_of_a_rejected_return_is_a_frictionless_report_that_the_library_loads(
        client, token):
    return_id = _submit(client, token, BAD, filename="errors.csv")

    report = _report(client, token, return_id)

    assert list(Report.metadata_validate(report)) == []
    loaded = Report.from_descriptor(report)
    assert loaded.valid is False and report["valid"] is False
    [task] = report["tasks"]
    assert task["labels"] == ["Payment Date", "Amount", "Supplier Name", "Supplier ID"]
    assert task["stats"]["errors"] == report["stats"]["errors"] == len(task["errors"]) == 2
    found = {(e["rowNumber"], e["fieldNumber"], e["fieldName"], e["cell"], e["type"], e["code"])
             for e in task["errors"]}
    assert found == {
        (3, 1, "Payment Date", "31/11/2021", "type-error", "payment_date.invalid"),
        (4, 2, "Amount", "twelve", "type-error", "amount.invalid"),
    }
    # Row 5's blank supplier name is a redacted payment: a warning, not an error.
    assert any("supplier_name.redacted" in warning for warning in task["warnings"])
    for error in task["errors"]:
        assert error["note"] == error["message"] and error["message"]


def test_report_errors_have_every_property_frictionless_itself_writes_for_the_same_type(
        client, token):
    # frictionless's own report of a wrong cell, for the keys and fixed texts it writes.
    schema = Schema.from_descriptor({"fields": [{"name": "amount", "type": "number"}]})
    theirs = validate(Resource(data=b"amount\ntwelve\n", format="csv", schema=schema))
    their_error = theirs.to_descriptor()["tasks"][0]["errors"][0]
    return_id = _submit(client, token, BAD, filename="errors.csv")

    ours = _report(client, token, return_id)

    assert set(ours) == set(theirs.to_descriptor())
    assert set(ours["tasks"][0]) == set(theirs.to_descriptor()["tasks"][0])
    # The hub keeps the SHA-256 of the bytes, not their MD5.
    assert set(ours["tasks"][0]["stats"]) == set(
        theirs.to_descriptor()["tasks"][0]["stats"]) - {"md5"}
    type_error = next(e for e in ours["tasks"][0]["errors"] if e["type"] == "type-error")
    assert set(type_error) - {"code", "columnLetter"} == set(their_error)


def test_every_frictionless_type_we_write_has_frictionless_own_title_description_and_tags():
    classes = {cls.type: cls for cls in vars(fl_errors).values()
               if isinstance(cls, type) and hasattr(cls, "type")}

    for name, (title, description, tags) in TYPES.items():
        assert (title, description, list(tags)) == (
            classes[name].title, classes[name].description, classes[name].tags), name


def test_report_of_an_accepted_return_is_valid_with_its_warnings_as_lines_of_text(
        client, token):
    data = BAD.decode().splitlines()
    good = "\n".join([data[0], data[1], "01/01/2022,5.00,Leeds Lamps Ltd,S3"]) + "\n"
    return_id = _submit(client, token, good, filename="good.csv")

    report = _report(client, token, return_id)

    assert report["valid"] is True and Report.from_descriptor(report).valid
    [task] = report["tasks"]
    assert task["errors"] == [] and task["stats"]["rows"] == 2
    assert task["stats"]["warnings"] == len(task["warnings"]) == 1
    assert task["warnings"][0].startswith("Row 3, column A (Payment Date): ")
    assert task["warnings"][0].endswith("[payment_date.outside_period]")


def test_report_lists_at_most_the_limit_counts_every_issue_and_says_so(
        client, token, monkeypatch):
    monkeypatch.setattr(frictionless_report, "REPORT_LIMIT", 1)
    monkeypatch.setattr("exchange.api.return_reports.REPORT_LIMIT", 1)
    return_id = _submit(client, token, BAD, filename="errors.csv")

    report = _report(client, token, return_id)

    [task] = report["tasks"]
    # BAD has two errors and a warning (row 5's blank supplier name: a redacted payment).
    assert len(task["errors"]) == 1 and task["stats"]["errors"] == 2
    assert task["warnings"] == ["Only the first 1 issues are listed here; the return has 3. "
                                "The issues CSV lists them all."]
    assert Report.from_descriptor(report).valid is False


def test_report_of_a_file_that_is_not_a_table_is_one_format_error(client, token):
    return_id = _submit(client, token, b"%PDF-1.4 not a spreadsheet", filename="spend.pdf")

    report = _report(client, token, return_id)

    [error] = report["tasks"][0]["errors"]
    assert (error["type"], error["code"], report["valid"]) == (
        "format-error", "file.unsupported", False)
    assert "rowNumber" not in error and report["tasks"][0]["labels"] == []
    assert Report.from_descriptor(report).tasks[0].errors[0].type == "format-error"


def test_report_of_a_real_file_whose_every_date_is_wrong_counts_all_and_loads_in_frictionless(
        client, token):
    data = _real("oxford_city_council/expenditure-over-500-apr-jun-2014.csv")
    return_id = _submit(client, token, data, filename="oxford.csv", period="2014-15-Q1")

    report = _report(client, token, return_id)

    loaded = Report.from_descriptor(report)
    assert report["stats"]["errors"] == 3836 and not loaded.valid
    located = [e for e in report["tasks"][0]["errors"] if "rowNumber" in e]
    assert located[0]["rowNumber"] == 2 and located[0]["fieldNumber"] == 5
    assert {e["type"] for e in located} == {"type-error"}
    assert {e["fieldName"] for e in located} == {"Paid Date"}


CODED = ("PAY_DT,TRX_AMT,SUPP_NM,VNDR_ID\n"
         "01/10/2021,12.00,Rotherham Widgets Ltd,R1\n"
         "02/10/2021,twelve,Leeds Lamps Ltd,S3\n")
CODED_MAPPING = {"payment_date": "PAY_DT", "amount": "TRX_AMT", "supplier_name": "SUPP_NM"}


def test_report_and_workbook_of_a_file_read_with_a_column_mapping_find_its_coded_headings(
        client, token):
    return_id = _submit(client, token, CODED, filename="coded.csv",
                        columns=json.dumps(CODED_MAPPING))

    report = _report(client, token, return_id)
    book = _annotated(client, token, return_id)

    assert report["tasks"][0]["labels"] == ["PAY_DT", "TRX_AMT", "SUPP_NM", "VNDR_ID"]
    [error] = report["tasks"][0]["errors"]
    assert (error["fieldName"], error["fieldNumber"], error["rowNumber"]) == ("TRX_AMT", 2, 3)
    assert _commented(book["coded"]) == {(3, "B")}


def test_report_of_a_file_without_a_needed_column_lists_the_headings_it_found(client, token):
    return_id = _submit(client, token, "Paid,Amount\n01/10/2021,12.00\n", filename="x.csv")

    report = _report(client, token, return_id)

    [error] = report["tasks"][0]["errors"]
    assert (error["type"], error["code"]) == ("source-error", "file.unreadable")
    assert "no column for the" in error["message"]
    assert report["tasks"][0]["labels"] == ["Paid", "Amount"]
    assert Report.from_descriptor(report).valid is False


def test_report_of_a_mapping_naming_headings_not_in_the_file_is_a_header_error(client, token):
    wrong = {**CODED_MAPPING, "supplier_name": "SUPPLIER"}
    return_id = _submit(client, token, CODED, filename="coded.csv", columns=json.dumps(wrong))

    report = _report(client, token, return_id)

    [error] = report["tasks"][0]["errors"]
    assert (error["type"], error["code"], error["rowNumbers"]) == (
        "header-error", "columns.not_in_file", [1])
    assert Report.from_descriptor(report).tasks[0].errors[0].type == "header-error"


# --- annotated.xlsx ------------------------------------------------------------------------


def test_annotated_csv_has_an_issues_sheet_then_the_file_with_comments_on_exactly_those_cells(
        client, token):
    return_id = _submit(client, token, BAD, filename="errors.csv")

    book = _annotated(client, token, return_id)

    assert book.sheetnames == ["Issues", "errors"]
    sheet = book["errors"]
    assert [[c.value for c in row] for row in sheet.iter_rows(max_row=2)] == [
        ["Payment Date", "Amount", "Supplier Name", "Supplier ID"],
        ["01/10/2021", "12.00", "Rotherham Widgets Ltd", "R1"]]
    assert _commented(sheet) == {(3, "A"), (4, "B"), (5, "C")}
    assert "'twelve' is not a number" in sheet["B4"].comment.text
    assert sheet["B4"].fill.fgColor.rgb.endswith("FFC7CE")
    assert sheet["A2"].comment is None and sheet["A2"].fill.fill_type is None
    links = [row[7] for row in book["Issues"].iter_rows(min_row=5) if row[7].hyperlink]
    assert sorted(link.hyperlink.location for link in links) == [
        "'errors'!A3", "'errors'!B4", "'errors'!C5"]


def test_annotated_real_file_with_thousands_of_errors_marks_exactly_the_cells_listed(
        client, token):
    data = _real("oxford_city_council/expenditure-over-500-apr-jun-2014.csv")
    return_id = _submit(client, token, data, filename="oxford-2014-q1.csv", period="2014-15-Q1")

    book = _annotated(client, token, return_id)

    issues = _issues(client, token, return_id)
    sheet = book[book.sheetnames[1]]
    assert _commented(sheet) == _expected_marks(issues)
    assert len(_commented(sheet)) >= 1000
    assert sheet["E2"].value == "00:00:00" and "00:00:00" in sheet["E2"].comment.text
    # Every row of the file is there, as text, not only the rows with issues.
    assert sheet.max_row == len(data.decode("utf-8-sig", "replace").splitlines())
    listed = list(book["Issues"].iter_rows(min_row=5, values_only=True))
    assert len(listed) == len(issues)


def test_annotated_real_accepted_file_marks_its_warnings_amber(client, token):
    data = _real("lambeth/2012-06-payments.csv")
    return_id = _submit(client, token, data, filename="2012-06-payments.csv",
                        period="2012-13-Q1")

    book = _annotated(client, token, return_id)

    issues = _issues(client, token, return_id)
    sheet = book["2012-06-payments"]
    marks = _expected_marks(issues)
    assert _commented(sheet) == marks and len(marks) >= 34
    row, letter = sorted(marks)[0]
    assert sheet[f"{letter}{row}"].fill.fgColor.rgb.endswith("FFEB9C")


def test_annotated_real_file_saved_as_xlsx_marks_exactly_the_cells_listed(client, token):
    from tests.api.test_returns_real_files import _as_workbook

    workbook = _as_workbook(_real("oxford_city_council/expenditure-over-500-apr-jun-2014.csv"),
                            "Amount")
    return_id = _submit(client, token, workbook, filename="oxford-2014.xlsx",
                        period="2014-15-Q1")

    book = _annotated(client, token, return_id)

    issues = _issues(client, token, return_id)
    assert book.sheetnames == ["Issues", "Sheet1"]
    sheet = book["Sheet1"]
    assert _commented(sheet) == _expected_marks(issues) and len(issues) > 1000
    assert sheet["G2"].value == 1500  # the amounts stay numbers


def _workbook_upload() -> bytes:
    """A partner's workbook: a notes sheet first, then the payments, one with a formula-like
    supplier name typed as text and one with an amount that is not a number."""
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "Read me"
    notes.append(["Payments over £500, October 2021"])
    payments = book.create_sheet("Payments")
    payments.append(["Payment Date", "Amount", "Supplier Name", "Supplier ID"])
    payments.append([datetime(2021, 10, 1), 1000.5, "Rotherham Widgets Ltd", "R1"])
    payments.append([datetime(2021, 10, 2), 20, "Sheffield Steel plc", "S2"])
    payments.append([datetime(2021, 10, 3), "lots", "Leeds Lamps Ltd", "S3"])
    payments.append([datetime(2021, 10, 4), 5, None, "S4"])
    payments.append([datetime(2021, 10, 5), 7, "placeholder", "S5"])
    payments["C6"].value = '=HYPERLINK("http://evil.example","click")'
    payments["C6"].data_type = "s"  # text that looks like a formula, as a CSV import leaves it
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_annotated_xlsx_upload_keeps_its_sheets_and_values_and_marks_the_sheet_read(
        client, token):
    return_id = _submit(client, token, _workbook_upload(), filename="october.xlsx")

    book = _annotated(client, token, return_id)

    assert book.sheetnames == ["Issues", "Read me", "Payments"]
    assert book["Read me"]["A1"].value == "Payments over £500, October 2021"
    assert _commented(book["Read me"]) == set()
    sheet = book["Payments"]
    assert sheet["A2"].value == datetime(2021, 10, 1) and sheet["B2"].value == 1000.5
    assert _commented(sheet) == _expected_marks(_issues(client, token, return_id)) == {
        (4, "B"), (5, "C"), (6, "C")}
    assert "formula" in sheet["C6"].comment.text


def test_formula_text_from_a_partners_file_never_becomes_a_live_formula_or_an_error(
        client, token):
    csv_text = ("Payment Date,Amount,Supplier Name,Supplier ID\n"
                '01/10/2021,12.00,"=HYPERLINK(""http://evil.example"",""click"")",R1\n'
                "02/10/2021,13.00,@SUM(A1:A2),R2\n"
                "03/10/2021,14.00,Leeds Lamps Ltd,#N/A\n")
    for data, name in ((csv_text.encode(), "f.csv"), (_workbook_upload(), "f.xlsx")):
        return_id = _submit(client, token, data, filename=name)

        response = client.get(f"/api/v1/returns/{return_id}/annotated.xlsx",
                              headers=bearer(token))

        archive = zipfile.ZipFile(io.BytesIO(response.data))
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and not any(b"<f>" in archive.read(n) or b"<f " in archive.read(n)
                                  for n in sheets)
        book = openpyxl.load_workbook(io.BytesIO(response.data))
        values = [c.value for s in book.worksheets for row in s.iter_rows() for c in row
                  if isinstance(c.value, str) and c.value.startswith("=HYPERLINK")]
        assert values and all(v.startswith('=HYPERLINK("http://evil.example"') for v in values)
        # Nor an error value: a partner's "#N/A" is their text.
        assert all(c.data_type not in ("f", "e") for s in book.worksheets
                   for row in s.iter_rows() for c in row)


def test_annotated_json_return_puts_item_n_on_row_n_plus_one_under_its_keys(client, token):
    rows = [{"payment_date": "2021-10-01", "amount": "5.00", "supplier_name": "A Ltd"},
            {"payment_date": "2021-10-02", "amount": "five", "supplier_name": "B Ltd"}]
    return_id = _submit(client, token, json.dumps(rows).encode(), filename="spend.json")

    book = _annotated(client, token, return_id)

    sheet = book["spend"]
    assert [c.value for c in sheet[1]] == ["payment_date", "amount", "supplier_name"]
    assert _commented(sheet) == _expected_marks(_issues(client, token, return_id), 1) == {
        (3, "B")}


def _ods() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


@pytest.mark.parametrize(("data", "name"), [
    (b"%PDF-1.4 not a spreadsheet", "spend.pdf"), (_ods(), "spend.ods")], ids=["pdf", "ods"])
def test_annotated_file_that_is_not_a_table_has_only_its_issues_sheet(
        client, token, data, name):
    return_id = _submit(client, token, data, filename=name)

    book = _annotated(client, token, return_id)

    assert book.sheetnames == ["Issues"]
    rows = list(book["Issues"].iter_rows(min_row=5, values_only=True))
    assert [(r[0], r[6]) for r in rows] == [("error", "file.unsupported")]


def test_annotated_file_marks_and_lists_at_most_the_limit_and_says_so(
        client, token, monkeypatch):
    monkeypatch.setattr(annotated_file, "MARK_LIMIT", 2)
    return_id = _submit(client, token, BAD, filename="errors.csv")

    book = _annotated(client, token, return_id)

    assert len(_commented(book["errors"])) == 2
    texts = [v for row in book["Issues"].iter_rows(values_only=True) for v in row if v]
    assert any("Only the first 2 issues" in str(text) for text in texts)


def test_a_long_file_is_copied_whole_up_to_the_limit_then_only_rows_with_issues(
        client, token, monkeypatch):
    monkeypatch.setattr(annotated_file, "COPY_ROWS", 3)
    good = [f"0{day}/10/2021,1{day}.00,Supplier {day} Ltd,S{day}" for day in range(1, 7)]
    data = "\n".join(["Payment Date,Amount,Supplier Name,Supplier ID", *good,
                      "07/10/2021,lots,Supplier 7 Ltd,S7", "08/10/2021,8.00,Last Ltd,S8"]) + "\n"
    return_id = _submit(client, token, data, filename="long.csv")

    book = _annotated(client, token, return_id)

    sheet = book["long"]
    assert [c.value for c in sheet[3]] == ["02/10/2021", "12.00", "Supplier 2 Ltd", "S2"]
    assert all(c.value is None for row in (4, 5, 6, 7, 9) for c in sheet[row])
    assert [c.value for c in sheet[8]] == ["07/10/2021", "lots", "Supplier 7 Ltd", "S7"]
    assert _commented(sheet) == {(8, "B")}
    texts = " ".join(str(v) for row in book["Issues"].iter_rows(values_only=True) for v in row)
    assert "Below row 3, only the rows with an issue are copied" in texts
    assert "5 rows without one are left empty" in texts


# --- access ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["report.json", "annotated.xlsx"])
def test_reports_follow_the_returns_access_rules(client, token, partner_token, path):
    return_id = _submit(client, token, BAD, filename="errors.csv")
    url = f"/api/v1/returns/{return_id}/{path}"

    assert client.get(url).status_code == 401
    assert client.get(url, headers=bearer(partner_token("rmbc", "returns:write"))
                      ).status_code == 403
    other = client.get(url, headers=bearer(partner_token("trft", "returns:read")))
    assert other.status_code == 404 and other.is_json
    assert client.get(f"/api/v1/returns/{return_id + 999}/{path}",
                      headers=bearer(token)).status_code == 404


def test_reports_match_the_response_schema_the_openapi_document_gives(client, token):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    documented = paths["/api/v1/returns/{return_id}/report.json"]["get"]["responses"]["200"][
        "content"]["application/json"]["schema"]
    data = BAD.decode().splitlines()
    rejected = _submit(client, token, BAD, filename="errors.csv")
    accepted = _submit(client, token, "\n".join([data[0], data[1]]) + "\n", filename="ok.csv")

    for return_id in (rejected, accepted):
        jsonschema.validate(_report(client, token, return_id), documented)
    table = paths["/api/v1/standard/{kind}.tableschema.json"]["get"]["responses"]["200"][
        "content"]["application/json"]["schema"]
    jsonschema.validate(client.get("/api/v1/standard/spend.tableschema.json").get_json(), table)


def test_openapi_documents_both_routes_with_their_responses(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]

    report = paths["/api/v1/returns/{return_id}/report.json"]["get"]["responses"]["200"]
    assert report["content"]["application/json"]["schema"]["required"] == [
        "valid", "stats", "warnings", "errors", "tasks"]
    annotated = paths["/api/v1/returns/{return_id}/annotated.xlsx"]["get"]["responses"]
    assert XLSX in annotated["200"]["content"]
    assert "/api/v1/standard/{kind}.tableschema.json" in paths
