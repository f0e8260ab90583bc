"""The supplier worklist API: a partner's unlocated suppliers ranked by spend, statements for
many at once, the list as a suppliers-return template, and the review list; each partner's own."""

import csv
import io

import pytest

from exchange.context import get_uow
from exchange.services.aggregates.spend_totals import rebuild_all
from tests.api.returns_support import bearer, post_return
from tests.integration.test_submissions import spend_lines, submit
from tests.integration.test_supplier_directory import REGISTER, RMBC_SUPPLIERS, load
from tests.integration.test_supplier_directory import SYP_SUPPLIERS as SYP_REGISTER

SPEND = ("Payment Date,Amount,Supplier Name,Supplier ID\n"
         "01/10/2021,600.00,Big Unknown Ltd,B1\n"
         "02/10/2021,-100.00,Big Unknown Ltd,B1\n"
         "03/10/2021,300.00,=HYPERLINK(\"http://x\"),F1\n"
         "04/10/2021,100.00,Small Unknown,S1\n")
SYP_SUPPLIERS = ("Supplier ID,Supplier Name,Site Postcode\n"
                 "Y1,Small Unknown Ltd,DN1 1AA\n")


@pytest.fixture
def rmbc(partner_token):
    return partner_token("rmbc", "returns:read returns:write")


@pytest.fixture
def syp(partner_token):
    return partner_token("syp", "returns:read returns:write")


def test_the_worklist_ranks_unlocated_suppliers_by_spend_with_the_share_each_would_locate(
        client, rmbc):
    submit(SPEND)

    response = client.get("/api/v1/partners/rmbc/unlocated-suppliers", headers=bearer(rmbc))

    assert response.status_code == 200
    body = response.get_json()
    # by value: 600 + 100 (credit by its size) of 1,100 is Big Unknown's
    assert [(s["supplier_name"], s["amount"], s["lines"], s["share"])
            for s in body["suppliers"]] == [
        ("Big Unknown Ltd", "500.00", 2, 0.6364),
        ('=HYPERLINK("http://x")', "300.00", 1, 0.2727),
        ("Small Unknown", "100.00", 1, 0.0909)]


def test_another_partners_token_cannot_read_or_change_the_worklist(client, rmbc, syp):
    submit(SPEND)
    for path in ("unlocated-suppliers", "unlocated-suppliers.csv", "supplier-reviews"):
        response = client.get(f"/api/v1/partners/rmbc/{path}", headers=bearer(syp))
        assert response.status_code == 403, path
        assert "only rmbc" in response.get_json()["message"]
    stated = client.post("/api/v1/partners/rmbc/supplier-statements", headers=bearer(syp),
                         json={"suppliers": [{"name": "Big Unknown Ltd", "postcode": "S1 2HH"}]})
    assert stated.status_code == 403
    # syp's own list holds none of rmbc's suppliers
    own = client.get("/api/v1/partners/syp/unlocated-suppliers", headers=bearer(syp))
    assert own.get_json()["suppliers"] == []


def test_statements_for_many_suppliers_place_the_partners_lines_at_the_next_rebuild(
        client, rmbc):
    receipt = submit(SPEND)

    response = client.post("/api/v1/partners/rmbc/supplier-statements", headers=bearer(rmbc),
                           json={"suppliers": [
                               {"name": "Big Unknown Ltd", "postcode": "s1 2hh", "sme": "yes"},
                               {"name": "Small Unknown", "company_number": "1234567"}]})

    assert response.status_code == 201, response.get_json()
    assert len(response.get_json()["statements"]) == 2
    rebuild_all(get_uow())
    big = spend_lines(receipt.id)[0]
    assert (big.lad_code, big.location_source, big.sme) == ("E08000019", "register", True)
    assert spend_lines(receipt.id)[3].org_id == "GB-COH-01234567"
    left = client.get("/api/v1/partners/rmbc/unlocated-suppliers", headers=bearer(rmbc))
    assert [s["supplier_name"] for s in left.get_json()["suppliers"]] == [
        '=HYPERLINK("http://x")', "Small Unknown"]


def test_a_bad_statement_is_rejected_whole_naming_the_supplier_and_field(client, rmbc):
    submit(SPEND)

    response = client.post("/api/v1/partners/rmbc/supplier-statements", headers=bearer(rmbc),
                           json={"suppliers": [
                               {"name": "Big Unknown Ltd", "postcode": "S1 2HH"},
                               {"name": "Small Unknown", "postcode": "nowhere"}]})

    assert response.status_code == 422
    body = response.get_json()
    assert body["errors"] == {"supplier 2": {
        "postcode": ["'nowhere' is not a UK postcode like S60 2UD."]}}
    assert client.get("/api/v1/partners/rmbc/unlocated-suppliers", headers=bearer(rmbc)
                      ).get_json()["suppliers"][0]["supplier_name"] == "Big Unknown Ltd"


