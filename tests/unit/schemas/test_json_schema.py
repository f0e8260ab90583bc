"""JSON Schema generated from the marshmallow schemas, not written by hand."""

import pytest

from schemas import KINDS, json_schema


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_publishes_a_draft_2020_12_schema_of_its_fields(kind):
    schema = json_schema(kind)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"]
    assert schema["type"] == "object"
    assert list(schema["properties"]) == list(KINDS[kind]().fields)
    assert schema["additionalProperties"] is False


@pytest.mark.parametrize("kind", KINDS)
def test_required_titles_and_descriptions_come_from_the_marshmallow_fields(kind):
    schema = json_schema(kind)
    fields = KINDS[kind]().fields
    assert sorted(schema["required"]) == sorted(n for n, f in fields.items() if f.required)
    for name, field in fields.items():
        assert schema["properties"][name]["title"] == field.metadata["label"]
        assert schema["properties"][name]["description"] == field.metadata["description"]


def test_types_formats_choices_and_patterns_describe_the_canonical_values():
    props = json_schema("spend")["properties"]
    assert props["payment_date"] == props["payment_date"] | {"type": "string", "format": "date"}
    assert props["amount"]["type"] == "number"
    assert props["amount"]["examples"] == [1234.56]
    assert props["capital_revenue"]["enum"] == ["capital", "revenue", None]
    assert props["procurement_card"]["type"] == ["boolean", "null"]
    assert props["procurement_card"]["examples"] == [False]
    assert props["company_number"]["pattern"].startswith("^([0-9]{8}")
    assert props["supplier_postcode"]["type"] == ["string", "null"]
    assert props["supplier_name"]["maxLength"] == 300
    assert json_schema("commitments")["properties"]["evidence_url"]["format"] == "uri"


def test_the_envelope_schema_wraps_rows_of_one_kind():
    schema = json_schema("measures", envelope=True)
    assert schema["properties"]["kind"] == {"const": "measures", "title": "Kind of return"}
    assert schema["properties"]["rows"]["items"]["properties"].keys() == {
        "measure", "value", "unit", "note"}
    assert "$schema" not in schema["properties"]["rows"]["items"]
    assert schema["required"] == ["kind", "period", "rows"]


def test_callers_cannot_corrupt_the_cached_schema():
    json_schema("spend")["properties"].clear()
    assert json_schema("spend")["properties"]
