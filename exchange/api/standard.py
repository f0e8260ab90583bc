"""The shared data standard, published for partners: JSON Schema, Frictionless Table Schema and
blank templates."""

from flask import Response, url_for
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields

from exchange.api.docs import OpenSchema, errors, json_body, path_parameter
from exchange.errors import NotFound
from schemas import KINDS, csv_template, json_schema, table_schema, xlsx_template

blp = Blueprint("standard", __name__, description="The shared data standard (no token needed)")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The shape of what /standard/{kind}.tableschema.json returns, for the OpenAPI document.
TABLE_SCHEMA_DOC = {"type": "object", "required": ["fields"], "properties": {
    "profile": {"type": "string", "example": "tableschema"},
    "title": {"type": "string"}, "description": {"type": "string"},
    "missingValues": {"type": "array", "items": {"type": "string"}},
    "fields": {"type": "array", "items": {"type": "object", "required": ["name", "type"],
        "properties": {
            "name": {"type": "string", "example": "payment_date"},
            "type": {"type": "string", "enum": ["string", "number", "date", "boolean"]},
            "format": {"type": "string"}, "title": {"type": "string"},
            "description": {"type": "string"}, "example": {},
            "trueValues": {"type": "array", "items": {"type": "string"}},
            "falseValues": {"type": "array", "items": {"type": "string"}},
            "constraints": {"type": "object", "properties": {
                "required": {"type": "boolean"}, "pattern": {"type": "string"},
                "maxLength": {"type": "integer"},
                "enum": {"type": "array", "items": {"type": "string"}}}}}}}}}


KIND_PARAMETER = [path_parameter("kind", "The kind of return", enum=list(KINDS), example="spend")]
NO_KIND = {404: "No such kind of return"}
# What /standard/{kind}.schema.json returns: a JSON Schema (draft 2020-12) of one row.
JSON_SCHEMA_DOC = {"type": "object", "required": ["type", "properties"], "properties": {
    "$schema": {"type": "string"}, "title": {"type": "string"},
    "description": {"type": "string"}, "type": {"type": "string", "example": "object"},
    "required": {"type": "array", "items": {"type": "string"}},
    "properties": {"type": "object", "description": "Each field: type, title, description "
                   "(with its unit: amounts in GBP), examples, and its constraints",
                   "additionalProperties": {"type": "object"}}}}


class KindLinksSchema(OpenSchema):
    kind = fields.String(metadata={"enum": list(KINDS), "example": "spend"})
    title = fields.String(metadata={"example": "One payment to a supplier."})
    schema = fields.String(metadata={"description": "Address of its JSON Schema"})
    table_schema = fields.String(metadata={"description": "Address of its Frictionless Table "
                                                          "Schema"})
    csv_template = fields.String(metadata={"description": "Address of a blank CSV template"})
    xlsx_template = fields.String(metadata={"description": "Address of a blank XLSX template"})


class StandardSchema(OpenSchema):
    kinds = fields.List(fields.Nested(KindLinksSchema))


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise NotFound(f"There is no kind of return '{kind}'. Kinds: {', '.join(KINDS)}.")
    return kind


@blp.route("/standard")
class Standard(MethodView):
    @json_body(blp, StandardSchema, "The five kinds of return, each with its documents")
    def get(self):
        """The kinds of return, with links to each one's schemas and templates."""
        return {"kinds": [{
            "kind": kind,
            "title": (KINDS[kind].__doc__ or kind).strip().splitlines()[0],
            "schema": url_for("standard.KindSchema", kind=kind),
            "table_schema": url_for("standard.KindTableSchema", kind=kind),
            "csv_template": url_for("standard.KindCsv", kind=kind),
            "xlsx_template": url_for("standard.KindXlsx", kind=kind),
        } for kind in KINDS]}


@blp.route("/standard/<kind>.schema.json", parameters=KIND_PARAMETER)
class KindSchema(MethodView):
    @json_body(blp, JSON_SCHEMA_DOC, "A JSON Schema (draft 2020-12) of one row of the kind")
    @errors(blp, NO_KIND)
    def get(self, kind: str):
        """JSON Schema of one kind's rows, generated from the marshmallow schema."""
        return json_schema(_kind(kind))


@blp.route("/standard/<kind>.tableschema.json", parameters=KIND_PARAMETER)
class KindTableSchema(MethodView):
    @errors(blp, NO_KIND)
    @blp.alt_response(200, schema=TABLE_SCHEMA_DOC, success=True,
                      description="A Frictionless Table Schema (fields, types, constraints)")
    def get(self, kind: str):
        """Frictionless Table Schema of one kind's rows, for `frictionless validate`."""
        return table_schema(_kind(kind))


@blp.route("/standard/<kind>.csv", parameters=KIND_PARAMETER)
class KindCsv(MethodView):
    @blp.alt_response(200, schema={"type": "string"}, content_type="text/csv", success=True,
                      description="The standard's headings and one example row")
    @errors(blp, NO_KIND)
    def get(self, kind: str):
        """A blank CSV template: the headers and one example row."""
        return Response(csv_template(_kind(kind)), mimetype="text/csv", headers={
            "Content-Disposition": f'attachment; filename="anchor-exchange-{kind}.csv"'})


@blp.route("/standard/<kind>.xlsx", parameters=KIND_PARAMETER)
class KindXlsx(MethodView):
    @blp.alt_response(200, schema={"type": "string", "format": "binary"}, content_type=XLSX,
                      success=True, description="A workbook: the headings and one example row")
    @errors(blp, NO_KIND)
    def get(self, kind: str):
        """A blank Excel template: the headers and one example row."""
        return Response(xlsx_template(_kind(kind)), mimetype=XLSX, headers={
            "Content-Disposition": f'attachment; filename="anchor-exchange-{kind}.xlsx"'})
