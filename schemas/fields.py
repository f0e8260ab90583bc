"""Field types of the data standard: what a value means, not just its Python type."""

# Each type maps to one lenient converter in exchange.validate, which reads any spelling a
# finance system exports; marshmallow's own load() accepts the canonical form the JSON Schema
# shows. Types marked `soft` hold optional reference data: a bad value is reported as a warning
# and left out, rather than blocking the whole return.

import re

from marshmallow import ValidationError, fields, validate

PERIOD_PATTERN = r"^\d{4}-\d{2}(-Q[1-4])?$"
QUARTER_PATTERN = r"^\d{4}-\d{2}-Q[1-4]$"


def meta(label: str, description: str, example: str, **extra) -> dict:
    """Field metadata: the column header people see, what it means, and an example value."""
    return {"label": label, "description": description, "example": example, **extra}


class Text(fields.String):
    """Free text, kept as written (trimmed), up to a maximum length."""

    def __init__(self, max_length: int = 300, **kwargs):
        self.max_length = max_length
        super().__init__(validate=validate.Length(max=max_length), **kwargs)


class Money(fields.Decimal):
    """Pounds and pence: exact, two decimal places, negative for credits."""

    def __init__(self, **kwargs):
        super().__init__(places=2, **kwargs)


class Quantity(fields.Decimal):
    """A number of things (hours, people, tonnes), exact, any decimal places."""


class Code(fields.String):
    """A snake_case code from a configured list, such as a charter commitment."""

    def __init__(self, **kwargs):
        shape = validate.Regexp(r"^[a-z0-9]+(_[a-z0-9]+)*$")
        super().__init__(validate=[shape, validate.Length(max=40)], **kwargs)


class Choice(fields.String):
    """One of a fixed set of codes."""

    def __init__(self, choices: tuple[str, ...], **kwargs):
        self.choices = tuple(choices)
        super().__init__(validate=validate.OneOf(self.choices), **kwargs)


class YesNoUnknown(Choice):
    """yes, no or unknown: a classification the partner may not hold."""

    def __init__(self, **kwargs):
        super().__init__(("yes", "no", "unknown"), **kwargs)


class CapitalRevenue(Choice):
    """capital or revenue: which budget the payment came from."""

    def __init__(self, **kwargs):
        super().__init__(("capital", "revenue"), **kwargs)


class _Soft(fields.String):
    """A reference identifier; a bad one is a warning, not a reason to reject the return."""

    soft = True
    pattern = ""

    def __init__(self, **kwargs):
        super().__init__(validate=validate.Regexp(self.pattern), **kwargs)


class Postcode(_Soft):
    """A UK postcode in canonical unit form, 'S60 2UD'."""

    pattern = r"^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$"


class CompanyNumber(_Soft):
    """A Companies House number in 8 characters, leading zeros kept."""

    pattern = r"^([0-9]{8}|[A-Z]{2}[0-9]{6}|[A-Z]{2}[0-9]{5}R|R[0-9]{7})$"


class CharityNumber(_Soft):
    """A registered charity number (England and Wales, Scotland SC, Northern Ireland NIC)."""

    pattern = r"^([0-9]{6,7}(-[0-9]{1,3})?|SC[0-9]{6}|NIC[0-9]{6})$"


class VatNumber(_Soft):
    """A UK VAT registration number without the GB prefix."""

    pattern = r"^([0-9]{9}|[0-9]{12}|GD[0-9]{3}|HA[0-9]{3})$"


class WebAddress(fields.Url):
    """An http or https link to published evidence."""

    soft = True

    def __init__(self, **kwargs):
        super().__init__(schemes={"http", "https"}, validate=validate.Length(max=1000), **kwargs)


def _consecutive_years(value: str) -> None:
    """Reject '2021-23-Q1': a financial year is two consecutive calendar years."""
    if not re.match(PERIOD_PATTERN, value):
        return  # the shape validator has already said what is wrong
    first, second = int(value[:4]), int(value[5:7])
    if second != (first + 1) % 100:
        raise ValidationError(
            f"The years in '{value}' must be consecutive, like {first}-{(first + 1) % 100:02d}."
        )


class Period(fields.String):
    """A financial quarter '2021-22-Q3' (Q1 is April to June), or a year '2021-22' if allowed."""

    def __init__(self, *, years: bool = False, **kwargs):
        shape = validate.Regexp(
            re.compile(PERIOD_PATTERN if years else QUARTER_PATTERN),
            error="Write a quarter like 2021-22-Q3"
            + (" or a financial year like 2021-22." if years else "."),
        )
        super().__init__(validate=[shape, _consecutive_years], **kwargs)
