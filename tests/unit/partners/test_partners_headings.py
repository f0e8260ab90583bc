"""The heading table (partners/headings.toml): how headings are matched, and a corpus of heading
layouts made from real files (renamed, reordered, with extra columns) and from the files of
organisations the hub has no file from, each read to the right fields."""

import csv
import io
import json
import tomllib
from pathlib import Path

import openpyxl
import pytest

from config.default import CONFIG_DIR
from partners import FIELDS, PROFILES, read_table
from partners.fields import normalise_header
from partners.headings import expand, headings, loosen
from partners.template.labels import LABELS


@pytest.mark.parametrize(("written", "same_as"), [
    ("AMOUNT", "Amount"),
    ("Amount (£)", "Amount"),
    ("Amount [GBP]", "Amount"),
    ("amount (in GBP)", "Amount"),
    ("Net  Amount   £", "Net Amount"),
    ("supplier_name", "Supplier Name"),
    ("Supplier-Name.", "Supplier Name"),
    ("SupplierName", "Supplier Name"),
    (" payment date ", "Payment Date"),
])
def test_matching_ignores_case_punctuation_spaces_and_currency_units_in_brackets(
        written, same_as):
    assert normalise_header(written) == normalise_header(same_as)


def test_brackets_that_are_not_a_currency_unit_still_count():
    assert normalise_header("Amount (ex VAT)") != normalise_header("Amount (inc VAT)")


def test_every_kind_has_headings_for_each_of_its_fields_in_the_table():
    table = headings()
    for kind, fields in FIELDS.items():
        assert set(table[kind]) == set(fields), kind


@pytest.mark.parametrize("name", sorted(PROFILES))
@pytest.mark.parametrize("kind", sorted(FIELDS))
def test_every_profile_reads_the_standards_own_field_names_and_labels_for_every_kind(name, kind):
    lookup = PROFILES[name].lookup(kind)
    for field_name in FIELDS[kind]:
        assert lookup[normalise_header(field_name)][0] == field_name
        assert lookup[normalise_header(LABELS[kind][field_name])][0] == field_name


def test_no_heading_of_the_table_or_of_the_standard_means_two_fields_of_one_kind():
    for kind, fields in headings().items():
        seen: dict[str, str] = {}
        names = {name: [*texts, name, LABELS[kind][name]] for name, texts in fields.items()}
        for field_name, texts in names.items():
            for text in texts:
                assert seen.setdefault(normalise_header(text), field_name) == field_name, (
                    kind, text)


def test_gross_amounts_and_the_publication_date_are_never_taken():
    lookup = PROFILES["transparency"].lookup("spend")
    for heading in ("Gross Amount", "Amount inc VAT", "Gross", "Effective Date",
                    "Organisation Name", "Entity", "Department Family"):
        assert normalise_header(heading) not in lookup, heading


# --- The corpus: heading layouts, each with the field every heading should feed ---------------

