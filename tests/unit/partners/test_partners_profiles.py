"""Profiles, the hub template, overrides, and the rows an adapter sets aside."""

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partners import FIELDS, PROFILES, REQUIRED, UnreadableFile, read_table
from partners.fields import normalise_header
from partners.lines import TOTAL_NAMES
from partners.template.labels import LABELS


def _table(text: str, kind="spend", **options):
    table = read_table(io.BytesIO(text.encode()), kind, **options)
    return table, list(table.rows)


def test_registry_holds_the_generic_profiles_and_lambeth():
    assert {"template", "transparency", "hmt25k", "lambeth"} <= set(PROFILES)


def test_template_labels_cover_every_standard_field_in_order():
    assert {kind: tuple(labels) for kind, labels in LABELS.items()} == FIELDS


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_no_heading_means_two_different_fields_in_any_profile(name):
    profile = PROFILES[name]
    for kind, fields in profile.aliases.items():
        seen: dict[str, str] = {}
        for field_name, aliases in fields.items():
            assert field_name in FIELDS[kind]
            for alias in aliases:
                assert seen.setdefault(normalise_header(alias), field_name) == field_name, alias


def test_hub_template_with_labels_reads_every_column(fixture_path):
    table = read_table(fixture_path("template/spend.csv").open("rb"), "spend")
    rows = list(table.rows)
    assert table.profile == "template"
    assert list(table.columns) == list(FIELDS["spend"])
    assert table.ignored == []
    assert [number for number, _ in rows] == [2, 3, 4, 6]
    assert table.skipped == [(5, "Blank row")]
    assert rows[2][1]["amount"] == "(42.00)"  # raw: the validator reads brackets as negative
    assert rows[3][1]["supplier_name"] == "Doncaster Caterers, Ltd"


def test_hub_template_with_field_names_as_headings_is_the_template(fixture_path):
    table = read_table(fixture_path("template/spend_field_names.csv").open("rb"), "spend")
    assert table.profile == "template"
    assert list(table.rows)[1] == (
        3,
        {
            "payment_date": "2024-04-09",
            "amount": "99.99",
            "supplier_name": "Rotherham Print Co",
            "supplier_id": "S1004",
            "company_number": "",
        },
    )


def test_template_headings_plus_an_unknown_column_fall_back_to_transparency():
    text = "Payment date,Amount (GBP),Supplier name,Cost centre code\r\n2024-04-01,1,Acme,CC1\r\n"
    table, _ = _table(text)
    assert table.profile == "transparency"
    assert [column.header for column in table.ignored] == ["Cost centre code"]
    forced, _ = _table(text, profile="template")
    assert forced.profile == "template"


def test_measures_and_contributions_templates_are_read(fixture_path):
    measures = read_table(fixture_path("template/measures.csv").open("rb"), "measures")
    assert [row["measure"] for _, row in measures.rows] == [
        "living_wage_employees",
        "apprenticeship_starts",
    ]
    contributions = read_table(
        fixture_path("template/contributions.json").open("rb"), "contributions"
    )
    assert [row["value"] for _, row in contributions.rows] == ["", "2500.00"]


@pytest.mark.parametrize(
    ("kind", "headings", "missing"),
    [
        ("suppliers", "Supplier name,Company number", "supplier id"),
        ("commitments", "Commitment,Target", "status"),
        ("measures", "Measure,Unit", "value"),
        ("contributions", "Contributor name,Contribution type,Beneficiary", "quantity or value"),
    ],
)
def test_each_kind_needs_its_own_columns(kind, headings, missing):
    with pytest.raises(UnreadableFile, match=f"no column for the {missing}"):
        _table(headings + "\r\nx,y,z\r\n", kind)


def test_each_kind_accepts_its_required_columns_alone():
    for kind, groups in REQUIRED.items():
        headings = ",".join(LABELS[kind][group[0]] for group in groups)
        table, rows = _table(headings + "\r\n" + ",".join("x" for _ in groups) + "\r\n", kind)
        assert table.profile == "template" and len(rows) == 1, kind


def test_net_amount_is_preferred_to_plain_amount_and_gross_is_never_taken():
    text = "Date Paid,Gross Amount,Amount,Net Amount,Supplier\r\n01/04/2024,120,100,100,Acme\r\n"
    table, rows = _table(text)
    assert table.columns["amount"].header == "Net Amount"
    assert {column.header for column in table.ignored} == {"Gross Amount", "Amount"}
    assert any("'Amount' (column C) was not used" in note for note in table.notes)


def test_total_and_subtotal_lines_are_skipped_and_reading_carries_on():
    text = (
        "Payment Date,Amount,Supplier Name,Directorate\r\n"
        "01/04/2024,10.00,Acme,Place\r\n"
        ",10.00,,Sub-total\r\n"
        "02/04/2024,5.00,Beta,People\r\n"
        "Grand Total,15.00,,\r\n"
    )
    table, rows = _table(text)
    assert [number for number, _ in rows] == [2, 4]
    assert table.skipped == [
        (3, "A total line ('Sub-total'), not a payment"),
        (5, "A total line ('Grand Total'), not a payment"),
    ]


def test_repeated_heading_rows_from_joined_exports_are_skipped():
    heading = "Payment Date,Amount,Supplier Name\r\n"
    table, rows = _table(heading + "01/04/2024,1,Acme\r\n" + heading + "02/04/2024,2,Beta\r\n")
    assert [number for number, _ in rows] == [2, 4]
    assert table.skipped == [(3, "The column headings again")]


