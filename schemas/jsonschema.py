"""JSON Schema (draft 2020-12) for each kind of return, generated from the marshmallow schemas."""

import copy
from decimal import Decimal
from functools import cache

from apispec import APISpec
from apispec.ext.marshmallow.openapi import OpenAPIConverter

from schemas.fields import WebAddress
from schemas.returns import ReturnEnvelopeSchema, schema_for

DIALECT = "https://json-schema.org/draft/2020-12/schema"


@cache
def _converter() -> OpenAPIConverter:
    """apispec's converter for OpenAPI 3.1, whose schema objects are JSON Schema 2020-12."""
    spec = APISpec("Anchor Exchange data standard", "1", "3.1.0")
    converter = OpenAPIConverter("3.1.0", lambda schema: None, spec)
    converter.map_to_openapi_type(WebAddress, "string", "uri")
    return converter


def _typed_example(field, example: str):
    """The metadata example as the JSON value it stands for ('1234.56' -> 1234.56)."""
    value = field.deserialize(example)
    if isinstance(value, Decimal):
        return int(value) if value.as_tuple().exponent >= 0 else float(value)
    return value if isinstance(value, bool) else example


@cache
def _row_schema(kind: str) -> dict:
    schema = schema_for(kind)()
    body = _converter().schema2jsonschema(schema)
    for name, field in schema.fields.items():
        prop = body["properties"][name]
        prop["title"] = field.metadata["label"]
        prop["examples"] = [_typed_example(field, prop.pop("example"))]
    body["additionalProperties"] = False
    return {"$schema": DIALECT, **body}


def json_schema(kind: str, *, envelope: bool = False) -> dict:
    """JSON Schema of one row of a kind of return, or of a whole JSON submission of that kind."""
    row = copy.deepcopy(_row_schema(kind))
    if not envelope:
        return row
    body = _converter().schema2jsonschema(ReturnEnvelopeSchema())
    for prop in body["properties"].values():
        if "example" in prop:
            prop["examples"] = [prop.pop("example")]
    body["properties"]["kind"] = {"const": kind, "title": "Kind of return"}
    del row["$schema"]
    body["properties"]["rows"]["items"] = row
    body["additionalProperties"] = False
    return {"$schema": DIALECT, **body, "title": f"{kind.capitalize()} return"}
