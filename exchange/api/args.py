"""Query arguments shared by several resources."""

from marshmallow import ValidationError, fields

from exchange.api.docs import QUARTER_PATTERN
from exchange.periods import Period


class QuarterArg(fields.String):
    """A financial quarter in any case and spacing, as the canonical ``2021-22-Q3``."""

    def __init__(self, **kwargs):
        kwargs["metadata"] = {
            "pattern": QUARTER_PATTERN, "example": "2021-22-Q3",
            "description": "A financial quarter, e.g. 2021-22-Q3 (October to December 2021)",
            **kwargs.get("metadata", {})}
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            period = Period.parse(text)
        except ValueError as err:
            raise ValidationError(f"'{text}' is not a period like 2021-22-Q3: {err}.") from err
        if period.is_year:
            raise ValidationError("Give one quarter, e.g. 2021-22-Q3: a financial year "
                                  "has four.")
        return str(period)
