"""What the API serves matches what its OpenAPI document says: the error body, and numbers
typed one way (money as decimal strings)."""

import jsonschema
import pytest

from tests.api.returns_support import bearer


def documented(client, name: str) -> dict:
    """A component schema of /api/v1/openapi.json as JSON Schema (OpenAPI 3.0's ``nullable``
    becomes a null type)."""
    spec = client.get("/api/v1/openapi.json").get_json()
    return _json_schema(spec["components"]["schemas"][name], spec)


def _json_schema(node, spec):
    if isinstance(node, list):
        return [_json_schema(item, spec) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return _json_schema(spec["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]], spec)
    out = {key: _json_schema(value, spec) for key, value in node.items() if key != "nullable"}
    if node.get("nullable") and "type" in node:
        out["type"] = [node["type"], "null"]
    return out


@pytest.mark.parametrize("path, token_scopes, status", [
    ("/api/v1/returns/999999", "returns:read", 404),
    ("/api/v1/returns", None, 401),
    ("/api/v1/views/partnership/rotherham?from=not-a-period", "views:read", 422),
])
def test_every_error_body_is_the_documented_error_schema(client, partner_token, path,
                                                         token_scopes, status):
    headers = bearer(partner_token("rmbc", token_scopes)) if token_scopes else {}

    response = client.get(path, headers=headers)

    assert response.status_code == status
    jsonschema.validate(response.get_json(), documented(client, "Error"))
    assert response.get_json()["error"]


def test_partners_are_served_as_documented_with_money_as_decimal_strings(client, partner_token):
    response = client.get("/api/v1/partners", headers=bearer(partner_token("rmbc",
                                                                            "returns:read")))

    schema = documented(client, "Partner")
    assert schema["properties"]["spend_threshold"]["type"] == ["string", "null"]
    for partner in response.get_json():
        jsonschema.validate(partner, schema)
    assert {p["slug"]: p["spend_threshold"] for p in response.get_json()}["rmbc"] == "500.00"


def test_json_rows_holding_a_nul_character_are_rejected_naming_the_item(client, partner_token):
    token = partner_token("rmbc", "returns:write")
    rows = [{"Payment Date": "01/01/2022", "Amount": "5.00", "Supplier Name": "Alpha Ltd"},
            {"Payment Date": "02/01/2022", "Amount": "6.00", "Supplier Name": "A\x00B"}]

    response = client.post("/api/v1/returns", headers=bearer(token),
                           json={"kind": "spend", "period": "2021-22-Q4", "rows": rows})

    assert response.status_code == 422
    [issue] = response.get_json()["issues"]
    assert issue["row"] == 2 and "NUL character" in issue["message"]
    receipt = client.get(f"/api/v1/returns/{response.get_json()['id']}/receipt",
                         headers=bearer(partner_token("rmbc", "returns:read")))
    jsonschema.validate(receipt.get_json(), documented(client, "Receipt"))

