"""Charter returns: commitments progress, outcome measures and voluntary contributions."""

from marshmallow import fields, validate

from schemas.base import RowSchema
from schemas.fields import Choice, Code, Money, Postcode, Quantity, Text, WebAddress, meta

# A count of people, starts or hours, and a gift, are never below zero: a negative one is an error.
NOT_NEGATIVE = validate.Range(min=0)


class CommitmentRowSchema(RowSchema):
    """Progress against one Social Value Charter commitment."""

    class Meta:
        title = "Commitment progress"
        description = "Progress against one Social Value Charter commitment."

    commitment = Code(required=True, metadata=meta(
        "Commitment", "The charter commitment's code, as listed in the charter.",
        "real_living_wage",
    ))
    status = Choice(("not_started", "in_progress", "achieved"), required=True, metadata=meta(
        "Status", "not_started, in_progress or achieved.", "in_progress",
    ))
    target = Quantity(metadata=meta("Target", "The figure you aim to reach.", "100"))
    actual = Quantity(metadata=meta("Actual", "The figure reached so far.", "85"))
    unit = Text(40, metadata=meta(
        "Unit", "What target and actual count: %, people, £, tCO2e…", "%",
    ))
    evidence = Text(4000, metadata=meta(
        "Evidence", "What shows the progress, in a sentence or two.",
        "Accredited by the Living Wage Foundation in May 2021.",
    ))
    evidence_url = WebAddress(metadata=meta(
        "Evidence link", "A web page with the published evidence.",
        "https://www.livingwage.org.uk/accredited-living-wage-employers",
    ))
    date_achieved = fields.Date(metadata=meta(
        "Date achieved", "When the commitment was met, if it has been.", "2021-05-12",
    ))


class MeasureRowSchema(RowSchema):
    """One numeric outcome measure for the period."""

    class Meta:
        title = "Outcome measure"
        description = "One numeric outcome measure for the period, from the measures table."

    measure = Code(required=True, metadata=meta(
        "Measure", "The measure's code from the measures table.", "local_residents_employed",
    ))
    value = Quantity(required=True, validate=NOT_NEGATIVE, metadata=meta(
        "Value", "The number for the period, in the measure's unit; never negative.", "42",
    ))
    unit = Text(40, metadata=meta("Unit", "The unit the value is in.", "people"))
    note = Text(2000, metadata=meta(
        "Note", "Anything a reader needs to know about the figure.",
        "Includes 6 apprentices from S60 and S61.",
    ))


class ContributionRowSchema(RowSchema):
    """One non-contractual social responsibility contribution."""

    class Meta:
        title = "Contribution"
        description = "Volunteering, a donation or an in-kind gift, outside any contract."

    at_least_one = (("quantity", "value"),)

    contributor_name = Text(required=True, metadata=meta(
        "Contributor name", "The business or organisation that gave.", "Don Valley Joinery Ltd",
    ))
    contributor_org_id = Text(40, metadata=meta(
        "Contributor organisation ID", "The contributor's org-id.guide identifier, if known.",
        "GB-COH-01234567",
    ))
    contributor_postcode = Postcode(metadata=meta(
        "Contributor postcode", "Postcode of the contributor's local site.", "S60 2UD",
    ))
    contribution_type = Choice(
        ("volunteering_hours", "cash_donation", "in_kind"), required=True, metadata=meta(
            "Contribution type", "volunteering_hours, cash_donation or in_kind.",
            "volunteering_hours",
        ),
    )
    quantity = Quantity(validate=NOT_NEGATIVE, metadata=meta(
        "Quantity", "How much: hours for volunteering, items for in-kind gifts.", "16",
    ))
    value = Money(validate=NOT_NEGATIVE, metadata=meta(
        "Value (GBP)", "What it was worth in pounds and pence; never negative.", "250.00",
    ))
    beneficiary = Text(metadata=meta(
        "Beneficiary", "Who benefited.", "Clifton Park Community Garden",
    ))
    locality = Text(metadata=meta(
        "Locality", "The neighbourhood or ward that benefited.", "Boston Castle",
    ))
    contribution_date = fields.Date(metadata=meta(
        "Contribution date", "When the contribution was made.", "2021-11-06", in_period=True,
    ))
