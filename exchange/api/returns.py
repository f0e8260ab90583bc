"""Returns: submit one, list a partner's own, and read one back."""

from flask import Response, g, request, send_file, url_for
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from exchange.api.args import QuarterArg
from exchange.api.docs import QUARTER_PATTERN, errors, json_body
from exchange.api.return_docs import (
    DiffSchema,
    LinesPageSchema,
    ReceiptSchema,
    ReturnSchema,
)
from exchange.api.standard import XLSX
from exchange.api.uploads import read_submission
from exchange.auth import current_actor, require_scope
from exchange.bounds import whole
from exchange.context import get_blobs, get_read_limits, get_uow
from exchange.csvsafe import csv_bytes
from exchange.errorhandlers import error_response
from exchange.errors import Forbidden, NotFound
from exchange.filenames import download_name
from exchange.ingest.diffs import diff_returns
from exchange.ingest.located import located_of
from exchange.ingest.receipts import receipt_of
from exchange.ingest.submissions import Submission, submit_return
from exchange.models.base import utcnow
from exchange.services.cycle.approvals import approve_return
from schemas import KINDS

blp = Blueprint("returns", __name__, description="Quarterly returns of partners")

OCTET_STREAM = "application/octet-stream"
FILE_TYPES = {"csv": "text/csv", "json": "application/json", "xlsx": XLSX}
UNSUPPORTED = "file.unsupported"  # the issue code of a file that is not CSV, XLSX or JSON

# A 422 is either a rejected return's receipt or the error body of a bad envelope.
REJECTED_DOC = {"anyOf": [{"$ref": "#/components/schemas/Receipt"},
                          {"$ref": "#/components/schemas/Error"}]}

UPLOAD_DOC = {"requestBody": {"required": True, "content": {
    "multipart/form-data": {"schema": {"type": "object", "required": ["file", "kind", "period"],
        "properties": {
            "file": {"type": "string", "format": "binary",
                     "description": "CSV, XLSX or JSON, as your finance system exports it"},
            "kind": {"type": "string",
                     "enum": ["spend", "suppliers", "commitments", "measures", "contributions"]},
            "period": {"type": "string", "example": "2021-22-Q3", "pattern": QUARTER_PATTERN},
            "profile": {"type": "string", "description": "adapter profile, if not detected"},
            "dry_run": {"type": "boolean", "description": "validate only; store nothing"},
            "columns": {"type": "string", "description": (
                "a JSON object from standard field names to your file's headings, e.g. "
                '{"supplier_name": "SUPP_NM"}; remembered for files with the same headings')},
        }}},
    "application/json": {"schema": {"type": "object", "required": ["kind", "period", "rows"],
        "properties": {
            "kind": {"type": "string",
                     "enum": ["spend", "suppliers", "commitments", "measures", "contributions"]},
            "period": {"type": "string", "example": "2021-22-Q3", "pattern": QUARTER_PATTERN},
            "rows": {"type": "array", "items": {"type": "object"},
                     "description": "one object per row, keyed by headings or field names"},
            "dry_run": {"type": "boolean", "description": "validate only; store nothing"},
            "columns": {"type": "object", "additionalProperties": {"type": "string",
                                                                   "nullable": True},
                        "description": "standard field -> the key your rows use for it"},
        }}},
}}, "parameters": [{"in": "header", "name": "Idempotency-Key", "required": False,
                    "schema": {"type": "string", "maxLength": 200},
                    "description": "makes a retried request safe"}]}


class ReturnQueryArgsSchema(Schema):
    kind = fields.String(validate=validate.OneOf(list(KINDS)))
    period = QuarterArg()
    status = fields.String(validate=validate.OneOf(["accepted", "rejected"]))
    current = fields.Boolean()
    limit = fields.Integer(load_default=100, validate=whole(1, 1000))
    offset = fields.Integer(load_default=0, validate=whole())


class LinesQueryArgsSchema(Schema):
    cursor = fields.Integer(load_default=0, validate=whole(),
                            metadata={"description": "the last row number of the previous page"})
    limit = fields.Integer(load_default=500, validate=whole(1, 5000))


