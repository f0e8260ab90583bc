"""A partner's supplier worklist: its unlocated suppliers (also as a suppliers-return template),
what its data officers state about them, and its review list of name-only matches."""

from flask import Response, g
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from exchange.api.docs import OpenSchema, errors, json_body, money, path_parameter, record
from exchange.auth import current_actor, require_scope
from exchange.bounds import whole
from exchange.context import get_uow
from exchange.csvsafe import csv_bytes
from exchange.errors import Forbidden
from exchange.normalise import CHARITY_NUMBER_PATTERN, COMPANY_NUMBER_PATTERN
from exchange.services.directory import worklist
from exchange.services.directory.provenance import explain_supplier

blp = Blueprint("suppliers", __name__,
                description="Locating spend: unlocated suppliers, statements and reviews")


def _own(slug: str) -> None:
    """A partner's worklist is its own: another partner's token gets 403."""
    if slug != g.partner.slug:
        raise Forbidden(f"Your token is for {g.partner.slug}; only {slug} may see or change "
                        f"{slug}'s suppliers.")


class PageArgsSchema(Schema):
    limit = fields.Integer(load_default=100, validate=whole(1, 1000))
    offset = fields.Integer(load_default=0, validate=whole())


class UnlocatedSchema(Schema):
    name_key = fields.String(metadata={"description": "the name as suppliers are matched"})
    supplier_name = fields.String()
    supplier_id = fields.String(allow_none=True)
    company_number = fields.String(allow_none=True)
    charity_number = fields.String(allow_none=True)
    amount = money("Net spend with the supplier")
    lines = fields.Integer()
    share = fields.Float(allow_none=True, metadata={
        "description": "the share of the partner's spend (by value) it would locate (a "
                       "fraction from 0 to 1, to four places)"})


class WorklistSchema(Schema):
    partner = fields.String()
    suppliers = fields.List(fields.Nested(UnlocatedSchema))


class StatementSchema(Schema):
    name = fields.String(required=True, metadata={"description": "as the worklist shows it"})
    supplier_id = fields.String(allow_none=True)
    postcode = fields.String(allow_none=True)
    company_number = fields.String(allow_none=True)
    charity_number = fields.String(allow_none=True)
    sme = fields.String(allow_none=True, metadata={"description": "yes, no or unknown"})
    vcse = fields.String(allow_none=True, metadata={"description": "yes, no or unknown"})


class StatementsSchema(Schema):
    suppliers = fields.List(fields.Nested(StatementSchema), required=True,
                            validate=validate.Length(min=1, max=1000))


class StatedSchema(Schema):
    statements = fields.List(fields.Integer(), metadata={
        "description": "The id of each statement saved, in the order sent"})


class DecisionSchema(Schema):
    decision = fields.String(required=True, validate=validate.OneOf(["confirm", "reject"]))


class ReviewSchema(Schema):
    id = fields.Integer()
    supplier_name = fields.String()
    name_key = fields.String()
    other_partner = fields.String(allow_none=True)
    other_supplier_id = fields.String()
    status = fields.String()
    found_at = fields.String(allow_none=True)
    decided_by = fields.String(allow_none=True)
    decided_at = fields.String(allow_none=True)


SLUG = [path_parameter("slug", "Your own partner (the token's)", example="rmbc")]
NOT_YOURS = {403: "Not your own partner's suppliers"}


@blp.route("/partners/<slug>/unlocated-suppliers", parameters=SLUG)
class Unlocated(MethodView):
    @require_scope("returns:read")
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, WorklistSchema)
    @errors(blp, NOT_YOURS)
    def get(self, args, slug: str):
        """Your suppliers that no source places, biggest spend first."""
        _own(slug)
        found, _ = worklist.unlocated_suppliers(get_uow(), g.partner.id, args["limit"],
                                                args["offset"])
        return {"partner": slug, "suppliers": [s.to_dict() for s in found]}


@blp.route("/partners/<slug>/unlocated-suppliers.csv", parameters=SLUG)
class UnlocatedTemplate(MethodView):
    @require_scope("returns:read")
    @blp.arguments(PageArgsSchema, location="query")
    @blp.alt_response(200, schema={"type": "string"}, content_type="text/csv", success=True,
                      description="A suppliers return to fill in (formula-safe)")
    @errors(blp, NOT_YOURS)
    def get(self, args, slug: str):
        """The worklist as a suppliers-return CSV to fill in and upload as a suppliers return."""
        _own(slug)
        return template_response(slug, g.partner.id, args["limit"])


