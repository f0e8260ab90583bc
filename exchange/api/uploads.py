"""Reading a submission off the request: a multipart file or a JSON body, and its envelope."""

import json
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, request
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import RequestEntityTooLarge

from exchange.blobs import BlobStore
from exchange.errors import BadRequest, Unprocessable, UnsupportedMediaType
from exchange.ingest.submissions import StoredFile

TRUE = {"1", "true", "yes", "on"}
FALSE = {"", "0", "false", "no", "off"}


@dataclass(frozen=True)
class Envelope:
    kind: str
    period: str
    profile: str | None
    dry_run: bool
    columns: object = None  # the column mapping as sent; checked by the service


def _flag(value, name: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else "").strip().lower()
    if text in TRUE | FALSE:
        return text in TRUE
    raise BadRequest(f"'{name}' must be true or false.", errors={name: ["must be true or false"]})


def _columns_field(text: str | None):
    """The multipart 'columns' field: a JSON object, or absent."""
    if text is None or not text.strip():
        return None
    try:
        return json.loads(text)
    except ValueError as err:
        raise Unprocessable(
            "'columns' is not valid JSON: send an object from standard field names to your "
            'file\'s headings, like {"supplier_name": "SUPP_NM", "amount": "TRX_AMT"}.',
            errors={"columns": ["not valid JSON"]}) from err


def _required(source, name: str) -> str:
    value = source.get(name)
    if not isinstance(value, str) or not value.strip():
        raise BadRequest(f"The request needs '{name}'.", errors={name: ["missing"]})
    return value.strip()


def read_submission() -> tuple[Envelope, Callable[[BlobStore], StoredFile]]:
    """The envelope, and how to keep the bytes received in a store (the blob store, or a dry
    run's scratch store); JSON bodies are kept byte for byte."""
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("file")
        # A browser form with no file chosen sends a part with an empty filename: not a file.
        if upload is None or not upload.filename:
            raise BadRequest("Attach the return as the form field 'file'.",
                             errors={"file": ["missing"]})
        form = request.form
        envelope = Envelope(_required(form, "kind"), _required(form, "period"),
                            (form.get("profile") or "").strip() or None,
                            _flag(form.get("dry_run"), "dry_run"),
                            _columns_field(form.get("columns")))
        return envelope, lambda store: keep_upload(store, upload, limit)
    if request.mimetype == "application/json":
        # Parsed whole, at about ten times its size in memory: held to the JSON file's limit.
        if (request.content_length or 0) > current_app.config["MAX_JSON_BYTES"]:
            raise RequestEntityTooLarge()
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            raise BadRequest("The body is not a JSON object with kind, period and rows.")
        if not isinstance(body.get("rows"), list):
            raise BadRequest("The JSON body needs 'rows': a list of objects.",
                             errors={"rows": ["missing or not a list"]})
        envelope = Envelope(_required(body, "kind"), _required(body, "period"),
                            None, _flag(body.get("dry_run", False), "dry_run"),
                            body.get("columns"))
        return envelope, lambda store: StoredFile(*store.save_bytes(request.get_data()),
                                                  "return.json", "application/json")
    raise UnsupportedMediaType("Send the return as multipart/form-data with a 'file', or as "
                               "application/json with kind, period and rows.")


def keep_upload(store: BlobStore, upload: FileStorage, limit: int) -> StoredFile:
    """An uploaded file's bytes in ``store``; 413 past ``limit``, keeping nothing."""
    try:
        sha, size = store.save(upload.stream, limit)
    except OverflowError as err:
        raise RequestEntityTooLarge() from err
    return StoredFile(sha, size, upload.filename, upload.mimetype)