def test_row_with_a_missing_amount_is_still_yielded_for_the_validator():
    _, rows = _table("Payment Date,Amount,Supplier Name\r\n01/04/2024,,Acme\r\n")
    assert rows == [(2, {"payment_date": "01/04/2024", "amount": "", "supplier_name": "Acme"})]


# --- Overrides and forced profiles --------------------------------------------------------------


def test_override_wins_over_the_profile_and_frees_the_column_it_displaced(real_spend):
    with real_spend("leeds/leeds_raw_2013-06.csv").open("rb") as stream:
        table = read_table(stream, "spend", overrides={"ExpenditureCategory": "expense_type"})
        first = next(table.rows)
    assert table.columns["expense_type"].letter == "E"
    assert "DetailedExpenditureType" in [column.header for column in table.ignored]
    assert first[1]["expense_type"] == "Supplies and Services"


def test_override_can_pick_the_first_of_two_columns_with_the_same_name(real_spend):
    with real_spend("wakefield/wakefield_clean_2017-Q3.csv").open("rb") as stream:
        table = read_table(
            stream, "spend", overrides={"procurement classification": "expense_type"}
        )
        first = next(table.rows)
    assert table.columns["expense_type"].letter == "S"
    assert first[1]["expense_type"] == "Transport"
    assert ("Procurement Classification", "U") in [(c.header, c.letter) for c in table.ignored]


def test_override_to_nothing_stops_a_column_being_read():
    text = "Date,Amount,Net Amount,Supplier\r\n01/04/2024,120,100,Acme\r\n"
    table, rows = _table(text, overrides={"Net Amount": ""})
    assert table.columns["amount"].header == "Amount"
    assert rows[0][1]["amount"] == "120"


def test_override_can_supply_a_required_column_the_profile_does_not_know():
    text = "When,How much,Who\r\n01/04/2024,10,Acme\r\n"
    overrides = {"When": "payment_date", "How much": "amount", "Who": "supplier_name"}
    table, rows = _table(text, overrides=overrides)
    assert rows == [(2, {"payment_date": "01/04/2024", "amount": "10", "supplier_name": "Acme"})]


def test_override_naming_a_column_not_in_the_file_is_noted():
    text = "Payment Date,Amount,Supplier Name\r\n01/04/2024,1,Acme\r\n"
    table, _ = _table(text, overrides={"Vendor Ref": "supplier_id"})
    assert "The column 'Vendor Ref' named in your settings is not in this file." in table.notes


def test_override_naming_an_unknown_field_is_a_configuration_error():
    with pytest.raises(ValueError, match="do not have"):
        _table("a,b\r\n", overrides={"Amount": "amount_gbp"})


def test_forced_profile_is_used_even_when_another_would_be_detected(fixture_path):
    path = fixture_path("hmt25k/cabinet_office_clean_2022-07.csv")
    table = read_table(path.open("rb"), "spend", profile="transparency")
    assert table.profile == "transparency" and len(list(table.rows)) == 318


def test_forced_profile_that_does_not_fit_says_which_columns_are_missing():
    with pytest.raises(UnreadableFile, match="no column for the payment date"):
        _table("AUGDT,DMBTR,NAME1\r\n01/04/2024,1.00,Acme\r\n", profile="hmt25k")


def test_forced_hm_treasury_profile_still_knows_every_heading_of_the_table(real_spend):
    # An NHS trust configured with the HM Treasury layout that sends a council-style file.
    path = real_spend("oxford_city_council/expenditure-over-500-apr-jun-2015.csv")
    with path.open("rb") as f:
        table = read_table(f, "spend", profile="hmt25k")
        assert len(list(table.rows)) == 3993
    assert table.columns["payment_date"].header == "Paid Date"
    assert table.columns["supplier_id"].header == "Supplier ID"


def test_unknown_profile_is_a_configuration_error():
    with pytest.raises(ValueError, match="unknown profile"):
        _table("a\r\n", profile="acme")


# --- Property: whatever the cells hold, the template gives them back ----------------------------

_text = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff"))
_key = _text.map(str.strip).filter(bool)
# A supplier column holding a total's label alone ('Subtotal') marks a totals row, which the
# reader sets aside with a reason (tests/unit/partners/test_partners_lines.py).
_supplier = _key.filter(lambda name: name not in TOTAL_NAMES)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_key, _key, _supplier, _text, _text), min_size=1, max_size=20))
def test_template_csv_gives_back_exactly_the_stripped_cells_written(rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["Payment date", "Amount (GBP)", "Supplier name", "Supplier ID", "Service area"]
    )
    writer.writerows(rows)
    table, read = _table(out.getvalue())
    fields = ("payment_date", "amount", "supplier_name", "supplier_id", "service_area")
    assert read == [
        (number, dict(zip(fields, (cell.strip() for cell in row), strict=True)))
        for number, row in enumerate(rows, 2)
    ]


@pytest.mark.parametrize("kind", sorted(FIELDS))
def test_blank_templates_the_hub_hands_out_are_read_back_as_the_template(kind):
    # schemas/templates.py writes the headings; this catches the two sets of labels drifting apart.
    from schemas.templates import csv_template, xlsx_template

    for template in (csv_template(kind), xlsx_template(kind)):
        table = read_table(io.BytesIO(template), kind)
        rows = list(table.rows)
        assert table.profile == "template"
        assert list(table.columns) == list(FIELDS[kind])
        assert [number for number, _ in rows] == [2]