def template_response(slug: str, partner_id: int, limit: int = 1000) -> Response:
    found, _ = worklist.unlocated_suppliers(get_uow(), partner_id, limit)
    return Response(csv_bytes(worklist.TEMPLATE_HEADER, worklist.template_rows(found)),
                    mimetype="text/csv", headers={
                        "Content-Disposition":
                            f'attachment; filename="{slug}-unlocated-suppliers.csv"'})


@blp.route("/partners/<slug>/supplier-statements", parameters=SLUG)
class Statements(MethodView):
    @require_scope("returns:write")
    @blp.arguments(StatementsSchema)
    @blp.response(201, StatedSchema)
    @errors(blp, {**NOT_YOURS, 422: "A supplier's statement is not valid: nothing was saved"})
    def post(self, body, slug: str):
        """Give a postcode, company or charity number, SME and VCSE for one or many suppliers;
        they place your lines from the next rebuild."""
        _own(slug)
        ids = worklist.state_suppliers(get_uow(), g.partner.id, slug, current_actor(),
                                       body["suppliers"])
        return {"statements": ids}


@blp.route("/partners/<slug>/supplier-reviews", parameters=SLUG)
class Reviews(MethodView):
    @require_scope("returns:read")
    @blp.response(200, ReviewSchema(many=True))
    @errors(blp, NOT_YOURS)
    def get(self, slug: str):
        """Other partners' suppliers whose name alone matches one of yours."""
        _own(slug)
        return worklist.review_list(get_uow(), g.partner.id)


@blp.route("/partners/<slug>/supplier-reviews/<int:review_id>", parameters=SLUG)
class Review(MethodView):
    @require_scope("returns:write")
    @blp.arguments(DecisionSchema)
    @blp.response(200, ReviewSchema)
    @errors(blp, {**NOT_YOURS, 404: "Not on your review list",
                  409: "Already confirmed or rejected"})
    def post(self, body, slug: str, review_id: int):
        """Confirm or reject one match; a confirmed one places your lines from the next
        rebuild."""
        _own(slug)
        return worklist.decide_review(get_uow(), g.partner.id, slug, current_actor(),
                                      review_id, body["decision"] == "confirm")


class ExplainArgsSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=300))
    supplier_id = fields.String(validate=validate.Length(max=100))
    company_number = fields.String(validate=validate.Length(max=20), metadata={
        "description": "Companies House number: 8 digits, or 2 letters and 6 digits",
        "pattern": COMPANY_NUMBER_PATTERN, "maxLength": 8, "example": "09000006"})
    charity_number = fields.String(validate=validate.Length(max=20), metadata={
        "description": "Charity number: 6 or 7 digits, or SC or NIC and 6 digits",
        "pattern": CHARITY_NUMBER_PATTERN, "example": "1146304"})
    postcode = fields.String(validate=validate.Length(max=10))


class PlacedSchema(OpenSchema):
    """How the directory places a line of yours to a supplier now, and who said so."""

    name = fields.String()
    org_id = fields.String(allow_none=True, metadata={"description": "The supplier's "
                                                                     "identifier, if known"})
    location = record("status (found, outside, unknown), lad_code, source and said (by whom "
                      "and when)")
    sme = record("value (true, false or null when unknown) and said")
    vcse = record("value (true, false or null when unknown) and said")


@blp.route("/partners/<slug>/supplier-directory", parameters=SLUG)
class Directory(MethodView):
    @require_scope("returns:read")
    @blp.arguments(ExplainArgsSchema, location="query")
    @json_body(blp, PlacedSchema, "Where the line is placed, and who said each attribute")
    @errors(blp, {**NOT_YOURS, 422: "A number or postcode that is not valid"})
    def get(self, args, slug: str):
        """Where your line to this supplier is placed now, and who said each attribute
        (location, SME, VCSE) and when."""
        _own(slug)
        return explain_supplier(get_uow(), g.partner.id, **args)
