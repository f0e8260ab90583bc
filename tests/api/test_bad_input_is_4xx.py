"""Every bad input gets a 4xx in the JSON error shape, never a 500: integers too large for the
database in any path or query parameter, an XLSX the XML parser refuses, JSON nested without
end, and a sign-in `next` carrying line breaks."""

import base64
import io
import zipfile

import openpyxl
import pytest

from exchange.context import get_uow
from exchange.feeds.releases import publish_release
from tests.api.oauth_flows import csrf_from
from tests.api.returns_support import bearer, post_return
from tests.integration.releases_support import Q1, build_quarter

ERROR_KEYS = {"code", "status", "error", "message", "errors"}
ALL_SCOPES = ("returns:read returns:write returns:approve views:read feeds:read "
              "contributions:write admin")
# Values for the string parameters of paths, so that only the integer is wrong.
PATH_VALUES = {"subregion": "south-yorkshire", "place": "rotherham", "dataset": "spend",
               "period": "2025-26-Q1", "kind": "spend"}
INT32_MAX = 2**31 - 1
HUGE = (2**31, 2**63, 2**64, 10**30)


def integer_parameters(spec: dict):
    """(path, method, parameter) for every integer parameter of every operation."""
    for path, ops in spec["paths"].items():
        shared = ops.get("parameters", [])
        for method, op in ops.items():
            if method == "parameters":
                continue
            for param in shared + op.get("parameters", []):
                if param.get("schema", {}).get("type") == "integer":
                    yield path, method, param


@pytest.fixture
def spec(client):
    return client.get("/api/v1/openapi.json").get_json()


def test_every_integer_parameter_in_the_openapi_document_is_bounded_to_what_databases_hold(
        spec):
    found = list(integer_parameters(spec))

    assert {p["name"] for _, _, p in found} >= {"return_id", "release_id", "offset", "cursor",
                                                "limit", "since"}
    for path, method, param in found:
        schema = param["schema"]
        assert schema.get("minimum", -1) >= 0, (path, method, param)
        assert 0 < schema.get("maximum", 2**63) <= INT32_MAX, (path, method, param)


def test_every_integer_parameter_past_its_bound_is_a_4xx_in_the_json_error_shape(
        client, partner_token, spec):
    headers = bearer(partner_token("rmbc", ALL_SCOPES))
    tried = 0
    for path, method, param in integer_parameters(spec):
        for value in HUGE:
            values = {**PATH_VALUES, param["name"]: value}
            url = path.format(**{k: values.get(k, 1) for k in _names(path)})
            query = {param["name"]: value} if param["in"] == "query" else {}
            response = client.open(url, method=method.upper(), headers=headers,
                                   query_string=query)
            assert 400 <= response.status_code < 500, (method, url, query, response.status_code)
            assert set(response.get_json()) == ERROR_KEYS, (method, url, query)
            tried += 1
    assert tried >= 20


def _names(path: str) -> list[str]:
    return [part[1:-1] for part in path.split("/") if part.startswith("{")]


def test_a_feed_cursor_nested_thousands_deep_is_a_400(client, partner_token):
    build_quarter()
    release = publish_release(get_uow(), "south-yorkshire", Q1).release_id
    headers = bearer(partner_token("symca", "feeds:read"))
    cursor = base64.urlsafe_b64encode(b"[" * 3000).decode().rstrip("=")

    response = client.get(f"/api/v1/feeds/south-yorkshire/releases/{release}/spend",
                          query_string={"cursor": cursor}, headers=headers)

    assert response.status_code == 400
    assert set(response.get_json()) == ERROR_KEYS


def _workbook_with_a_dtd() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["Payment Date", "Amount", "Supplier Name"])
    book.active.append(["01/10/2021", "10.00", "Acme"])
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + data
            target.writestr(item, data)
    return out.getvalue()


def test_an_xlsx_with_a_dtd_is_rejected_with_a_receipt_that_is_kept(client, partner_token):
    token = partner_token("rmbc", "returns:read returns:write")

    response = post_return(client, token, _workbook_with_a_dtd(), filename="dtd.xlsx")

    assert response.status_code == 422
    receipt = response.get_json()
    assert receipt["status"] == "rejected" and receipt["id"]
    [issue] = receipt["issues"]
    assert issue["code"] == "file.unreadable"
    assert "Excel" in issue["message"]
    kept = client.get(f"/api/v1/returns/{receipt['id']}", headers=bearer(token))
    assert kept.status_code == 200 and kept.get_json()["status"] == "rejected"


def test_json_nested_a_hundred_thousand_deep_is_a_400_in_the_error_shape(client, partner_token):
    token = partner_token("rmbc", "returns:read returns:write")
    body = '{"kind": "spend", "period": "2021-22-Q3", "rows": ' + "[" * 100_000 + "]" * 100_000 \
        + "}"

    response = client.post("/api/v1/returns", data=body, content_type="application/json",
                           headers=bearer(token))

    assert response.status_code == 400
    assert set(response.get_json()) == ERROR_KEYS
    assert "nested" in response.get_json()["message"]


def test_json_nested_past_the_depth_limit_but_parseable_is_a_400(client, partner_token):
    token = partner_token("rmbc", "returns:read returns:write")
    row = '{"supplier_name": ' + "[" * 200 + "]" * 200 + "}"
    body = '{"kind": "spend", "period": "2021-22-Q3", "rows": [' + row + "]}"

    response = client.post("/api/v1/returns", data=body, content_type="application/json",
                           headers=bearer(token))

    assert response.status_code == 400
    assert "nested" in response.get_json()["message"]


def test_a_json_return_file_nested_without_end_is_rejected_with_a_receipt(client, partner_token):
    token = partner_token("rmbc", "returns:read returns:write")
    deep = b'{"rows": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"

    response = post_return(client, token, deep, filename="deep.json")

    assert response.status_code == 422
    assert response.get_json()["issues"][0]["code"] == "file.unreadable"


@pytest.mark.parametrize("target", ["/%0d%0aX:y", "/%0aSet-Cookie:x=1", "/\r\nX: y",
                                    "/returns%09x", "/%00"])
def test_sign_in_with_a_next_carrying_control_characters_goes_to_the_signed_in_page(
        client, make_user, target):
    make_user("rmbc", "nextcheck@rmbc.example", "a long password 123")
    page = client.get("/login")
    csrf = csrf_from(page.get_data(as_text=True))

    response = client.post(f"/login?next={target}", data={
        "email": "nextcheck@rmbc.example", "password": "a long password 123",
        "csrf_token": csrf})

    assert response.status_code == 302
    location = response.headers["Location"]
    assert "\r" not in location and "\n" not in location
    assert location.endswith("/signed-in")
