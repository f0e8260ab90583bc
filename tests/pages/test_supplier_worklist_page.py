"""The supplier worklist page: a data officer sees the partner's unlocated suppliers, gives
postcodes for several at once, downloads the template, and confirms a name match."""

from sqlalchemy import select

from exchange.context import get_uow
from exchange.models import AuditEvent, SupplierStatement
from tests.integration.test_submissions import submit

SPEND = ("Payment Date,Amount,Supplier Name,Supplier ID\n"
         "01/10/2021,600.00,Big Unknown Ltd,B1\n"
         "03/10/2021,300.00,Middle Unknown,M1\n"
         "04/10/2021,100.00,Small Unknown,S1\n")
SYP_SUPPLIERS = ("Supplier ID,Supplier Name,Site Postcode\n"
                 "Y1,Small Unknown Ltd,DN1 1AA\n")


def test_an_officer_sees_the_worklist_biggest_first_and_saves_two_postcodes_at_once(signed_in):
    submit(SPEND)
    officer = signed_in()

    page = officer.get("/suppliers")

    assert page.status_code == 200
    text = page.text
    assert text.index("Big Unknown Ltd") < text.index("Middle Unknown") < text.index(
        "Small Unknown")
    assert "60.0%" in text  # Big Unknown's share of the spend
    saved = officer.post("/suppliers", data={
        "csrf_token": officer.csrf, "count": "3",
        "name-0": "Big Unknown Ltd", "postcode-0": "S1 2HH", "sme-0": "yes",
        "name-1": "Middle Unknown", "postcode-1": "",
        "name-2": "Small Unknown", "postcode-2": "s60 2ud", "vcse-2": "no"})
    assert saved.status_code == 302
    assert "Saved what you gave for 2 suppliers" in officer.get("/suppliers").text
    with get_uow() as uow:
        stated = list(uow.session.scalars(select(SupplierStatement)
                                          .order_by(SupplierStatement.id)))
        audited = list(uow.session.scalars(select(AuditEvent.actor).where(
            AuditEvent.action == "supplier.state")))
    assert [(s.supplier_name, s.postcode, s.sme, s.vcse, s.stated_by) for s in stated] == [
        ("Big Unknown Ltd", "S1 2HH", True, None, f"user:{officer.email}"),
        ("Small Unknown", "S60 2UD", None, False, f"user:{officer.email}")]
    assert audited == [f"user:{officer.email}"] * 2


def test_a_bad_postcode_is_shown_beside_its_supplier_and_nothing_is_saved(signed_in):
    submit(SPEND)
    officer = signed_in()

    page = officer.post("/suppliers", data={
        "csrf_token": officer.csrf, "count": "3",
        "name-0": "Big Unknown Ltd", "postcode-0": "S1 2HH",
        "name-2": "Small Unknown", "postcode-2": "not a postcode"})

    assert page.status_code == 400
    assert 'href="#postcode-2"' in page.text
    assert "Small Unknown: &#39;not a postcode&#39; is not a UK postcode" in page.text
    with get_uow() as uow:
        assert uow.session.scalars(select(SupplierStatement)).first() is None


def test_the_template_downloads_and_a_name_match_is_confirmed_from_the_page(signed_in):
    submit(SYP_SUPPLIERS, partner="syp", kind="suppliers")
    submit(SPEND)
    officer = signed_in()

    template = officer.get("/suppliers/unlocated-suppliers.csv")
    assert template.status_code == 200
    assert template.data.decode("utf-8-sig").splitlines()[1].startswith("B1,Big Unknown Ltd")
    page = officer.get("/suppliers").text
    assert "syp's supplier Y1, Small Unknown Ltd" in page
    review_id = page.split('id="confirm-')[1].split('"')[0]

    confirmed = officer.post(f"/suppliers/reviews/{review_id}",
                             data={"csrf_token": officer.csrf, "decision": "confirm"})

    assert confirmed.status_code == 302
    after = officer.get("/suppliers").text
    assert f"Confirmed by user:{officer.email}" in after
    assert f'id="confirm-{review_id}"' not in after


def test_another_partners_officer_sees_none_of_it_and_cannot_decide_its_reviews(signed_in):
    submit(SYP_SUPPLIERS, partner="syp", kind="suppliers")
    submit(SPEND)
    rmbc_page = signed_in().get("/suppliers").text
    review_id = rmbc_page.split('id="confirm-')[1].split('"')[0]
    other = signed_in("syp")

    page = other.get("/suppliers").text

    assert "Big Unknown Ltd" not in page
    decided = other.post(f"/suppliers/reviews/{review_id}",
                         data={"csrf_token": other.csrf, "decision": "confirm"})
    assert decided.status_code == 404


def test_the_worklist_page_needs_a_signed_in_person(page_client):
    response = page_client.get("/suppliers")
    assert response.status_code in (302, 401)
