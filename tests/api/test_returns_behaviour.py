"""The returns API over HTTP: receipts, dry runs, versions, replays, reading back, and scopes."""

import csv
import io

import pytest

from tests.api.returns_support import (
    SPEND,
    SPEND_HEADER,
    bearer,
    changes,
    post_return,
    sha256,
    table_counts,
)

MORE = SPEND + "07/10/2021,10.00,Another Ltd,,,A9\n"


@pytest.fixture
def token(partner_token):
    return partner_token("rmbc", "returns:read returns:write")


@pytest.fixture
def other_token(partner_token):
    return partner_token("syp", "returns:read returns:write")


def get(client, token, url, **kw):
    return client.get(url, headers=bearer(token), **kw)


def test_accepted_return_gets_201_and_a_receipt_of_exactly_the_documented_shape(client, token):
    response = post_return(client, token, SPEND + "01/01/2021,1.00,Late Ltd,,,L1\n")

    receipt = response.get_json()
    assert response.status_code == 201
    assert response.headers["Location"] == f"/api/v1/returns/{receipt['id']}"
    assert isinstance(receipt["id"], int)
    redacted = {"severity": "warning", "row": 6, "column": "Supplier Name",
                "column_letter": "C", "value": "REDACTED PERSONAL DATA",
                "code": "supplier_name.redacted", "message": receipt["issues"][0]["message"],
                "count": 1, "rows": [6]}
    warning = {"severity": "warning", "row": 8, "column": "Payment Date", "column_letter": "A",
               "value": "01/01/2021", "code": "payment_date.outside_period",
               "message": receipt["issues"][1]["message"], "count": 1, "rows": [8]}
    assert receipt == {
        "id": receipt["id"], "status": "accepted", "partner": "rmbc", "kind": "spend",
        "period": "2021-22-Q3", "version": 1, "supersedes": None,
        "sha256": sha256(SPEND + "01/01/2021,1.00,Late Ltd,,,L1\n"), "dry_run": False,
        "counts": {"rows": 7, "errors": 0, "warnings": 2, "redacted": 1},
        "totals": {"amount": "1446.75"}, "issues": [redacted, warning], "notes": [],
        # by value: 1,350.50 of 1,526.75 placed by the lines' own postcodes; the credit of
        # 40.00 counts by its size in the share and nets in its source
        "located": {"share": 0.8846, "by_source": {
            "line": "1350.50", "register": "0.00", "identifier": "0.00",
            "companies_register": "0.00", "unknown": "96.25"}},
    }
    assert "outside the return's period 2021-22-Q3" in warning["message"]
    assert "counted as a redacted payment" in redacted["message"]


def test_period_is_read_in_its_canonical_form(client, token):
    receipt = post_return(client, token, SPEND, period=" 2021-22-q3 ").get_json()

    assert receipt["period"] == "2021-22-Q3"


def test_return_as_a_json_body_of_rows_is_accepted_and_its_bytes_kept(client, token):
    body = {"kind": "spend", "period": "2021-22-Q3", "rows": [
        {"payment_date": "2021-10-01", "amount": "12.34", "supplier_name": "Acme Ltd"},
        {"payment_date": "02/10/2021", "amount": -2, "supplier_name": "Acme Ltd"}]}

    response = client.post("/api/v1/returns", json=body, headers=bearer(token))

    receipt = response.get_json()
    assert response.status_code == 201, receipt
    assert (receipt["counts"]["rows"], receipt["totals"]) == (2, {"amount": "10.34"})
    kept = get(client, token, f"/api/v1/returns/{receipt['id']}/file")
    assert sha256(kept.data) == receipt["sha256"]


def test_dry_run_answers_200_with_the_report_and_stores_nothing(client, token):
    before = table_counts()

    response = post_return(client, token, SPEND, dry_run="true")

    receipt = response.get_json()
    assert response.status_code == 200
    assert (receipt["status"], receipt["dry_run"], receipt["id"], receipt["version"]) == (
        "accepted", True, None, None)
    assert receipt["totals"] == {"amount": "1445.75"}
    assert "Location" not in response.headers
    assert table_counts() == before


def test_dry_run_of_a_bad_file_answers_422_with_every_issue_and_stores_nothing(client, token):
    before = table_counts()

    response = post_return(client, token, SPEND + "31/02/2021,x,,,,\n", dry_run="yes")

    receipt = response.get_json()
    assert response.status_code == 422
    assert (receipt["status"], receipt["dry_run"], receipt["id"]) == ("rejected", True, None)
    assert {(i["row"], i["code"]) for i in receipt["issues"]} == {
        (6, "supplier_name.redacted"), (8, "payment_date.invalid"), (8, "amount.invalid")}
    assert table_counts() == before


