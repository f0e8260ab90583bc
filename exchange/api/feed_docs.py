"""The bodies of the MCA's feeds as the OpenAPI document describes them: releases, the changes
since one, and a dataset's page. Open schemas: fields may be added."""

from marshmallow import fields

from exchange.api.docs import OpenSchema, count, record
from exchange.api.view_docs import CompletenessSchema, ReturnRefSchema
from exchange.feeds.datasets import COLUMNS, DATASETS

SUPPRESSED_DOC = (
    "Disclosure control: the names of this row's columns whose figures are withheld (their "
    "value is null). A figure resting on fewer than 3 suppliers or 5 people is withheld, and "
    "so are others that would let it be worked out from totals or from an earlier version. "
    "A withheld figure is never 0. In CSV, the names separated by spaces.")


class DatasetSummarySchema(OpenSchema):
    name = fields.String(metadata={"enum": list(DATASETS)})
    rows = count("Rows in the dataset")
    suppressed_cells = count("Figures withheld by disclosure control")
    sha256 = fields.String(metadata={"description": "SHA-256 of the stored dataset: unchanged "
                                                    "rows, unchanged hash"})


class ReleaseSchema(OpenSchema):
    """A locked, disclosure-controlled release of one sub-region and quarter."""

    id = fields.Integer(metadata={"description": "Increases with every release of the hub"})
    subregion = fields.String(metadata={"example": "south-yorkshire"})
    subregion_code = fields.String(metadata={"example": "E47000002"})
    period = fields.String(metadata={"example": "2025-26-Q1"})
    version = fields.Integer(metadata={"description": "1, then 2, 3… when the returns it "
                                                      "counts change"})
    published_at = fields.String(metadata={"description": "When (ISO 8601, UTC)"})
    datasets = fields.List(fields.Nested(DatasetSummarySchema))
    returns = fields.List(fields.Nested(ReturnRefSchema), metadata={
        "description": "The returns counted"})
    completeness = fields.List(fields.Nested(CompletenessSchema))
    notes = record("What changed from the previous version: summary, returns added, "
                   "superseded and withdrawn, partners now counted, rows added and removed, "
                   "cells changed")


class ReleaseListSchema(OpenSchema):
    items = fields.List(fields.Nested(ReleaseSchema), metadata={"description": "Oldest first"})


class ChangesSchema(OpenSchema):
    since = fields.Integer(allow_none=True, metadata={"description": "The release asked after"})
    items = fields.List(fields.Nested(ReleaseSchema), metadata={
        "description": "The releases published after it, oldest first"})
    latest = fields.Integer(allow_none=True, metadata={
        "description": "The newest release id: send it as since next time"})


class ReleaseRefSchema(OpenSchema):
    id = fields.Integer()
    subregion = fields.String()
    period = fields.String()
    version = fields.Integer()
    published_at = fields.String()


_COLUMNS_DOC = "; ".join(f"{name}: {', '.join(columns)}" for name, columns in COLUMNS.items())


class DatasetPageSchema(OpenSchema):
    release = fields.Nested(ReleaseRefSchema)
    dataset = fields.String(metadata={"enum": list(DATASETS)})
    columns = fields.List(fields.String(), metadata={
        "description": f"The columns of each row, in CSV order ({_COLUMNS_DOC})"})
    completeness = fields.List(fields.Nested(CompletenessSchema))
    items = fields.List(record(
        "One row: the place (slug and ONS code), the row's key, its figures — money in GBP as "
        "decimal strings, counts as integers, null when withheld — and `suppressed`: "
        + SUPPRESSED_DOC))
    next = fields.String(allow_none=True, metadata={
        "description": "The next page's address (also the Link header); null on the last"})
