"""The registry of return kinds and the envelope of a JSON submission."""

from marshmallow import Schema, fields, validate

from schemas.base import RowSchema
from schemas.charter import CommitmentRowSchema, ContributionRowSchema, MeasureRowSchema
from schemas.fields import Period
from schemas.spend import SpendRowSchema, SupplierRowSchema

KINDS: dict[str, type[RowSchema]] = {
    "spend": SpendRowSchema,
    "suppliers": SupplierRowSchema,
    "commitments": CommitmentRowSchema,
    "measures": MeasureRowSchema,
    "contributions": ContributionRowSchema,
}


def schema_for(kind: str) -> type[RowSchema]:
    """The row schema class of a kind of return; KeyError names the known kinds."""
    try:
        return KINDS[kind]
    except KeyError:
        raise KeyError(f"unknown kind of return {kind!r}; known: {', '.join(KINDS)}") from None


class ReturnEnvelopeSchema(Schema):
    """A whole return sent as JSON: its kind, its period and its rows."""

    # Rows stay plain objects here: they go through the same row validator as every uploaded
    # file, so a JSON row and a CSV row get the same issues, codes and row numbers.

    class Meta:
        title = "Return"
        description = "One return of one kind for one period, sent as a JSON body."

    kind = fields.String(required=True, validate=validate.OneOf(tuple(KINDS)), metadata={
        "description": "Which kind of return: " + ", ".join(KINDS) + ".",
        "example": "spend",
    })
    period = Period(required=True, metadata={
        "description": "The financial quarter the return covers (Q1 = April to June).",
        "example": "2021-22-Q3",
    })
    rows = fields.List(fields.Dict(keys=fields.String()), required=True, metadata={
        "description": "The rows, each an object keyed by the kind's field names.",
    })
