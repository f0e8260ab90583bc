"""The OpenAPI document is enough to use the API: valid OpenAPI 3, a guide with a quick start
and the meaning of its figures, and a documented body for every operation's success."""

import pytest
from openapi_spec_validator import validate

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def spec(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def operations(spec):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", operation


def resolve(spec, node: dict) -> dict:
    while "$ref" in node:
        section, name = node["$ref"].split("/")[-2:]
        node = spec["components"][section][name]
    return node


def test_the_document_is_valid_openapi(spec):
    validate(spec)


def test_every_operation_documents_a_success_body_with_a_schema(spec):
    missing = []
    for name, operation in operations(spec):
        successes = {code: resolve(spec, answer) for code, answer
                     in operation["responses"].items() if code.startswith("2")}
        documented = [code for code, answer in successes.items()
                      if code == "204" or any("schema" in media
                                              for media in answer.get("content", {}).values())]
        if not documented:
            missing.append(name)
    assert not missing, f"no 2xx response schema: {missing}"


def test_every_error_answer_an_operation_names_is_the_error_body(spec):
    wrong = []
    for name, operation in operations(spec):
        for code, answer in operation["responses"].items():
            if code[0] in "45":
                content = resolve(spec, answer).get("content", {})
                schema = content.get("application/json", {}).get("schema", {})
                refs = [schema.get("$ref"), *(s.get("$ref") for s in schema.get("anyOf", []))]
                if "#/components/schemas/Error" not in refs:
                    wrong.append(f"{name} {code}")
    assert not wrong, wrong


def test_the_guide_gives_a_quick_start_with_curl_lines(spec):
    guide = spec["info"]["description"]

    for step in ("grant_type=client_credentials", "-F kind=spend -F period=",
                 "/api/v1/views/partnership/", "/api/v1/feeds/south-yorkshire/releases"):
        assert step in guide
    assert guide.count("curl ") >= 4


def test_the_guide_says_what_suppressed_and_coverage_mean_and_how_numbers_are_typed(spec):
    guide = spec["info"]["description"]

    assert "## Disclosure control: `suppressed`" in guide and "fewer than 3 suppliers" in guide
    assert "`coverage`" in guide and "`located_share`" in guide and "`withheld`" in guide
    assert "decimal string" in guide and "from 0 to 1" in guide


def _properties(spec):
    for schema_name, schema in spec["components"]["schemas"].items():
        for field, prop in schema.get("properties", {}).items():
            yield f"{schema_name}.{field}", resolve(spec, prop)


def test_money_is_a_decimal_string_and_a_share_a_number_in_every_schema(spec):
    money = {name: prop for name, prop in _properties(spec)
             if "GBP" in prop.get("description", "")
             and prop.get("type") not in ("object", "array")}
    shares = {name: prop for name, prop in _properties(spec) if name.endswith("_share")}

    assert "SpendKpis.total_spend" in money and "Partner.spend_threshold" in money
    assert {name for name, prop in money.items() if prop.get("type") != "string"} == set()
    assert "SpendKpis.local_share" in shares
    assert {name for name, prop in shares.items() if prop.get("type") != "number"} == set()


def test_every_integer_parameter_is_bounded_by_the_databases_integer(spec):
    unbounded = []
    for path, item in spec["paths"].items():
        for operation in [item, *(op for m, op in item.items() if m in METHODS)]:
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if schema.get("type") == "integer" and schema.get("maximum", 2**63) > 2**31 - 1:
                    unbounded.append(f"{path} {parameter['name']}")
    assert not unbounded, unbounded


def test_the_document_describes_feeds_and_views_as_open_to_new_fields(spec):
    schemas = spec["components"]["schemas"]

    for name in ("SpendKpis", "PartnershipView", "McaView", "DatasetPage", "Receipt"):
        assert schemas[name].get("additionalProperties", True) is not False, name
    assert "coverage" in schemas["SpendKpis"]["properties"]
