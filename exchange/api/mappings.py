"""Column mappings: the ones your partner saved by sending `columns` with an upload."""

from flask import g
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from exchange.api.docs import errors
from exchange.auth import current_actor, require_scope
from exchange.context import get_uow
from exchange.ingest.mappings import delete_mapping, list_mappings
from schemas import KINDS

blp = Blueprint("column_mappings", __name__,
                description="Column mappings saved for files with the same headings")


class MappingQueryArgsSchema(Schema):
    kind = fields.String(validate=validate.OneOf(list(KINDS)))


class ColumnMappingSchema(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"description": "spend, suppliers, commitments, measures or "
                                                  "contributions"})
    headings = fields.List(fields.String(), metadata={"description": "the file's headings"})
    columns = fields.Dict(keys=fields.String(), values=fields.String(allow_none=True),
                          metadata={"description": "standard field -> the file's heading"})
    saved_by = fields.String(metadata={"description": "user:EMAIL or client:ID"})
    saved_at = fields.String(metadata={"description": "When (ISO 8601, UTC)"})
    last_used_at = fields.String(allow_none=True,
                                 metadata={"description": "When (ISO 8601, UTC)"})


@blp.route("/column-mappings")
class ColumnMappingList(MethodView):
    @require_scope("returns:read")
    @blp.arguments(MappingQueryArgsSchema, location="query")
    @blp.response(200, ColumnMappingSchema(many=True))
    def get(self, args):
        """Your partner's saved column mappings, newest first; filter by kind."""
        return list_mappings(get_uow(), g.partner.id, args.get("kind"))


@blp.route("/column-mappings/<int:mapping_id>")
class ColumnMappingDetail(MethodView):
    @require_scope("returns:write")
    @blp.response(204)
    @errors(blp, {404: "Not one of your partner's mappings"})
    def delete(self, mapping_id: int):
        """Forget a saved mapping: files with those headings are recognised again."""
        delete_mapping(get_uow(), g.partner.id, g.partner.slug, mapping_id, current_actor())
