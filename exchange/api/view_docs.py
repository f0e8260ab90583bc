"""The bodies of the views and feeds as the OpenAPI document describes them. Each schema is
open: a view may gain fields (a spend figure's ``coverage``, say) and clients ignore the ones
they do not know."""

from marshmallow import fields

from exchange.api.docs import OpenSchema, count, money, quantity, record, share


class PlaceRefSchema(OpenSchema):
    slug = fields.String(metadata={"example": "rotherham"})
    code = fields.String(metadata={"description": "ONS code", "example": "E08000018"})
    name = fields.String(metadata={"example": "Rotherham"})


class SpendKpisSchema(OpenSchema):
    """Spend with suppliers, from the current accepted spend returns."""

    total_spend = money("All spend, credit notes netted off")
    local_spend = money("Spend with suppliers located in the place (its local authority "
                        "districts)")
    subregional_spend = money("Spend with suppliers located in the sub-region")
    unknown_location_spend = money("Spend whose supplier could not be located: neither local "
                                   "nor not local")
    sme_spend = money("Spend with small and medium-sized enterprises")
    vcse_spend = money("Spend with voluntary, community and social enterprises")
    local_share = share("Counted spend with local suppliers / counted spend located; null with "
                        "a reason in withheld when too little spend is located")
    subregional_share = share("Counted spend in the sub-region / counted spend located; null "
                              "with a reason in withheld when too little spend is located")
    sme_share = share("Counted spend with SMEs / counted spend")
    vcse_share = share("Counted spend with VCSEs / counted spend")
    suppliers = count("Distinct suppliers paid")
    local_suppliers = count("Distinct local suppliers paid")
    credit_notes = money("Credit notes (negative amounts) within total_spend")
    withheld = fields.Dict(keys=fields.String(), values=fields.String(), metadata={
        "description": "The shares given as null for a reason, e.g. {\"local_share\": \"not "
                       "enough spend located\"} when the located share is under "
                       "LOCATED_SHARE_MINIMUM"})
    coverage = fields.Dict(metadata={
        "description": "How much of the counted spend (positive nets per supplier) was located: "
                       "located_share, located_spend, counted_spend, minimum and by_source (line, "
                       "register, identifier, companies_register, unknown), shares as fractions "
                       "and money as decimal strings. Fields may be added."})
    net_credit_suppliers = count("Suppliers (nets) left out of every share because they were "
                                 "credited at least as much as they were paid in the quarter")
    net_credit_spend = money("The net of those suppliers (zero or negative)")
    method = fields.String(metadata={"description": "Where the method of the shares is "
                                                    "written", "example": "/glossary#shares"})


class ReturnRefSchema(OpenSchema):
    id = fields.Integer()
    partner = fields.String(metadata={"example": "rmbc"})
    kind = fields.String(metadata={"example": "spend"})
    period = fields.String(metadata={"example": "2025-26-Q1"})
    version = fields.Integer()


class PartnerFiguresSchema(OpenSchema):
    slug = fields.String(metadata={"example": "rmbc"})
    name = fields.String()
    kpis = fields.Nested(SpendKpisSchema)
    returns = fields.List(fields.Nested(ReturnRefSchema), metadata={
        "description": "The returns these figures came from"})


class CombinedFiguresSchema(OpenSchema):
    kpis = fields.Nested(SpendKpisSchema)


class PartnershipPeriodSchema(OpenSchema):
    period = fields.String(metadata={"description": "A quarter, a year, or the whole range "
                                                    "(by=total)", "example": "2025-26-Q1"})
    combined = fields.Nested(CombinedFiguresSchema, metadata={
        "description": "The place's partners together"})
    partners = fields.List(fields.Nested(PartnerFiguresSchema))


class CompletenessSchema(OpenSchema):
    """Which partners' returns a figure counts, per place and quarter."""

    place = fields.String(metadata={"example": "rotherham"})
    period = fields.String(metadata={"example": "2025-26-Q1"})
    partners = count("Partners that owe spend returns")
    counted = fields.List(fields.String(), metadata={"description": "Partners whose returns "
                                                                   "are counted"})
    awaiting_approval = fields.List(fields.String(), metadata={
        "description": "Partners whose return waits for approval (not counted in releases)"})
    late = fields.List(fields.String(), metadata={"description": "Partners whose return came "
                                                                "after the deadline"})
    missing = fields.List(fields.String(), metadata={"description": "Deadline passed, "
                                                                   "nothing accepted"})
    open = fields.List(fields.String(), metadata={"description": "Window open, nothing yet"})
    not_due = fields.List(fields.String(), metadata={"description": "Window not yet open"})
    text = fields.String(metadata={"example": "Rotherham: 6 of 7 partners counted; RMBC "
                                              "awaiting approval"})