def test_resubmission_is_version_2_superseding_version_1_which_stays_readable(client, token):
    first = post_return(client, token, SPEND).get_json()

    response = post_return(client, token, MORE)

    second = response.get_json()
    assert response.status_code == 201
    assert (second["version"], second["supersedes"]) == (2, first["id"])
    old = get(client, token, f"/api/v1/returns/{first['id']}").get_json()
    new = get(client, token, f"/api/v1/returns/{second['id']}").get_json()
    assert (old["current"], old["version"], new["current"], new["supersedes"]) == (
        False, 1, True, first["id"])
    assert len(get(client, token, f"/api/v1/returns/{first['id']}/lines").get_json()["items"]) == 6


def test_the_same_bytes_again_replay_the_first_receipt_with_200_and_store_nothing(client, token):
    first = post_return(client, token, SPEND)
    before = table_counts()

    again = post_return(client, token, SPEND)

    assert again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json()["id"] == first.get_json()["id"]
    assert again.get_json()["version"] == 1
    assert table_counts() == before


def test_a_retried_idempotency_key_gets_the_same_receipt_even_after_a_newer_version(
        client, token):
    first = post_return(client, token, SPEND, headers={"Idempotency-Key": "upload-1"}).get_json()
    post_return(client, token, MORE, headers={"Idempotency-Key": "upload-2"})
    before = table_counts()

    retried = post_return(client, token, SPEND, headers={"Idempotency-Key": "upload-1"})

    assert retried.status_code == 200
    assert retried.headers["Idempotent-Replayed"] == "true"
    body = retried.get_json()
    assert (body["id"], body["version"], body["sha256"]) == (first["id"], 1, first["sha256"])
    assert table_counts() == before


def test_an_idempotency_key_reused_for_other_content_is_422_and_stores_nothing(client, token):
    post_return(client, token, SPEND, headers={"Idempotency-Key": "k"})
    before = table_counts()

    response = post_return(client, token, MORE, headers={"Idempotency-Key": "k"})

    assert response.status_code == 422
    assert "Idempotency-Key" in response.get_json()["errors"]
    assert table_counts() == before


def test_a_rejected_return_keeps_its_record_and_resubmitting_the_same_bytes_replays_it(
        client, token):
    bad = SPEND + "07/10/2021,lots,Bad Ltd,,,B1\n"
    first = post_return(client, token, bad).get_json()
    before = table_counts()

    again = post_return(client, token, bad)

    # A rejected return is never current, so the same bytes are checked (and rejected) again:
    # the partner's record shows each attempt.
    assert again.status_code == 422
    assert again.get_json()["issues"] == first["issues"]
    assert changes(before, table_counts()) == {  # the error, and the redacted row's warning
        "partner_return": 1, "return_issue": 2, "audit_event": 1}


def test_list_shows_only_your_own_returns_filtered_by_kind_period_and_status(
        client, token, other_token):
    accepted = post_return(client, token, SPEND).get_json()
    rejected = post_return(client, token, SPEND + "x,1,A,,,\n").get_json()
    earlier = post_return(client, token, SPEND.replace("/10/2021", "/07/2021"),
                          period="2021-22-Q2").get_json()
    post_return(client, other_token, SPEND)

    def ids(query=""):
        response = get(client, token, f"/api/v1/returns{query}")
        assert response.status_code == 200
        return sorted(r["id"] for r in response.get_json())

    assert ids() == sorted([accepted["id"], rejected["id"], earlier["id"]])
    assert ids("?period=2021-22-Q3") == sorted([accepted["id"], rejected["id"]])
    assert ids("?status=rejected") == [rejected["id"]]
    assert ids("?status=accepted&period=2021-22-Q2") == [earlier["id"]]
    assert ids("?kind=suppliers") == []
    assert ids("?current=true") == sorted([accepted["id"], earlier["id"]])
    assert ids("?period=%202021-22-q2%20") == [earlier["id"]]


@pytest.mark.parametrize("query", ["period=2021-23-Q1", "period=2021-22", "kind=widgets",
                                   "status=pending", "limit=0"])