# (what it is, headings, {field: heading it comes from}); columns not named are read by nobody.
LAYOUTS = [
    ("cabinet office, reordered", ["Supplier", "Amount", "Date", "Expense Type", "Expense Area",
                                   "Transaction number", "Entity", "Departmental Family"],
     {"supplier_name": "Supplier", "amount": "Amount", "payment_date": "Date",
      "expense_type": "Expense Type", "service_area": "Expense Area",
      "transaction_reference": "Transaction number"}),
    ("calderdale, cut down and renamed", ["Body", "Organisation Name", "Date", "Net Amount (£)",
                                          "Irrecoverable VAT", "Supplier(Beneficiary) Name",
                                          "Supplier Registered Company Number", "Supplier ID",
                                          "VAT Registration Number", "Expense Area"],
     {"payment_date": "Date", "amount": "Net Amount (£)", "irrecoverable_vat": "Irrecoverable VAT",
      "supplier_name": "Supplier(Beneficiary) Name",
      "company_number": "Supplier Registered Company Number", "supplier_id": "Supplier ID",
      "vat_number": "VAT Registration Number", "service_area": "Expense Area"}),
    ("leeds 2011, spaced", ["Body", "Body name", "Service label", "Expenditure category",
                            "Date paid", "Transaction number", "Net amount",
                            "Capital or revenue", "Supplier name"],
     {"service_area": "Service label", "expense_type": "Expenditure category",
      "payment_date": "Date paid", "transaction_reference": "Transaction number",
      "amount": "Net amount", "capital_revenue": "Capital or revenue",
      "supplier_name": "Supplier name"}),
    ("leeds 2013, run together", ["BodyName", "ServiceLabel", "ExpenditureCategory", "DatePaid",
                                  "TransactionNumber", "NetAmount", "SupplierName"],
     {"service_area": "ServiceLabel", "expense_type": "ExpenditureCategory",
      "payment_date": "DatePaid", "transaction_reference": "TransactionNumber",
      "amount": "NetAmount", "supplier_name": "SupplierName"}),
    ("leeds 2020, with effective date", ["Organisation Label", "Effective Date",
                                         "Organisational Unit", "Purpose", "Payment Date",
                                         "Irrecoverable VAT Amount", "Amount", "Beneficiary Name",
                                         "Procurement Card"],
     {"service_area": "Organisational Unit", "expense_type": "Purpose",
      "payment_date": "Payment Date", "irrecoverable_vat": "Irrecoverable VAT Amount",
      "amount": "Amount", "supplier_name": "Beneficiary Name",
      "procurement_card": "Procurement Card"}),
    ("oxford, snake case", ["body_name", "organisational_unit", "expenditure_category",
                            "paid_date", "trans_no", "amount", "supplier_id", "supplier_name"],
     {"service_area": "organisational_unit", "expense_type": "expenditure_category",
      "payment_date": "paid_date", "transaction_reference": "trans_no", "amount": "amount",
      "supplier_id": "supplier_id", "supplier_name": "supplier_name"}),
    ("oxford 2017, typo kept", ["Service Area", "Expenditure Catergory", "Paid Date", "Trans No",
                                "Amount", "Type of Expenditure", "Supplier ID", "Supplier Name"],
     {"service_area": "Service Area", "expense_type": "Expenditure Catergory",
      "payment_date": "Paid Date", "capital_revenue": "Type of Expenditure"}),
    ("sheffield 2012, ledger export", ["Business Unit Description", "Expense Code Description",
                                       "GL Date", "Document No", "Invoiced Value",
                                       "Supplier Name", "Address Book No."],
     {"service_area": "Business Unit Description", "expense_type": "Expense Code Description",
      "payment_date": "GL Date", "transaction_reference": "Document No",
      "amount": "Invoiced Value", "supplier_id": "Address Book No."}),
    ("sheffield 2021, upper case", ["PAYMENT DATE", "AMOUNT", "ORGANISATIONAL UNIT",
                                    "BENEFICIARY NAME", "COMPANY NUMBER", "CHARITY NUMBER"],
     {"payment_date": "PAYMENT DATE", "amount": "AMOUNT", "supplier_name": "BENEFICIARY NAME",
      "company_number": "COMPANY NUMBER", "charity_number": "CHARITY NUMBER"}),
    ("trafford, LGA schema names", ["OrganisationLabel", "EffectiveDate", "OrganisationalUnit",
                                    "BeneficiaryName", "BeneficiaryOtherID", "PaymentDate",
                                    "TransactionNumber", "Amount", "IrrecoverableVATAmount",
                                    "Purpose", "ProclassLabel", "VATRegistrationNumber"],
     {"supplier_id": "BeneficiaryOtherID", "payment_date": "PaymentDate",
      "expense_type": "Purpose", "vat_number": "VATRegistrationNumber"}),
    ("wakefield, duplicate headings", ["Directorate", "Supplier Name", "Supplier ID",
                                       "Company Registration", "Charity Registration",
                                       "Payment Date", "Net Amount", "Purpose of Spend",
                                       "Procurement Classification", "Procurement Classification"],
     {"service_area": "Directorate", "company_number": "Company Registration",
      "charity_number": "Charity Registration", "amount": "Net Amount",
      "expense_type": "Purpose of Spend"}),
    ("net and gross and plain amount", ["Date Paid", "Gross Amount", "Amount", "Net Amount",
                                        "Supplier"],
     {"payment_date": "Date Paid", "amount": "Net Amount", "supplier_name": "Supplier"}),
    ("repeated spaces and stray punctuation", ["Payment  Date", " Supplier   Name ",
                                               "Net-Amount.", "V.A.T. Reg. No."],
     {"payment_date": "Payment  Date", "supplier_name": "Supplier   Name",
      "amount": "Net-Amount.", "vat_number": "V.A.T. Reg. No."}),
    ("district council", ["Body Name", "Date", "Transaction Number", "Invoice Number",
                          "Amount (£)", "Supplier Name", "Supplier ID",
                          "VAT Registration Number", "Expense Area", "Expense Type",
                          "Expense Code"],
     {"payment_date": "Date", "transaction_reference": "Transaction Number",
      "amount": "Amount (£)", "supplier_name": "Supplier Name", "supplier_id": "Supplier ID",
      "vat_number": "VAT Registration Number", "service_area": "Expense Area",
      "expense_type": "Expense Type"}),
    ("district council, agresso export", ["Body name", "Transaction date",
                                          "Supplier (beneficiary)", "Transaction number",
                                          "Net amount", "Irrecoverable VAT",
                                          "Department or service", "Procurement category",
                                          "CIPFA expenditure code", "Card transaction"],
     {"payment_date": "Transaction date", "supplier_name": "Supplier (beneficiary)",
      "transaction_reference": "Transaction number", "amount": "Net amount",
      "irrecoverable_vat": "Irrecoverable VAT", "service_area": "Department or service",
      "expense_type": "Procurement category", "procurement_card": "Card transaction"}),
    ("district council, service orgs", ["Theme", "Body", "Company", "Service Area Org",
                                        "Service Division Org", "Responsible Unit",
                                        "Expense Type", "Detailed Expense Typ", "Narrative",
                                        "Payment Date", "Transaction Number", "Amount",
                                        "Capital / Revenue", "Supplier Name", "Cost Centre"],
     {"service_area": "Service Area Org", "expense_type": "Expense Type",
      "payment_date": "Payment Date", "capital_revenue": "Capital / Revenue",
      "supplier_name": "Supplier Name"}),
    ("national rail operator, HM Treasury layout", ["Department Family", "Entity",
                                                    "Date of Payment", "Expense Type",
                                                    "Expense Area", "Supplier",
                                                    "Transaction Number", "Amount",
                                                    "Description", "Supplier Postcode"],
     {"payment_date": "Date of Payment", "supplier_name": "Supplier",
      "supplier_postcode": "Supplier Postcode", "amount": "Amount"}),
    ("transport authority", ["Entity", "Vendor ID", "Vendor Name", "Expenditure Account",
                             "Clearing Date", "Document Number", "Amount",
                             "Merchant Category"],
     {"supplier_id": "Vendor ID", "supplier_name": "Vendor Name",
      "expense_type": "Expenditure Account", "payment_date": "Clearing Date",
      "transaction_reference": "Document Number", "amount": "Amount"}),
    ("government department, total column", ["Department family", "Entity", "Payment Date",
                                             "Expense type", "Expense area", "Supplier",
                                             "Transaction number", "Total",
                                             "VAT Registration Number"],
     {"payment_date": "Payment Date", "amount": "Total", "supplier_name": "Supplier",
      "vat_number": "VAT Registration Number"}),
    ("procurement card statement", ["Transaction Date", "Merchant Name", "Merchant Category",
                                    "Amount (£)", "Cardholder Directorate"],
     {"payment_date": "Transaction Date", "supplier_name": "Merchant Name",
      "expense_type": "Merchant Category", "amount": "Amount (£)"}),
    ("civica creditors", ["Creditor Number", "Creditor Name", "Payment Run Date", "Net Amount",
                          "Cost Centre Description", "Subjective Description"],
     {"supplier_id": "Creditor Number", "supplier_name": "Creditor Name",
      "payment_date": "Payment Run Date", "service_area": "Cost Centre Description",
      "expense_type": "Subjective Description"}),
    ("oracle payables", ["VENDOR_NAME", "VENDOR_NUM", "CHECK_DATE", "CHECK_NUMBER",
                         "INVOICE_NUM", "AMOUNT_PAID"],
     {"supplier_name": "VENDOR_NAME", "supplier_id": "VENDOR_NUM", "payment_date": "CHECK_DATE",
      "transaction_reference": "CHECK_NUMBER", "amount": "AMOUNT_PAID"}),
    ("agresso / unit4", ["apar_id", "apar_name", "voucher_no", "trans_date", "amount", "dim_1"],
     {"supplier_id": "apar_id", "supplier_name": "apar_name",
      "transaction_reference": "voucher_no", "payment_date": "trans_date", "amount": "amount"}),
    ("sap, posting date and local currency", ["Document Number", "Posting Date", "Vendor Name",
                                              "Vendor Number", "Amount in LC", "Cost Centre"],
     {"transaction_reference": "Document Number", "payment_date": "Posting Date",
      "supplier_name": "Vendor Name", "supplier_id": "Vendor Number", "amount": "Amount in LC",
      "service_area": "Cost Centre"}),
    ("coded ledger export", ["PAY_DT", "TRX_AMT", "SUPP_NM", "SUPP_ID", "COST_CTR"],
     {"payment_date": "PAY_DT", "amount": "TRX_AMT", "supplier_name": "SUPP_NM",
      "supplier_id": "SUPP_ID", "service_area": "COST_CTR"}),
    ("coded creditors", ["TXN_DT", "NET_AMT", "CRED_NM", "CRED_NO", "VAT_REG_NO"],
     {"payment_date": "TXN_DT", "amount": "NET_AMT", "supplier_name": "CRED_NM",
      "supplier_id": "CRED_NO", "vat_number": "VAT_REG_NO"}),
    ("coded, a heading in full beside them", ["PAY_DT", "Payment Date", "VNDR_NM", "DOC_NO",
                                              "INV_VAL"],
     {"payment_date": "Payment Date", "supplier_name": "VNDR_NM",
      "transaction_reference": "DOC_NO", "amount": "INV_VAL"}),
    ("nhs trust, payee and value", ["Payee", "Value", "Date Paid", "Payee Postcode",
                                    "Department", "Purchase Card"],
     {"supplier_name": "Payee", "amount": "Value", "payment_date": "Date Paid",
      "supplier_postcode": "Payee Postcode", "service_area": "Department",
      "procurement_card": "Purchase Card"}),
]


