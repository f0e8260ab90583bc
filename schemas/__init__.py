"""The shared data standard: one marshmallow schema per kind of return, plus its publications."""

from schemas.base import RowSchema
from schemas.charter import CommitmentRowSchema, ContributionRowSchema, MeasureRowSchema
from schemas.jsonschema import json_schema
from schemas.returns import KINDS, ReturnEnvelopeSchema, schema_for
from schemas.spend import SpendRowSchema, SupplierRowSchema
from schemas.tableschema import table_schema
from schemas.templates import csv_template, xlsx_template

__all__ = [
    "KINDS",
    "CommitmentRowSchema",
    "ContributionRowSchema",
    "MeasureRowSchema",
    "ReturnEnvelopeSchema",
    "RowSchema",
    "SpendRowSchema",
    "SupplierRowSchema",
    "csv_template",
    "json_schema",
    "schema_for",
    "table_schema",
    "xlsx_template",
]
