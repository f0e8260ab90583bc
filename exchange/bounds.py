"""The largest whole number a request may carry as an id, offset or cursor: PostgreSQL's
``integer`` (SQLite holds up to 2**63 - 1). Past it the database itself fails (a 500), so
paths and query parameters stop there and say so in the OpenAPI document."""

import builtins

from marshmallow import validate
from werkzeug.routing import IntegerConverter

INT_MAX = 2**31 - 1


class BoundedIntConverter(IntegerConverter):
    """``<int:…>`` in every route: 0 to INT_MAX; a larger number matches no route (404).
    flask-smorest documents its bounds as the parameter's minimum and maximum."""

    # werkzeug passes a rule's converter arguments by these names: <int(max=99):x>
    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002
        highest = INT_MAX if max is None else builtins.min(max, INT_MAX)
        super().__init__(map, fixed_digits, min, highest, signed)


def whole(lowest: int = 0, highest: int = INT_MAX) -> validate.Range:
    """The range of an integer query parameter, never past INT_MAX."""
    return validate.Range(lowest, builtins.min(highest, INT_MAX))
