"""What the OpenAPI document says of every operation: the error body, how numbers are typed,
the shape of periods, and the error answers a route documents.

Numbers are typed one way across the API:

- money is GBP as a decimal string with two places (``"1234.56"``), so no client rounds it
  through a float; other measured quantities (hours, starts, tonnes) are decimal strings too;
- shares are JSON numbers from 0 to 1 (a fraction, ``0.4358`` is 43.58%), never percentages;
- counts (rows, suppliers, partners) are integers;
- a figure that is unknown or withheld is ``null``, never 0.
"""

from flask_smorest import Blueprint
from marshmallow import INCLUDE, Schema, fields

from exchange.bounds import INT_MAX

# The financial years the document offers as examples of its patterns: the parser takes any
# from 1900-01 to 2098-99, in any case and spacing; these are the canonical ones.
_YEARS = "|".join(f"{year}-{(year + 1) % 100:02d}" for year in range(2000, 2099))
QUARTER_PATTERN = rf"^\s*(?:{_YEARS})-[Qq][1-4]\s*$"
PERIOD_PATTERN = rf"^\s*(?:{_YEARS})(?:-[Qq][1-4])?\s*$"

MONEY_PATTERN = r"^-?\d+\.\d{2}$"
DECIMAL_PATTERN = r"^-?\d+(\.\d+)?$"


class ErrorSchema(Schema):
    """The one error body every endpoint answers with (exchange/errorhandlers.py)."""

    code = fields.Integer(metadata={"description": "The HTTP status code", "example": 404})
    status = fields.String(metadata={"description": "The HTTP status phrase",
                                     "example": "Not Found"})
    error = fields.String(metadata={"description": "A stable machine-readable code, e.g. "
                                                   "`not_found`, `invalid_token`, `busy`",
                                    "example": "not_found"})
    message = fields.String(metadata={
        "description": "What went wrong, for a person; a 500 names its incident id, the "
                       "X-Request-Id of the response",
        "example": "There is no return with that id among your partner's returns."})
    errors = fields.Dict(metadata={"description": "Details by field or by row, when there are "
                                                  "any", "example": {}})


class OpenSchema(Schema):
    """A response body documented field by field that may gain fields: clients ignore the
    ones they do not know (``additionalProperties`` is allowed)."""

    class Meta:
        unknown = INCLUDE


def money(description: str, **kw) -> fields.String:
    """GBP as a decimal string with two places; null when unknown or withheld."""
    return fields.String(allow_none=True, metadata={
        "description": f"{description} (GBP, a decimal string with two places; null when "
                       "unknown or withheld)",
        "pattern": MONEY_PATTERN, "format": "decimal", "example": "1234.56", **kw})


def quantity(description: str, **kw) -> fields.String:
    """A measured amount (hours, starts, tonnes) as a decimal string; null when unknown."""
    return fields.String(allow_none=True, metadata={
        "description": f"{description} (a decimal string; null when unknown or withheld)",
        "pattern": DECIMAL_PATTERN, "format": "decimal", "example": "452.00", **kw})


def share(description: str) -> fields.Float:
    """A fraction (1 is all of it), to four places; null when there is nothing to divide by or
    it is withheld. Within [0, 1]: shares are of spend netted per supplier, nets that are not
    positive left out (the glossary's method, /glossary#shares)."""
    return fields.Float(allow_none=True, metadata={
        "description": f"{description} (a fraction from 0 to 1, to four places: 0.4358 is "
                       "43.58%; null when there is nothing to divide by or it is withheld; of "
                       "spend netted per supplier, see /glossary#shares)",
        "minimum": 0, "maximum": 1, "example": 0.4358})


def count(description: str) -> fields.Integer:
    return fields.Integer(allow_none=True, metadata={"description": description,
                                                     "minimum": 0, "example": 12})


def record(description: str) -> fields.Dict:
    """An object whose keys depend on the data (a dataset's columns, a return kind's fields)."""
    return fields.Dict(keys=fields.String(), metadata={"description": description})


def path_parameter(name: str, description: str, **schema) -> dict:
    """An operation-level path parameter, documenting what the URL rule cannot say."""
    return {"in": "path", "name": name, "required": True, "description": description,
            "schema": {"type": "string", **schema}}


def id_parameter(name: str, description: str) -> dict:
    return {"in": "path", "name": name, "required": True, "description": description,
            "schema": {"type": "integer", "minimum": 0, "maximum": INT_MAX}}


def errors(blp: Blueprint, answers: dict[int, str]):
    """Document each error status a route answers with the error body and what it means."""
    def decorate(view):
        for status, description in sorted(answers.items(), reverse=True):
            view = blp.alt_response(status, schema=ErrorSchema, description=description)(view)
        return view
    return decorate


def json_body(blp: Blueprint, schema, description: str, status: int = 200, example=None):
    """Document a JSON body the route builds itself (a dict), without reshaping it: the body
    is served as built, so fields added later still reach clients."""
    return blp.alt_response(status, schema=schema, description=description, success=True,
                            example=example)