def _cell(heading: str, index: int) -> str:
    return f"{index}-{heading.strip()}"


def _as_csv(header: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerow([_cell(h, i) for i, h in enumerate(header)])
    return out.getvalue().encode()


def _as_xlsx(header: list[str]) -> bytes:
    book = openpyxl.Workbook()
    book.active.append(header)
    book.active.append([_cell(h, i) for i, h in enumerate(header)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_corpus_holds_at_least_twenty_layouts():
    assert len(LAYOUTS) >= 20
    assert len({name for name, _, _ in LAYOUTS}) == len(LAYOUTS)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(("name", "header", "expected"), LAYOUTS,
                         ids=[layout[0] for layout in LAYOUTS])
def test_each_heading_layout_of_the_corpus_feeds_the_right_fields(name, header, expected, fmt):
    data = _as_csv(header) if fmt == "csv" else _as_xlsx(header)
    table = read_table(io.BytesIO(data), "spend", filename=f"r.{fmt}")
    [(number, row)] = list(table.rows)
    assert number == 2
    for field_name, heading in expected.items():
        column = table.columns[field_name]
        assert column.header == heading.strip(), field_name
        assert row[field_name] == _cell(heading, column.index), field_name
    assert {"payment_date", "amount", "supplier_name"} <= set(table.columns)


def test_coded_headings_read_by_writing_out_abbreviations_are_named_in_a_note():
    table = read_table(io.BytesIO(_as_csv(["PAY_DT", "Payment Date", "NET_AMT", "SUPP_NM"])),
                       "spend")
    [note] = [n for n in table.notes if "near matches" in n]
    assert "'NET_AMT' (column C) as the amount" in note
    assert "'SUPP_NM' (column D) as the supplier name" in note
    assert "PAY_DT" not in note  # the payment date came from the heading written in full
    assert any("'PAY_DT' (column A) was not used" in n for n in table.notes)


@pytest.mark.parametrize(("heading", "field"), [
    ("Supplier Name (where not personal data)", "supplier_name"),
    ("Net Amount [see notes]", "amount"),
    ("Amount (net of VAT)", "amount"),
    ("Payment Date (dd/mm/yyyy)", "payment_date"),
])
def test_words_in_brackets_are_left_out_of_a_heading_the_table_lacks(heading, field):
    plain = {"payment_date": "Paid Date", "amount": "Amount Paid", "supplier_name": "Payee"}
    header = [heading if name == field else text for name, text in plain.items()]
    table = read_table(io.BytesIO(_as_csv(header)), "spend")
    assert table.columns[field].header == heading
    assert any("near matches" in note and heading in note for note in table.notes)


@pytest.mark.parametrize("heading", ["Amount (inc VAT)", "Amount (Gross)", "Total (incl. VAT)",
                                     "Value (VAT)"])
def test_brackets_saying_gross_or_with_vat_are_never_left_out(heading):
    assert loosen(heading) is None


@pytest.mark.parametrize("heading", ["AMT", "NO", "DT", "AMT_X1", "GRS_AMT", "VAT_AMT"])
def test_one_word_codes_and_codes_that_write_out_to_no_heading_are_not_read(heading):
    lookup = PROFILES["transparency"].lookup("spend")
    assert expand(heading) not in lookup


def test_the_hub_template_is_never_detected_from_coded_headings():
    table = read_table(io.BytesIO(_as_csv(["PAY_DT", "AMT_GBP", "SUPP_NM"])), "spend")
    assert table.profile != "template"


# --- Every real file: the headings the three key fields are read from -------------------------

# file -> (payment date, amount, supplier name) headings; None where the file is refused before
# its headings matter. New files in the folder must be added here (the last test checks).
REAL_HEADINGS = {
    "cabinet_office_25k/cabinet_office_clean_2022-07.csv": ("Date", "Amount", "Supplier"),
    "calderdale/calderdale_clean_2022-08.csv": ("Date", "Net Amount",
                                                "Supplier(Beneficiary) Name"),
    # A summary by supplier (Supplier Name, Sum of Invoice Nett Amount): refused as such, in
    # test_partners_real_spend.py and tests/api/test_returns_real_files.py.
    "lambeth/2011-01-payments.csv": None,
    "lambeth/2012-06-payments.csv": ("Invoice Creation Date", "Invoice Nett Amount",
                                     "Supplier Name"),
    "leeds/leeds_raw_2011-09.csv": ("Date paid", "Net amount", "Supplier name"),
    "leeds/leeds_raw_2013-06.csv": ("DatePaid", "NetAmount", "SupplierName"),
    "leeds/leeds_raw_2020-06.csv": ("Payment Date", "Amount", "Beneficiary Name"),
    "oxford_city_council/expenditure-over-500-apr-jun-2014.csv": ("Paid Date", "Amount",
                                                                  "Supplier Name"),
    "oxford_city_council/expenditure-over-500-apr-jun-2015.csv": ("Paid Date", "Amount",
                                                                  "Supplier Name"),
    "oxford_city_council/expenditure-over-500-jan-mar-2014.csv": ("paid_date", "amount",
                                                                  "supplier_name"),
    "oxford_city_council/expenditure-over-500-jan-mar-2017.csv": ("Paid Date", "Amount",
                                                                  "Supplier Name"),
    "oxford_city_council/expenditure-over-500-oct-dec-2017.csv": ("Paid Date", "Amount",
                                                                  "Supplier Name"),
    "sheffield/sheffield_clean_2012-10_quarter.csv": ("GL Date", "Invoiced Value",
                                                      "Supplier Name"),
    "sheffield/sheffield_processed_2021-06.csv": ("Payment Date", "Amount", "Beneficiary Name"),
    "trafford/trafford_supplier_spend_2026-27_first5000rows.csv": ("PaymentDate", "Amount",
                                                                   "BeneficiaryName"),
    "wakefield/wakefield_clean_2017-Q3.csv": ("Payment Date", "Net Amount", "Supplier Name"),
}


@pytest.mark.parametrize("name", sorted(n for n, h in REAL_HEADINGS.items() if h),
                         ids=lambda name: name.split("/")[1])
def test_every_real_spend_file_has_its_key_fields_read_from_the_right_headings(real_spend, name):
    with real_spend(name).open("rb") as stream:
        table = read_table(stream, "spend", filename=name)
    found = tuple(table.columns[f].header for f in ("payment_date", "amount", "supplier_name"))
    assert found == REAL_HEADINGS[name]


def test_every_real_spend_file_in_the_folder_is_in_the_heading_table_above(real_spend):
    folder = real_spend("x").parent
    on_disk = {str(p.relative_to(folder)) for p in folder.glob("*/*") if p.suffix == ".csv"}
    assert on_disk == set(REAL_HEADINGS)


# --- The standard's own field names, for every partner's configured profile and every kind -----

def _configured_profiles() -> list[str | None]:
    entries = tomllib.loads((Path(CONFIG_DIR) / "partners.toml").read_text())["partner"]
    return sorted({entry.get("profile") for entry in entries}, key=str)


def _as_json(header: list[str]) -> bytes:
    return json.dumps([{h: _cell(h, i) for i, h in enumerate(header)}]).encode()


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
@pytest.mark.parametrize("kind", sorted(FIELDS))
@pytest.mark.parametrize("profile", _configured_profiles(), ids=str)
def test_the_standards_field_names_read_every_field_whatever_profile_a_partner_has(
        profile, kind, fmt):
    header = list(FIELDS[kind])
    data = {"csv": _as_csv, "xlsx": _as_xlsx, "json": _as_json}[fmt](header)
    table = read_table(io.BytesIO(data), kind, filename=f"r.{fmt}", profile=profile)
    [(_, row)] = list(table.rows)
    assert list(table.columns) == header
    assert row == {name: _cell(name, i) for i, name in enumerate(header)}