class CommitmentSchema(OpenSchema):
    code = fields.String(metadata={"example": "apprenticeships"})
    aim = fields.String(metadata={"description": "The Social Value Policy aim it evidences"})
    title = fields.String()
    unit = fields.String(metadata={"example": "starts"})
    partners = fields.List(record("partner, period, return_id, status (not_reported, "
                                  "not_started, in_progress, achieved), target and actual "
                                  "(decimal strings, in the unit; null when not reported)"))


class MeasureSchema(OpenSchema):
    code = fields.String(metadata={"example": "apprenticeship_starts"})
    name = fields.String()
    unit = fields.String(metadata={"example": "starts"})
    nature = fields.String(metadata={"enum": ["flow", "stock"], "description":
                                     "flow: summed over quarters; stock: a quarter-end count, "
                                     "averaged over quarters"})
    value = quantity("The measure over the window, in its unit")
    by_quarter = fields.Dict(keys=fields.String(), values=fields.String(allow_none=True),
                             metadata={"description": "The value of each quarter (decimal "
                                                      "strings, in the unit)"})
    proxy_value = money("The social value of one proxy_per unit")
    proxy_per = fields.String(metadata={"example": "start"})
    valued_units = quantity("The units valued: a flow's total, or a stock's person-years")
    social_value = money("valued_units × proxy_value")
    how = fields.String(metadata={"description": "How the figure was worked out, in words"})


class ContributionSchema(OpenSchema):
    type = fields.String(metadata={"example": "cash_donation"})
    count = count("Contributions recorded")
    quantity = quantity("Hours, items… where the type has a quantity")
    value = money("Their value")


class SubmissionStatusSchema(OpenSchema):
    partner = fields.String()
    kind = fields.String()
    period = fields.String()
    status = fields.String(metadata={"description": "not_due, open, submitted, approved, late "
                                                    "or missing"})
    return_id = fields.Integer(allow_none=True)
    version = fields.Integer(allow_none=True)


class WindowDocMixin:
    first = fields.String(data_key="from", metadata={"example": "2025-26"})
    last = fields.String(data_key="to", metadata={"example": "2025-26"})
    by = fields.String(metadata={"enum": ["quarter", "year", "total"]})
    basis = fields.String(metadata={"enum": ["as_submitted", "comparable"]})
    threshold = money("basis=comparable only: the spend threshold applied, the highest among "
                      "the partners compared")
    completeness = fields.List(fields.Nested(CompletenessSchema))


class PartnershipViewSchema(WindowDocMixin, OpenSchema):
    """A place partnership's figures: spend per partner and combined, charter, measures."""

    place = fields.Nested(PlaceRefSchema)
    periods = fields.List(fields.Nested(PartnershipPeriodSchema))
    commitments = fields.List(fields.Nested(CommitmentSchema), metadata={
        "description": "The Social Value Charter scoreboard"})
    measures = fields.List(fields.Nested(MeasureSchema), metadata={
        "description": "Outcome measures with their social value"})
    contributions = fields.List(fields.Nested(ContributionSchema))
    submission_status = fields.List(fields.Nested(SubmissionStatusSchema))


class FlowSchema(OpenSchema):
    source = fields.String(data_key="from", metadata={"description": "The place (or "
                                                                     "sub-region) spending"})
    to = fields.String(metadata={"description": "Where the suppliers are: an ONS district "
                                                "code, or outside/unknown"})


class McaPlaceSchema(PlaceRefSchema):
    partners = fields.List(fields.String())
    kpis = fields.Nested(SpendKpisSchema)


class McaPeriodSchema(OpenSchema):
    period = fields.String()
    places = fields.List(fields.Nested(McaPlaceSchema))
    subregion = fields.Nested(McaPlaceSchema, metadata={"description": "Every place together"})
    flows = fields.List(fields.Nested(FlowSchema), metadata={
        "description": "Spend from each place to where its suppliers are, with amounts (GBP "
                       "decimal strings) and supplier counts"})


class McaViewSchema(WindowDocMixin, OpenSchema):
    """A sub-region's figures per place and combined, and the flows of spend."""

    subregion = fields.Nested(PlaceRefSchema)
    periods = fields.List(fields.Nested(McaPeriodSchema))
    returns = fields.List(fields.Nested(ReturnRefSchema), metadata={
        "description": "The spend returns counted"})
