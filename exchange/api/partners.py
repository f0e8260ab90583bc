"""The registry of partners, as any token holder may see it."""

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from exchange.auth import require_scope
from exchange.context import get_uow

blp = Blueprint("partners", __name__, description="Partners of the hub and their places")


class PartnerSchema(Schema):
    slug = fields.String(metadata={"description": "The partner's short name in every URL and "
                                                  "file", "example": "rmbc"})
    name = fields.String(metadata={"example": "Rotherham Metropolitan Borough Council"})
    kind = fields.String(metadata={"description": "council, police, health, education, fire, "
                                                  "vcs, other…", "example": "council"})
    org_id = fields.String(metadata={"description": "Its identifier in the Organisation "
                                                    "Identifier register", "example":
                                                    "GB-LAE-ROT"})
    places = fields.List(fields.String(), metadata={
        "description": "The place partnerships it belongs to", "example": ["rotherham"]})
    spend_threshold = fields.Decimal(as_string=True, allow_none=True, metadata={
        "type": "string", "format": "decimal",
        "description": "The smallest payment the partner publishes, in GBP, e.g. \"500.00\""})


@blp.route("/partners")
class Partners(MethodView):
    @require_scope()
    @blp.response(200, PartnerSchema(many=True))
    def get(self):
        """Every partner, with its kind, org id, places and spend threshold."""
        with get_uow() as uow:
            places = {p.id: p.slug for p in uow.places.all()}
            return [
                {"slug": p.slug, "name": p.name, "kind": p.kind, "org_id": p.org_id,
                 "places": sorted(places[m.place_id] for m in p.memberships),
                 "spend_threshold": p.spend_threshold}
                for p in uow.partners.all()
            ]
