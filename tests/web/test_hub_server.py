"""The server of `hub run`, over real sockets: no version in `Server`, the JSON error shape for
the errors the server answers itself on API and OAuth paths, and no secret in the access log."""

import http.client
import json
import logging
import threading

import pytest
from werkzeug.serving import make_server

from exchange.cli import cli
from exchange.web.server import HubRequestHandler

ERROR_KEYS = {"code", "status", "error", "message", "errors"}


@pytest.fixture
def server(app):
    served = make_server("127.0.0.1", 0, app, threaded=True, request_handler=HubRequestHandler)
    thread = threading.Thread(target=served.serve_forever, daemon=True)
    thread.start()
    yield served.server_port
    served.shutdown()
    thread.join(timeout=10)


def fetch(port: int, path: str, headers=None, method: str = "GET"):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_hub_run_serves_with_the_hubs_request_handler(app):
    command = cli.commands["run"]

    assert command.callback.__module__ == "exchange.cli.serve"


def test_the_server_header_names_no_software_version(server):
    status, headers, _ = fetch(server, "/healthz")

    assert status == 200
    assert headers["Server"] == "Anchor Exchange"
    assert "Werkzeug" not in str(headers) and "Python" not in str(headers)


@pytest.mark.parametrize("prefix", ["/api/v1/returns", "/oauth/token"])
def test_a_request_line_too_long_is_a_414_in_the_json_error_shape(server, prefix):
    status, headers, body = fetch(server, prefix + "?q=" + "x" * 70_000)

    assert status == 414
    assert headers["Content-Type"] == "application/json"
    assert set(json.loads(body)) == ERROR_KEYS
    assert json.loads(body)["code"] == 414


@pytest.mark.parametrize("prefix", ["/api/v1/returns", "/oauth/introspect"])
def test_too_many_headers_is_a_431_in_the_json_error_shape(server, prefix):
    status, headers, body = fetch(server, prefix, {f"X-Filler-{n}": "x" for n in range(150)})

    assert status == 431
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body)["error"] == "request_header_fields_too_large"


def test_pages_keep_the_servers_own_error_page(server):
    status, headers, body = fetch(server, "/login?q=" + "x" * 70_000)

    assert status == 414
    assert "json" not in headers.get("Content-Type", "")


def test_a_client_secret_in_a_query_string_never_reaches_the_access_log(server, caplog):
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        status, _, _ = fetch(server, "/oauth/token?grant_type=client_credentials"
                                     "&client_id=abc&client_secret=hunter2-very-secret",
                             method="POST")

    assert status in (400, 401)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "/oauth/token" in logged and "client_id=abc" in logged
    assert "hunter2" not in logged
    assert "client_secret=[redacted]" in logged
