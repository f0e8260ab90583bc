"""Who am I, is the hub alive, and is it ready to take uploads."""

import logging

from flask import g, jsonify
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from exchange.auth import require_scope
from exchange.context import get_blobs, get_engine
from exchange.errors import ExchangeError

log = logging.getLogger(__name__)

blp = Blueprint("me", __name__, description="The caller's own identity")


class TokenPartnerSchema(Schema):
    slug = fields.String(metadata={"example": "rmbc"})
    name = fields.String(metadata={"example": "Rotherham Metropolitan Borough Council"})
    kind = fields.String(metadata={"description": "council, police, health, education, fire, "
                                                  "vcs, other…", "example": "council"})


class MeSchema(Schema):
    partner = fields.Nested(TokenPartnerSchema, metadata={
        "description": "The partner the token speaks for"})
    client_id = fields.String(metadata={"description": "The OAuth client that got the token"})
    user = fields.String(allow_none=True, metadata={
        "description": "The signed-in person's e-mail (authorization code), or null for a "
                       "client-credentials token"})
    scopes = fields.List(fields.String(), metadata={"example": ["returns:read",
                                                                "returns:write"]})
    expires_at = fields.DateTime(allow_none=True, metadata={
        "description": "When the token stops working (UTC)"})


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


def readyz():
    """Readiness: whether this server can take uploads now, its database answering and its
    blob store writable. 503 (with what failed, and no detail of why) when not."""
    checks = {"database": _check(_database_answers), "blobs": _check(
        get_blobs().check_writable)}
    ready = all(state == "ok" for state in checks.values())
    response = jsonify({"status": "ready" if ready else "not_ready", "checks": checks})
    response.status_code = 200 if ready else 503
    if not ready:
        response.headers["Retry-After"] = "30"
    return response


def _database_answers() -> None:
    with get_engine().connect() as connection:
        connection.execute(text("SELECT 1"))


def _check(probe) -> str:
    try:
        probe()
    except (ExchangeError, SQLAlchemyError) as err:
        log.warning("readiness check failed: %s", type(err).__name__)
        return "unavailable"
    return "ok"
