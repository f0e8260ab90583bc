"""The upload page's mapping step: a file whose headings are not recognised is not an error page
but a form, one select per field, prefilled with guesses and showing sample values. The choice
reads the kept file, is remembered for the next file with the same headings, and is listed and
deleted on the column mappings page."""

import html as htmllib
import io
import re

import pytest

from tests.api.oauth_flows import PASSWORD, csrf_from, sign_in

CODED = ("PAYDT,TRXAMT,SUPPNM,SUPPID,COSTCTR\n"
         "04/10/2021,1250.00,Rotherham Widgets Ltd,S1,CC1\n"
         "15/11/2021,-10.50,Acme Fabrication,S2,CC2\n")


def upload(client, data: str, action="submit", period="2021-22-Q3"):
    token = csrf_from(client.get("/upload").get_data(as_text=True))
    return client.post("/upload", data={
        "csrf_token": token, "kind": "spend", "period": period, "action": action,
        "file": (io.BytesIO(data.encode()), "coded.csv")}, content_type="multipart/form-data")


def hidden(page: str, name: str) -> str:
    return htmllib.unescape(re.search(f'name="{name}" value="([^"]*)"', page).group(1))


def selected(page: str, field: str) -> str | None:
    block = page.split(f'id="column-{field}"')[1].split("</select>")[0]
    match = re.search(r'<option value="([^"]*)" selected>', block)
    return match.group(1) if match else None


def choose(client, page: str, **columns):
    data = {name: hidden(page, name) for name in
            ("csrf_token", "sha256", "filename", "kind", "period", "action")}
    data.update({f"column-{name}": heading for name, heading in columns.items()})
    return client.post("/upload/columns", data=data)


@pytest.fixture
def officer(client, make_user):
    make_user("rmbc", "ann@rmbc.example", PASSWORD)
    sign_in(client, "ann@rmbc.example")
    return client


def test_unrecognised_headings_lead_to_a_mapping_step_prefilled_with_guesses_and_samples(officer):
    response = upload(officer, CODED)

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Choose the columns of your file" in page
    assert selected(page, "payment_date") == "PAYDT"
    assert selected(page, "supplier_name") == "SUPPNM"
    assert "Rotherham Widgets Ltd; Acme Fabrication" in page  # sample values beside the heading
    assert "The file has no column for the payment date" in page


def test_the_chosen_columns_read_the_file_and_the_next_file_with_those_headings_directly(
        officer):
    page = upload(officer, CODED).get_data(as_text=True)

    done = choose(officer, page, payment_date="PAYDT", amount="TRXAMT",
                  supplier_name="SUPPNM", supplier_id="SUPPID")

    result = done.get_data(as_text=True)
    assert done.status_code == 200 and "Return received" in result
    assert "£1,239.50" in result
    again = upload(officer, CODED.replace("1250.00", "99.00"), period="2021-22-Q4")
    text = again.get_data(as_text=True)
    assert "Return received" in text and "column mapping you saved on" in text
    listing = officer.get("/column-mappings").get_data(as_text=True)
    assert "PAYDT, SUPPID, SUPPNM, TRXAMT, COSTCTR" not in listing  # sorted, not as sent
    assert "COSTCTR, PAYDT, SUPPID, SUPPNM, TRXAMT" in listing
    assert "TRXAMT" in listing and "Not in the file" in listing


def test_a_needed_field_left_without_a_column_shows_the_step_again_with_an_error(officer):
    page = upload(officer, CODED).get_data(as_text=True)

    response = choose(officer, page, payment_date="PAYDT", amount="", supplier_name="SUPPNM")

    again = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in again and "Choose the column that holds the amount" in again
    assert selected(again, "payment_date") == "PAYDT"


def test_one_column_chosen_for_two_fields_is_refused(officer):
    page = upload(officer, CODED).get_data(as_text=True)
    response = choose(officer, page, payment_date="PAYDT", amount="TRXAMT",
                      supplier_name="SUPPNM", supplier_id="SUPPNM")
    assert response.status_code == 400
    assert "already chosen for the supplier name" in response.get_data(as_text=True)


def test_a_file_not_sent_in_this_session_cannot_be_mapped(app, officer, make_user):
    page = upload(officer, CODED).get_data(as_text=True)
    make_user("scc", "bob@scc.example", PASSWORD)
    stranger = app.test_client()
    sign_in(stranger, "bob@scc.example")
    token = csrf_from(stranger.get("/upload").get_data(as_text=True))
    response = stranger.post("/upload/columns", data={
        "csrf_token": token, "sha256": hidden(page, "sha256"), "kind": "spend",
        "period": "2021-22-Q3", "action": "submit", "column-payment_date": "PAYDT",
        "column-amount": "TRXAMT", "column-supplier_name": "SUPPNM"})
    assert response.status_code == 404


def test_a_saved_mapping_is_deleted_from_its_page_and_not_by_another_partner(
        app, officer, make_user, uow):
    page = upload(officer, CODED).get_data(as_text=True)
    choose(officer, page, payment_date="PAYDT", amount="TRXAMT", supplier_name="SUPPNM")
    with uow:
        [saved] = uow.mappings.for_partner(uow.partners.get("rmbc").id)
        mapping_id = saved.id
    make_user("scc", "bob@scc.example", PASSWORD)
    stranger = app.test_client()
    sign_in(stranger, "bob@scc.example")
    token = csrf_from(stranger.get("/upload").get_data(as_text=True))
    assert stranger.post(f"/column-mappings/{mapping_id}/delete",
                         data={"csrf_token": token}).status_code == 404

    listing = officer.get("/column-mappings").get_data(as_text=True)
    response = officer.post(f"/column-mappings/{mapping_id}/delete",
                            data={"csrf_token": csrf_from(listing)})

    assert response.status_code == 302
    assert "You have no saved column mappings" in officer.get("/column-mappings").get_data(
        as_text=True)
    assert "Choose the columns of your file" in upload(officer, CODED, period="2021-22-Q4"
                                                       ).get_data(as_text=True)


def test_a_check_needing_a_mapping_keeps_only_the_bytes_the_step_reads_and_stores_no_return(
        officer, uow):
    from exchange.context import get_blobs
    from tests.api.returns_support import sha256

    data = CODED + "16/11/2021,twelve,Bad Amount Ltd,S3,CC3\n"
    page = upload(officer, data, action="check").get_data(as_text=True)
    assert "Choose the columns of your file" in page
    assert get_blobs().exists(sha256(data))  # the step reads them again

    done = choose(officer, page, payment_date="PAY_DT", amount="TRX_AMT",
                  supplier_name="SUPP_NM", supplier_id="SUPP_ID").get_data(as_text=True)

    assert "nothing was stored" in done and "twelve" in done
    with uow:
        assert uow.returns.for_partner(uow.partners.get("rmbc").id) == []
    link = done.split('href="/upload/check/')[1].split('"')[0]
    assert ",twelve," in officer.get("/upload/check/" + link).get_data(as_text=True)