@blp.route("/returns")
class ReturnList(MethodView):
    @require_scope("returns:write")
    @blp.doc(**UPLOAD_DOC)
    @json_body(blp, ReceiptSchema, "Accepted: the receipt (Location: the new return)", 201)
    @json_body(blp, ReceiptSchema, "A dry run's report (accepted), or the earlier receipt "
               "replayed for the same Idempotency-Key or bytes (Idempotent-Replayed: true)")
    @blp.alt_response(422, schema=REJECTED_DOC, description=(
        "Rejected: the receipt with every issue, by row and column; or a kind, period, profile "
        "or columns mapping that is not valid (the error body)"))
    @errors(blp, {400: "No file, or a form or JSON body missing kind or period",
                  413: "Larger than the upload limit; nothing is kept",
                  415: "Not a CSV, XLSX or JSON file: the error body, with the receipt of the "
                       "kept bytes under errors.receipt",
                  503: "The blob store cannot be written now (Retry-After)",
                  507: "The blob store is full; nothing is kept"})
    def post(self):
        """Submit one return file (or JSON rows) for one kind and period."""
        envelope, keep = read_submission()
        key = request.headers.get("Idempotency-Key", "").strip()[:200] or None
        sub = Submission(g.partner.slug, envelope.kind, envelope.period, current_actor(),
                         envelope.profile, envelope.dry_run, key, columns=envelope.columns)
        with get_blobs().for_run(sub.dry_run) as blobs:  # a dry run keeps no bytes
            receipt = submit_return(sub, keep(blobs), get_uow(), blobs,
                                    limits=get_read_limits())
        headers = {"Location": f"/api/v1/returns/{receipt.id}"} if receipt.id else {}
        if receipt.replayed:
            headers["Idempotent-Replayed"] = "true"
            unsupported = next((i for i in receipt.issues if i.code == UNSUPPORTED), None)
            if unsupported is not None:
                # A retried request gets the answer the first one got: 415, not a 422.
                return error_response(415, unsupported.message, errors={
                    "receipt": receipt.to_dict()}, headers=headers)
        if receipt.dry_run or receipt.replayed:
            status = 200 if receipt.status == "accepted" else 422
        else:
            status = 201 if receipt.status == "accepted" else 422
        return receipt.to_dict(), status, headers

    @require_scope("returns:read")
    @blp.arguments(ReturnQueryArgsSchema, location="query")
    @blp.response(200, ReturnSchema(many=True))
    def get(self, args):
        """Your own partner's returns, newest first; filter by kind, period and status."""
        with get_uow() as uow:
            return uow.returns.for_partner(g.partner.id, **args)


def _own_return(uow, return_id: int):
    ret = uow.returns.get(return_id, g.partner.id)
    if ret is None:
        raise NotFound("There is no return with that id among your partner's returns.")
    return ret


@blp.route("/returns/<int:return_id>")
class ReturnDetail(MethodView):
    @require_scope("returns:read")
    @blp.response(200, ReturnSchema)
    @errors(blp, {404: "Not one of your partner's returns"})
    def get(self, return_id: int):
        """One of your returns: its version, counts and totals."""
        with get_uow() as uow:
            return _own_return(uow, return_id)


@blp.route("/returns/<int:return_id>/receipt")
class ReturnReceipt(MethodView):
    @require_scope("returns:read")
    @json_body(blp, ReceiptSchema, "The receipt: warnings if accepted, every issue if rejected")
    @errors(blp, {404: "Not one of your partner's returns"})
    def get(self, return_id: int):
        """The receipt of one of your returns, with its issues."""
        with get_uow() as uow:
            ret = _own_return(uow, return_id)
            located = located_of(uow.session, ret)
            return receipt_of(ret, uow.returns.issues(ret.id), located).to_dict()


@blp.route("/returns/<int:return_id>/issues.csv")
class ReturnIssuesCsv(MethodView):
    @require_scope("returns:read")
    @blp.alt_response(200, schema={"type": "string"}, content_type="text/csv", success=True,
                      description="severity, row, column, column_letter, value, code, message "
                                  "(formula-safe)")
    @errors(blp, {404: "Not one of your partner's returns"})
    def get(self, return_id: int):
        """Every issue of a return as a CSV to-do list (row, column, value, what to do)."""
        with get_uow() as uow:
            ret = _own_return(uow, return_id)
            issues = uow.returns.issues(ret.id)
            body = csv_bytes(
                ["severity", "row", "column", "column_letter", "value", "code", "message"],
                ([i.severity, i.row, i.column, i.column_letter, i.value, i.code, i.message]
                 for i in issues))
        name = f"return-{ret.id}-{ret.partner.slug}-{ret.kind}-{ret.period}-issues.csv"
        return Response(body, mimetype="text/csv", headers={
            "Content-Disposition": f'attachment; filename="{name}"'})


