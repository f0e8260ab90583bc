"""The shared data standard: five kinds of return, each field named, labelled and explained."""

import pytest
from marshmallow import Schema, ValidationError

import schemas
from schemas import KINDS, ReturnEnvelopeSchema, schema_for
from schemas.fields import Period

FIELD_NAMES = {
    "spend": [
        "payment_date", "amount", "supplier_name", "supplier_id", "company_number",
        "charity_number", "vat_number", "supplier_postcode", "expense_type", "service_area",
        "transaction_reference", "irrecoverable_vat", "capital_revenue", "procurement_card",
    ],
    "suppliers": [
        "supplier_id", "supplier_name", "company_number", "charity_number", "vat_number",
        "site_postcode", "registered_postcode", "sme", "vcse",
    ],
    "commitments": [
        "commitment", "status", "target", "actual", "unit", "evidence", "evidence_url",
        "date_achieved",
    ],
    "measures": ["measure", "value", "unit", "note"],
    "contributions": [
        "contributor_name", "contributor_org_id", "contributor_postcode", "contribution_type",
        "quantity", "value", "beneficiary", "locality", "contribution_date",
    ],
}
REQUIRED = {
    "spend": {"payment_date", "amount", "supplier_name"},
    "suppliers": {"supplier_id", "supplier_name"},
    "commitments": {"commitment", "status"},
    "measures": {"measure", "value"},
    "contributions": {"contributor_name", "contribution_type"},
}


def test_the_registry_names_the_five_kinds_of_return():
    assert list(KINDS) == ["spend", "suppliers", "commitments", "measures", "contributions"]
    assert KINDS["spend"] is schemas.SpendRowSchema


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_has_exactly_the_standard_field_names_in_order(kind):
    assert list(KINDS[kind]().fields) == FIELD_NAMES[kind]


@pytest.mark.parametrize("kind", KINDS)
def test_required_fields_are_the_ones_a_row_cannot_do_without(kind):
    fields = KINDS[kind]().fields
    assert {name for name, field in fields.items() if field.required} == REQUIRED[kind]


@pytest.mark.parametrize("kind", KINDS)
def test_every_field_has_a_label_a_description_and_an_example(kind):
    for name, field in KINDS[kind]().fields.items():
        meta = field.metadata
        assert meta["label"] and meta["description"] and meta["example"], name
        assert meta["label"][0].isupper(), name


@pytest.mark.parametrize("kind", KINDS)
def test_the_example_row_loads_through_marshmallow(kind):
    schema = KINDS[kind]()
    example = {name: field.metadata["example"] for name, field in schema.fields.items()}
    loaded = schema.load(example)
    assert set(loaded) == set(example)


def test_optional_fields_may_be_left_out_or_null():
    loaded = KINDS["spend"]().load({
        "payment_date": "2021-10-14", "amount": "-12.5", "supplier_name": "ACME",
        "vat_number": None,
    })
    assert str(loaded["amount"]) == "-12.50"
    assert loaded["company_number"] is None and loaded["vat_number"] is None


def test_a_contribution_needs_a_quantity_or_a_value():
    with pytest.raises(ValidationError, match="quantity"):
        KINDS["contributions"]().load(
            {"contributor_name": "ACME", "contribution_type": "cash_donation"})


def test_labels_give_the_template_headers_in_column_order():
    labels = KINDS["spend"].labels()
    assert list(labels)[:3] == ["payment_date", "amount", "supplier_name"]
    assert labels["payment_date"] == "Payment date"


def test_an_unknown_kind_is_refused_by_name():
    with pytest.raises(KeyError, match="unknown kind of return 'payroll'"):
        schema_for("payroll")


def test_a_json_envelope_carries_kind_period_and_rows():
    loaded = ReturnEnvelopeSchema().load(
        {"kind": "spend", "period": "2021-22-Q3", "rows": [{"amount": "12.00"}]})
    assert loaded["period"] == "2021-22-Q3"
    assert loaded["rows"] == [{"amount": "12.00"}]


@pytest.mark.parametrize(("period", "message"), [
    ("2021-23-Q1", "must be consecutive"),
    ("2021-22-Q5", "Write a quarter like 2021-22-Q3"),
    ("Q3", "Write a quarter like 2021-22-Q3"),
    ("2021-22", "Write a quarter like 2021-22-Q3"),
])
def test_an_envelope_with_a_wrong_period_is_rejected(period, message):
    with pytest.raises(ValidationError, match=message):
        ReturnEnvelopeSchema().load({"kind": "spend", "period": period, "rows": []})


def test_an_envelope_of_an_unknown_kind_is_rejected():
    with pytest.raises(ValidationError) as err:
        ReturnEnvelopeSchema().load({"kind": "payroll", "period": "2021-22-Q3", "rows": []})
    assert "kind" in err.value.messages


def test_a_period_field_can_allow_whole_financial_years():
    class Report(Schema):
        period = Period(years=True)

    assert Report().load({"period": "2021-22"}) == {"period": "2021-22"}
    with pytest.raises(ValidationError, match="must be consecutive"):
        Report().load({"period": "2021-23"})