def test_list_with_a_bad_filter_is_422_naming_it_rather_than_an_empty_list(client, token, query):
    response = get(client, token, f"/api/v1/returns?{query}")

    assert response.status_code == 422
    assert list(response.get_json()["errors"]["query"]) == [query.split("=")[0]]


def test_one_return_reads_back_with_its_counts_totals_and_file_details(client, token):
    receipt = post_return(client, token, SPEND, filename="oct.csv").get_json()

    body = get(client, token, f"/api/v1/returns/{receipt['id']}").get_json()

    assert {k: body[k] for k in ("id", "partner", "kind", "period", "status", "version",
                                 "current", "supersedes", "sha256", "bytes", "filename",
                                 "format", "counts", "totals")} == {
        "id": receipt["id"], "partner": "rmbc", "kind": "spend", "period": "2021-22-Q3",
        "status": "accepted", "version": 1, "current": True, "supersedes": None,
        "sha256": sha256(SPEND), "bytes": len(SPEND.encode()), "filename": "oct.csv",
        "format": "csv", "counts": {"rows": 6, "errors": 0, "warnings": 1},
        "totals": {"amount": "1445.75"}}
    assert body["submitted_by"].startswith("client:")
    stored = get(client, token, f"/api/v1/returns/{receipt['id']}/receipt").get_json()
    assert stored == {**receipt, "notes": []}


@pytest.mark.parametrize("path", ["", "/receipt", "/issues.csv", "/lines", "/file", "/diff"])
def test_another_partners_return_is_404_on_every_read_endpoint(
        client, token, other_token, path):
    theirs = post_return(client, other_token, SPEND).get_json()

    response = get(client, token, f"/api/v1/returns/{theirs['id']}{path}")

    assert response.status_code == 404
    assert response.get_json()["error"] == "not_found"
    assert get(client, other_token, f"/api/v1/returns/{theirs['id']}{path}").status_code == 200


def test_file_gives_back_exactly_the_bytes_received_for_accepted_and_rejected_returns(
        client, token):
    accepted_bytes = "\ufeff".encode() + SPEND.replace("\n", "\r\n").encode("cp1252")
    rejected_bytes = b"Payment Date,Amount,Supplier Name\r\n31/02/2021,\xa31.00,Caf\xe9\r\n"
    accepted = post_return(client, token, accepted_bytes, filename="oct.csv").get_json()
    rejected = post_return(client, token, rejected_bytes, filename="bad.csv").get_json()
    assert (accepted["status"], rejected["status"]) == ("accepted", "rejected")

    for receipt, sent, name in ((accepted, accepted_bytes, "oct.csv"),
                                (rejected, rejected_bytes, "bad.csv")):
        response = get(client, token, f"/api/v1/returns/{receipt['id']}/file")
        assert response.status_code == 200
        assert response.data == sent
        assert name in response.headers["Content-Disposition"]


def test_lines_paginate_with_next_until_null_and_cover_every_row_once(client, token):
    data = SPEND_HEADER + "".join(f"{1 + i % 28:02d}/10/2021,{i}.01,Supplier {i},S{i}\n"
                                  for i in range(1, 1204))
    receipt = post_return(client, token, data).get_json()
    assert receipt["counts"]["rows"] == 1203

    url, pages, rows = f"/api/v1/returns/{receipt['id']}/lines?limit=500", 0, []
    while url:
        body = get(client, token, url).get_json()
        rows += body["items"]
        url, pages = body["next"], pages + 1

    assert pages == 3
    assert [r["row_number"] for r in rows] == list(range(2, 1205))
    assert rows[0]["supplier_name"] == "Supplier 1" and rows[0]["amount"] == "1.01"
    assert rows[0]["payment_date"] == "2021-10-02"


def test_lines_page_that_ends_at_the_last_row_has_no_next(client, token):
    receipt = post_return(client, token, SPEND).get_json()

    first = get(client, token, f"/api/v1/returns/{receipt['id']}/lines?limit=3").get_json()
    second = get(client, token, first["next"]).get_json()

    assert [r["row_number"] for r in first["items"] + second["items"]] == [2, 3, 4, 5, 6, 7]
    assert second["next"] is None


def test_lines_of_a_rejected_return_are_an_empty_page(client, token):
    receipt = post_return(client, token, SPEND + "x,1,A,,,\n").get_json()

    body = get(client, token, f"/api/v1/returns/{receipt['id']}/lines").get_json()

    assert body == {"items": [], "next": None}