@blp.route("/returns/<int:return_id>/lines")
class ReturnLines(MethodView):
    @require_scope("returns:read")
    @blp.arguments(LinesQueryArgsSchema, location="query")
    @json_body(blp, LinesPageSchema, "A page of lines, in row order")
    @errors(blp, {404: "Not one of your partner's returns"})
    def get(self, args, return_id: int):
        """The normalised rows of a return, by row number, a page at a time."""
        with get_uow() as uow:
            ret = _own_return(uow, return_id)
            # One row more than the page shows whether there is a next page, so the last page
            # says "next": null rather than pointing at an empty one.
            lines = uow.lines.for_return(ret.kind, ret.id, after_row=args["cursor"],
                                         limit=args["limit"] + 1)
            items = [line_dict(line) for line in lines[:args["limit"]]]
        more = len(lines) > args["limit"]
        next_url = (url_for("returns.ReturnLines", return_id=return_id, limit=args["limit"],
                            cursor=items[-1]["row_number"]) if more else None)
        return {"items": items, "next": next_url}


@blp.route("/returns/<int:return_id>/file")
class ReturnFile(MethodView):
    @require_scope("returns:read")
    @blp.doc(responses={"200": {"description": "The file as received, served as the type the "
                                "hub read it as", "content": {
        media: {"schema": {"type": "string", "format": "binary"}}
        for media in [*FILE_TYPES.values(), OCTET_STREAM]}}})
    @errors(blp, {404: "Not one of your partner's returns"})
    def get(self, return_id: int):
        """Exactly the bytes received, accepted or rejected."""
        with get_uow() as uow:
            ret = _own_return(uow, return_id)
            return file_sent(ret)


def file_sent(ret):
    """The bytes of a return as received, for the API and the return's page: streamed from the
    blob store a chunk at a time, whichever store holds them."""
    blobs = get_blobs()
    # The type the hub read the bytes as, never the one the uploader claimed (text/html…).
    response = send_file(blobs.open(ret.sha256),
                         mimetype=FILE_TYPES.get(ret.file_format, OCTET_STREAM),
                         as_attachment=True, etag=ret.sha256,
                         download_name=download_name(ret.filename, f"return-{ret.id}"))
    if response.status_code == 200 and response.content_length is None:
        response.content_length = blobs.size(ret.sha256)
    return response


@blp.route("/returns/<int:return_id>/diff")
class ReturnDiff(MethodView):
    @require_scope("returns:read")
    @json_body(blp, DiffSchema, "Lines added, removed and changed, and the change in totals")
    @errors(blp, {404: "Not one of your partner's returns"})
    def get(self, return_id: int):
        """What changed from the version this return superseded."""
        return diff_returns(return_id, g.partner.id, get_uow())


PERSON_ONLY = ("Approving needs a person: sign in through an application (authorization code). "
               "A client-credentials token cannot approve returns.")


@blp.route("/returns/<int:return_id>/approve")
class ReturnApproval(MethodView):
    @require_scope("returns:approve")
    @blp.response(200, ReturnSchema)
    @errors(blp, {403: "Not a person, not an approver, or the submitter",
                  404: "Not one of your partner's returns",
                  409: "Already approved, superseded or rejected"})
    def post(self, return_id: int):
        """Approve one of your partner's returns that someone else submitted."""
        if g.get("user") is None:
            raise Forbidden(PERSON_ONLY)
        return approve_return(get_uow(), return_id, approver=g.user, now=utcnow())


def line_dict(line) -> dict:
    out = {}
    for column in line.__table__.columns:
        if column.name in ("id", "return_id"):
            continue
        value = getattr(line, column.name)
        out[column.name] = value if value is None or isinstance(value, bool | int) else str(value)
    return out
