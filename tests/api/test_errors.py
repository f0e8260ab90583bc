"""The foundation's error answers over HTTP: one JSON shape for every 4xx and 5xx, no stack traces;
and the published API description."""

import io
import json
import logging

import pytest

from exchange import create_app
from tests.api.returns_support import bearer

ERROR_KEYS = {"code", "status", "error", "message", "errors"}


def assert_error_shape(response, status: int, error: str | None = None) -> dict:
    assert response.status_code == status
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == ERROR_KEYS
    assert body["code"] == status
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["errors"], dict)
    if error:
        assert body["error"] == error
    return body


@pytest.fixture
def token(partner_token):
    return partner_token("rmbc", "returns:read returns:write")


def test_unknown_url_is_404_in_the_error_shape(client):
    body = assert_error_shape(client.get("/api/v1/no-such-thing"), 404, "not_found")
    assert body["status"] == "Not Found"


def test_wrong_method_is_405_with_an_allow_header(client):
    response = client.delete("/api/v1/partners")

    assert_error_shape(response, 405, "method_not_allowed")
    allowed = {m.strip() for m in response.headers["Allow"].split(",")}
    assert "GET" in allowed and "DELETE" not in allowed


@pytest.mark.parametrize("limit", ["MAX_CONTENT_LENGTH", "MAX_JSON_BYTES"])
def test_request_body_over_the_limit_is_413_in_the_error_shape(
        app, client, token, monkeypatch, limit):
    monkeypatch.setitem(app.config, limit, 1000)
    body = {"kind": "spend", "period": "2021-22-Q3",
            "rows": [{"supplier_name": "x" * 100}] * 20}

    response = client.post("/api/v1/returns", data=json.dumps(body),
                           content_type="application/json", headers=bearer(token))

    assert_error_shape(response, 413, "request_entity_too_large")


def test_multipart_upload_over_the_limit_is_413(app, client, token, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1000)

    response = client.post("/api/v1/returns", headers=bearer(token),
                           content_type="multipart/form-data",
                           data={"kind": "spend", "period": "2021-22-Q3",
                                 "file": (io.BytesIO(b"a,b\n" * 1000), "big.csv")})

    assert_error_shape(response, 413, "request_entity_too_large")


def test_bad_query_argument_is_422_naming_the_argument(client, token):
    response = client.get("/api/v1/returns?status=lost&limit=0", headers=bearer(token))

    body = assert_error_shape(response, 422)
    assert set(body["errors"]["query"]) == {"status", "limit"}


def test_token_endpoint_past_its_rate_limit_is_429_with_retry_after(
        app, client, make_client, monkeypatch):
    monkeypatch.setitem(app.config, "TOKEN_RATE_LIMIT", "2 per minute")
    client_id, _ = make_client("rmbc", "returns:read")
    form = {"grant_type": "client_credentials", "scope": "returns:read"}

    answers = [client.post("/oauth/token", data=form, auth=(client_id, "wrong"))
               for _ in range(3)]

    assert [a.status_code for a in answers[:2]] == [401, 401]
    assert_error_shape(answers[2], 429, "too_many_requests")
    assert int(answers[2].headers["Retry-After"]) > 0


@pytest.fixture
def crashing_app(app):
    """A second app on the same database, with one route that fails: routes cannot be added to
    the shared app once it has served a request."""
    settings = {key: app.config[key] for key in ("DATABASE_URL", "BLOB_DIR", "SECRET_KEY")}
    crashing = create_app(type("CrashConfig", (), {"TESTING": True, **settings}))

    @crashing.route("/api/v1/crash")
    def crash():
        raise RuntimeError("secret internals: password=hunter2")

    return crashing


def test_an_unexpected_error_is_500_without_a_stack_trace_and_logged_with_an_incident_id(
        crashing_app, caplog):
    with caplog.at_level(logging.ERROR):
        response = crashing_app.test_client().get("/api/v1/crash")

    body = assert_error_shape(response, 500, "internal_server_error")
    text = response.get_data(as_text=True)
    for leak in ("Traceback", "RuntimeError", "hunter2", "secret internals", ".py"):
        assert leak not in text
    incident = body["message"].rsplit("incident ", 1)[1].rstrip(")")
    logged = [r for r in caplog.records if incident in r.getMessage()]
    assert logged and logged[0].exc_info[0] is RuntimeError


def test_healthz_says_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_openapi_description_is_openapi_3_and_describes_the_returns_api(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    spec = response.get_json()
    assert spec["openapi"].startswith("3.")
    assert spec["info"]["title"] and spec["info"]["version"]
    paths = {path.removeprefix("/api/v1"): ops for path, ops in spec["paths"].items()}
    assert {"get", "post"} <= set(paths["/returns"])
    for path in ("/returns/{return_id}", "/returns/{return_id}/lines",
                 "/returns/{return_id}/file", "/returns/{return_id}/diff",
                 "/returns/{return_id}/issues.csv", "/standard/{kind}.schema.json"):
        assert "get" in paths[path], path
    post = paths["/returns"]["post"]
    assert "multipart/form-data" in post["requestBody"]["content"]
    assert {"200", "201", "400", "413", "415", "422"} <= set(post["responses"])
    for ops in spec["paths"].values():
        for method, op in ops.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                assert op["responses"], (method, op)
    # Every reference points at something the document defines.
    for ref in set(_refs(spec)):
        assert ref.startswith("#/")
        target = spec
        for part in ref[2:].split("/"):
            target = target[part]


def test_api_docs_page_is_html(client):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert "openapi.json" in response.get_data(as_text=True)