def test_bad_lines_arguments_are_422(client, token):
    receipt = post_return(client, token, SPEND).get_json()

    response = get(client, token, f"/api/v1/returns/{receipt['id']}/lines?limit=0&cursor=-1")

    assert response.status_code == 422
    assert set(response.get_json()["errors"]["query"]) == {"limit", "cursor"}


def test_issues_csv_lists_every_issue_as_a_to_do_list(client, token):
    receipt = post_return(client, token, SPEND + "31/02/2021,lots,Bad Ltd,,,B1\n").get_json()

    response = get(client, token, f"/api/v1/returns/{receipt['id']}/issues.csv")

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert [(r["severity"], r["row"], r["column"], r["column_letter"], r["value"], r["code"])
            for r in rows] == [
        ("warning", "6", "Supplier Name", "C", "REDACTED PERSONAL DATA", "supplier_name.redacted"),
        ("error", "8", "Payment Date", "A", "31/02/2021", "payment_date.invalid"),
        ("error", "8", "Amount", "B", "lots", "amount.invalid")]
    assert all(r["message"] for r in rows)


def test_an_issue_keeps_the_cell_it_quotes_byte_for_byte_with_its_backslash_tab_and_break(
        client, token):
    cell = "1\\2\t3\n4"  # a backslash, a tab and a line break: COPY text escapes all three
    receipt = post_return(client, token, SPEND + f'08/10/2021,"{cell}",Bad Ltd,,,B1\n').get_json()

    response = get(client, token, f"/api/v1/returns/{receipt['id']}/issues.csv")

    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert [(r["row"], r["column"], r["value"], r["code"]) for r in rows
            if r["severity"] == "error"] == [("8", "Amount", cell, "amount.invalid")]


def test_diff_after_a_resubmission_lists_rows_added_and_removed_and_the_change_in_total(
        client, token):
    first = post_return(client, token, SPEND).get_json()
    changed = SPEND.replace("02/10/2021,250.50", "02/10/2021,250.00") + \
        "07/10/2021,10.00,Another Ltd,,,A9\n"
    second = post_return(client, token, changed).get_json()

    diff = get(client, token, f"/api/v1/returns/{second['id']}/diff").get_json()

    assert (diff["id"], diff["version"], diff["supersedes"]) == (second["id"], 2, first["id"])
    assert diff["counts"] == {"added": 2, "removed": 1, "changed": 0, "unchanged": 5}
    assert sorted((r["supplier_name"], r["amount"]) for r in diff["added"]) == [
        ("Another Ltd", "10.00"), ("Sheffield Steel plc", "250.00")]
    assert [(r["supplier_name"], r["amount"]) for r in diff["removed"]] == [
        ("Sheffield Steel plc", "250.50")]
    assert diff["totals"] == {"rows": {"before": 6, "after": 7},
                              "amount": {"before": "1445.75", "after": "1455.25",
                                         "change": "9.50"}}


def test_diff_of_a_first_version_lists_every_row_as_added(client, token):
    first = post_return(client, token, SPEND).get_json()

    diff = get(client, token, f"/api/v1/returns/{first['id']}/diff").get_json()

    assert diff["supersedes"] is None
    assert diff["counts"] == {"added": 6, "removed": 0, "changed": 0, "unchanged": 0}
    assert diff["totals"]["amount"] == {"before": "0.00", "after": "1445.75",
                                        "change": "1445.75"}


def test_a_token_without_returns_write_cannot_submit(client, partner_token):
    reader = partner_token("rmbc", "returns:read")
    before = table_counts()

    response = post_return(client, reader, SPEND)

    body = response.get_json()
    assert response.status_code == 403
    assert (body["error"], body["errors"]) == ("insufficient_scope", {"scope": ["returns:write"]})
    assert 'error="insufficient_scope"' in response.headers["WWW-Authenticate"]
    assert table_counts() == before


def test_a_token_without_returns_read_cannot_list_or_read(client, partner_token):
    writer = partner_token("rmbc", "returns:write")
    receipt = post_return(client, writer, SPEND).get_json()

    assert get(client, writer, "/api/v1/returns").status_code == 403
    assert get(client, writer, f"/api/v1/returns/{receipt['id']}/file").status_code == 403


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer not-a-real-token"},
                                     {"Authorization": "Basic cm1iYzpzZWNyZXQ="}])
def test_no_or_bad_token_is_401_before_the_upload_is_looked_at(client, headers):
    before = table_counts()

    response = client.post("/api/v1/returns", headers=headers, content_type="multipart/form-data",
                           data={"kind": "widgets", "file": (io.BytesIO(b"x"), "a.csv")})

    assert response.status_code == 401
    assert response.get_json()["error"] == "invalid_token"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert get(client, "nope", "/api/v1/returns").status_code == 401
    assert table_counts() == before


