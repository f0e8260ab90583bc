"""Schemathesis against a live server: every operation of the OpenAPI document, with generated
valid and invalid requests and a real token, answers as documented — no 5xx, a documented status
and content type, a body matching its schema, invalid input refused, valid input accepted.

Bounded for CI (the suite runs once per database): ``EXCHANGE_SCHEMATHESIS_EXAMPLES`` examples per
operation (25), one worker, a fixed seed and no example database, so a run is reproducible. The
phases are examples, coverage and fuzzing; the stateful phase follows links between operations,
which the document does not declare, so it would only repeat the others' requests.
No operation is excluded: the uploads, statements, review decisions and mapping deletions only
touch this test's own partner in its own database. tests/api/schemathesis.toml holds the one
per-operation setting, explained."""

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from exchange.context import get_uow
from exchange.feeds.releases import publish_release
from tests.api.returns_support import SPEND, post_return
from tests.integration.releases_support import Q1, build_quarter

HERE = Path(__file__).resolve().parent
SCOPES = "returns:write returns:read views:read feeds:read contributions:write admin"
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
SEED = "20250401"


@pytest.fixture
def live(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


def with_examples(spec: dict, examples: dict[str, object]) -> dict:
    """The document with real ids as the examples of its id parameters, so that the examples
    phase reads existing returns and releases (the other phases still make ids up)."""
    for item in spec["paths"].values():
        for operation in [item, *(op for op in item.values() if isinstance(op, dict))]:
            for parameter in operation.get("parameters", []):
                if parameter["name"] in examples:
                    parameter["schema"]["example"] = examples[parameter["name"]]
    return spec


def seed(client, token: str) -> dict[str, object]:
    """A return of the token's partner in two versions, and a published release."""
    post_return(client, token, SPEND)
    second = post_return(client, token, SPEND.replace("60.00", "61.00")).get_json()
    build_quarter()
    release = publish_release(get_uow(), "south-yorkshire", Q1).release_id
    return {"return_id": second["id"], "release_id": release}


def test_every_operation_keeps_its_documented_contract_under_schemathesis(live, client,
                                                                          partner_token,
                                                                          tmp_path):
    token = partner_token("rmbc", SCOPES)
    spec = with_examples(client.get("/api/v1/openapi.json").get_json(), seed(client, token))
    document = tmp_path / "openapi.json"
    document.write_text(json.dumps(spec), encoding="utf-8")

    run = subprocess.run(  # noqa: S603 - our own venv's schemathesis against our own server
        [str(SCHEMATHESIS), "--config-file", str(HERE / "schemathesis.toml"), "run",
         str(document), "--url", live, "--checks", "all",
         "--max-examples", os.environ.get("EXCHANGE_SCHEMATHESIS_EXAMPLES", "25"),
         "--phases", os.environ.get("EXCHANGE_SCHEMATHESIS_PHASES", "examples,coverage,fuzzing"),
         "--seed", SEED, "--generation-database", "none", "--workers", "1",
         "--header", f"Authorization: Bearer {token}", "--no-color", "--request-timeout", "60"],
        cwd=tmp_path, capture_output=True, text=True, timeout=900, check=False)

    print(run.stdout[-1500:])
    assert run.returncode == 0, run.stdout[-25000:] + run.stderr[-5000:]