def test_the_template_is_a_formula_safe_suppliers_return_that_uploads_filled_in(client, rmbc):
    receipt = submit(SPEND)

    response = client.get("/api/v1/partners/rmbc/unlocated-suppliers.csv", headers=bearer(rmbc))

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Supplier ID", "Supplier name"]
    assert rows[2][1] == "'=HYPERLINK(\"http://x\")"  # a spreadsheet will not run it
    rows[1][5] = "S60 2UD"  # the officer fills in Big Unknown's trading site
    filled = io.StringIO()
    csv.writer(filled).writerows(rows[:2])
    uploaded = post_return(client, rmbc, filled.getvalue(), kind="suppliers",
                           filename="suppliers.csv")
    assert uploaded.status_code == 201, uploaded.get_json()["issues"][:3]
    rebuild_all(get_uow())
    big = spend_lines(receipt.id)[0]
    assert (big.lad_code, big.location_source) == ("E08000018", "register")


def test_a_review_is_confirmed_by_its_own_partner_only_and_audited(client, rmbc, syp):
    submit(SYP_SUPPLIERS, partner="syp", kind="suppliers")
    receipt = submit(SPEND)
    listed = client.get("/api/v1/partners/rmbc/supplier-reviews", headers=bearer(rmbc))
    [review] = listed.get_json()
    assert (review["supplier_name"], review["other_partner"], review["status"]) == (
        "Small Unknown Ltd", "syp", "pending")

    stolen = client.post(f"/api/v1/partners/syp/supplier-reviews/{review['id']}",
                         headers=bearer(syp), json={"decision": "confirm"})
    assert stolen.status_code == 404  # not on syp's list
    confirmed = client.post(f"/api/v1/partners/rmbc/supplier-reviews/{review['id']}",
                            headers=bearer(rmbc), json={"decision": "confirm"})
    assert confirmed.status_code == 200
    assert confirmed.get_json()["status"] == "confirmed"
    again = client.post(f"/api/v1/partners/rmbc/supplier-reviews/{review['id']}",
                        headers=bearer(rmbc), json={"decision": "reject"})
    assert again.status_code == 409
    rebuild_all(get_uow())
    small = spend_lines(receipt.id)[3]
    assert (small.lad_code, small.location_source) == ("E08000017", "register")


def test_the_worklist_needs_a_token_with_the_read_scope(client, partner_token):
    feeds_only = partner_token("rmbc", "feeds:read")
    assert client.get("/api/v1/partners/rmbc/unlocated-suppliers").status_code == 401
    assert client.get("/api/v1/partners/rmbc/unlocated-suppliers",
                      headers=bearer(feeds_only)).status_code == 403


def test_the_directory_says_who_said_each_attribute_and_when(client, rmbc, syp, tmp_path):
    load(tmp_path, REGISTER)
    own = submit(RMBC_SUPPLIERS, kind="suppliers")
    theirs = submit(SYP_REGISTER, partner="syp", kind="suppliers")

    def explain(**query):
        response = client.get("/api/v1/partners/rmbc/supplier-directory", query_string=query,
                              headers=bearer(rmbc))
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    mine = explain(name="Own Register Services", supplier_id="R9")
    assert mine["location"]["source"] == "register"
    assert mine["location"]["said"] | {"at": None} == {
        "by": "rmbc", "at": None, "suppliers_return": own.id, "person": "test"}
    assert mine["sme"] == {"value": True, "said": mine["location"]["said"]}
    shared = explain(name="Shared Contractor", company_number="9000008")
    assert (shared["location"]["source"], shared["vcse"]["value"]) == ("identifier", True)
    assert shared["location"]["said"]["by"] == "syp"
    assert shared["location"]["said"]["suppliers_return"] == theirs.id
    assert "person" not in shared["location"]["said"]  # another partner's people stay theirs
    acme = explain(name="Acme Cleaning Ltd", company_number="09000001")
    assert acme["location"] == {"status": "found", "lad_code": "E08000018",
                                "source": "companies_register",
                                "said": {"by": "companies_register", "at": "2026-11-01"}}
    assert acme["sme"] == {"value": True,
                           "said": {"by": "companies_register", "at": "2026-11-01"}}
    assert acme["vcse"] == {"value": None, "said": None}
    nobody = explain(name="Nobody Knows Ltd")
    assert nobody["location"] == {"status": "unknown", "lad_code": None, "source": "unknown",
                                  "said": None}
    assert client.get("/api/v1/partners/rmbc/supplier-directory?name=x",
                      headers=bearer(syp)).status_code == 403