def test_a_retried_idempotency_key_for_an_unreadable_file_gets_415_again(client, token):
    png = b"\x89PNG\r\n\x1a\n" + bytes(64)
    first = post_return(client, token, png, headers={"Idempotency-Key": "photo"})
    before = table_counts()

    retried = post_return(client, token, png, headers={"Idempotency-Key": "photo"})

    assert (first.status_code, retried.status_code) == (415, 415)
    assert retried.headers["Idempotent-Replayed"] == "true"
    assert retried.get_json()["errors"]["receipt"]["id"] == \
        first.get_json()["errors"]["receipt"]["id"]
    assert retried.get_json()["message"] == first.get_json()["message"]
    assert table_counts() == before


def test_idempotency_keys_belong_to_one_partner(client, token, other_token):
    ours = post_return(client, token, SPEND, headers={"Idempotency-Key": "q3-upload"})

    theirs = post_return(client, other_token, MORE, headers={"Idempotency-Key": "q3-upload"})

    assert (ours.status_code, theirs.status_code) == (201, 201)
    assert (theirs.get_json()["partner"], theirs.get_json()["counts"]["rows"]) == ("syp", 7)


SUPPLIERS = "Supplier ID,Supplier name,Company number,Site Postcode,SME,VCSE\n"


def test_diff_of_a_suppliers_return_matches_rows_by_supplier_id(client, token):
    post_return(client, token, SUPPLIERS + "S1,One Ltd,,S60 2UD,yes,no\n"
                "S2,Two Ltd,,,no,no\nS4,Four Ltd,,,no,no\n", kind="suppliers")
    second = post_return(client, token, SUPPLIERS + "S1,One Renamed Ltd,,S60 2UD,yes,no\n"
                         "S3,Three Ltd,,,no,no\nS4,Four Ltd,,,no,no\n",
                         kind="suppliers").get_json()

    diff = get(client, token, f"/api/v1/returns/{second['id']}/diff").get_json()

    assert diff["counts"] == {"added": 1, "removed": 1, "changed": 1, "unchanged": 1}
    assert [r["supplier_id"] for r in diff["added"]] == ["S3"]
    assert [r["supplier_id"] for r in diff["removed"]] == ["S2"]
    assert [(c["before"]["supplier_name"], c["after"]["supplier_name"])
            for c in diff["changed"]] == [("One Ltd", "One Renamed Ltd")]
    assert diff["totals"] == {"rows": {"before": 3, "after": 3}}


def test_diff_accounts_for_every_row_when_a_key_repeats(client, token):
    # Two rows for one measure are allowed; dropping one of them is a removal, and the other is
    # unchanged, not "changed".
    header = "Measure,Value,Unit,Note\n"
    post_return(client, token, header + "local_residents_employed,42,people,Site A\n"
                "local_residents_employed,5,people,Site B\n", kind="measures")
    second = post_return(client, token, header + "local_residents_employed,42,people,Site A\n",
                         kind="measures").get_json()

    diff = get(client, token, f"/api/v1/returns/{second['id']}/diff").get_json()

    assert diff["counts"] == {"added": 0, "removed": 1, "changed": 0, "unchanged": 1}
    assert [(r["value"], r["note"]) for r in diff["removed"]] == [("5.00", "Site B")]


def test_json_body_with_bad_rows_is_422_naming_each_row_and_field(client, token):
    body = {"kind": "spend", "period": "2021-22-Q3", "rows": [
        {"payment_date": "2021-10-01", "amount": "12.34", "supplier_name": "Acme Ltd"},
        {"payment_date": "2021-10-02", "amount": "12.345", "supplier_name": "Acme Ltd"},
        {"payment_date": "2021-02-30", "amount": "1", "supplier_name": ""}]}
    before = table_counts()

    response = client.post("/api/v1/returns", json=body, headers=bearer(token))

    receipt = response.get_json()
    assert response.status_code == 422
    assert [(i["row"], i["column"], i["code"]) for i in receipt["issues"]] == [
        (2, "amount", "amount.invalid"),
        (3, "payment_date", "payment_date.invalid")]  # a blank name is a name withheld
    assert changes(before, table_counts()) == {
        "partner_return": 1, "return_issue": 2, "audit_event": 1}
