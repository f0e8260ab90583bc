"""Views: the partnership's and the MCA's combined figures, from current accepted returns."""

from flask import g
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, pre_load

from exchange.api.docs import PERIOD_PATTERN, errors, json_body, path_parameter
from exchange.api.view_docs import McaViewSchema, PartnershipViewSchema
from exchange.auth import require_scope
from exchange.context import get_uow
from exchange.views.audience import require_member
from exchange.views.mca import mca_view
from exchange.views.partnership import partnership_view

blp = Blueprint("views", __name__, description="Combined figures of a place and a sub-region")
SUBREGION = path_parameter("subregion", "A sub-region (combined authority), by slug or ONS code",
                           example="south-yorkshire")


class ViewArgsSchema(Schema):
    """Checked by the view itself, so that a bad value gets a message saying what would do."""

    first = fields.String(data_key="from", required=True, metadata={
        "description": "first period: a quarter (2021-22-Q1) or a financial year (2021-22)",
        "pattern": PERIOD_PATTERN, "example": "2025-26"})
    last = fields.String(data_key="to", metadata={
        "description": "last period, inclusive, not before from (default: the same as from)",
        "pattern": PERIOD_PATTERN, "example": "2025-26"})
    by = fields.String(metadata={"description": "quarter, year or total (default)",
                                 "enum": ["quarter", "year", "total"]})
    basis = fields.String(metadata={
        "description": "as_submitted (default), or comparable: only lines at or above the "
                       "highest spend threshold among the partners compared",
        "enum": ["as_submitted", "comparable"]})

    @pre_load
    def _checked_by_the_view(self, data, **kwargs):
        """'from' is required; a missing one reaches the view, which says so beside whatever
        else is wrong, in the same shape as its other checks."""
        return {"from": "", **{key: data[key] for key in data}}


@blp.route("/views/partnership/<place>", parameters=[path_parameter(
    "place", "A place partnership, by slug or ONS code", example="rotherham")])
class PartnershipView(MethodView):
    @require_scope("views:read")
    @blp.arguments(ViewArgsSchema, location="query")
    @json_body(blp, PartnershipViewSchema, "The partnership's figures for the window")
    @errors(blp, {403: "Not a partner of this place partnership",
                  404: "No such place partnership",
                  422: "Bad from, to, by or basis, or to before from"})
    def get(self, args, place: str):
        """A place partnership's spend KPIs per partner and combined, charter, measures: for
        its partners only (everyone else reads the disclosure-controlled feeds)."""
        require_member(get_uow(), g.partner.slug, place, "place")
        return partnership_view(get_uow(), place, args.get("first"), args.get("last"),
                                args.get("by"), args.get("basis"))


@blp.route("/views/mca/<subregion>", parameters=[SUBREGION])
class McaView(MethodView):
    @require_scope("views:read")
    @blp.arguments(ViewArgsSchema, location="query")
    @json_body(blp, McaViewSchema, "The sub-region's figures for the window")
    @errors(blp, {403: "Not a partner of every place of the sub-region",
                  404: "No such sub-region",
                  422: "Bad from, to, by or basis, or to before from"})
    def get(self, args, subregion: str):
        """A sub-region's spend KPIs per place and combined, and the flows of spend: live, for
        partners of every one of its places only (everyone else reads the feeds)."""
        require_member(get_uow(), g.partner.slug, subregion, "subregion")
        return mca_view(get_uow(), subregion, args.get("first"), args.get("last"),
                        args.get("by"), args.get("basis"))
