"""Who am I, and is the hub alive."""

from flask import g, jsonify
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy import text

from exchange.auth import require_scope
from exchange.context import get_engine

blp = Blueprint("me", __name__, description="The caller's own identity")


class MeSchema(Schema):
    partner = fields.Dict(metadata={"description": "slug, name and kind of the token's partner"})
    client_id = fields.String()
    user = fields.String(allow_none=True)
    scopes = fields.List(fields.String())
    expires_at = fields.DateTime(allow_none=True)


@blp.route("/me")
class Me(MethodView):
    @require_scope()
    @blp.response(200, MeSchema)
    def get(self):
        """The partner, client and scopes of the access token."""
        token = g.token
        return {
            "partner": {"slug": g.partner.slug, "name": g.partner.name, "kind": g.partner.kind},
            "client_id": token.client_id,
            "user": g.user.email if g.user else None,
            "scopes": sorted(g.scopes),
            "expires_at": token.expires_at,
        }


def healthz():
    """Liveness and database reachability, for load balancers."""
    with get_engine().connect() as connection:
        connection.execute(text("SELECT 1"))
    return jsonify({"status": "ok"})
