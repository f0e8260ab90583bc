"""A return's issues in the shapes other tools read: a Frictionless validation report, and the
partner's own file as a workbook with each issue marked on its cell."""

from flask import Response, send_file
from flask.views import MethodView
from flask_smorest import Blueprint

from exchange.api.docs import errors
from exchange.api.returns import _own_return
from exchange.auth import require_scope
from exchange.context import get_blobs, get_uow
from exchange.ingest.frictionless_report import REPORT_LIMIT, validation_report
from exchange.ingest.return_file import file_layout

blp = Blueprint("return_reports", __name__,
                description="A return's issues as a validation report or an annotated workbook")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_ERROR_DOC = {"type": "object", "required": ["type", "title", "description", "message", "tags",
                                             "note"], "properties": {
    "type": {"type": "string", "example": "type-error",
             "description": "Frictionless error type: type-error, constraint-error, "
                            "row-constraint, row-error, blank-row, header-error, "
                            "table-dimensions, table-error, source-error, format-error or "
                            "cell-error"},
    "title": {"type": "string"}, "description": {"type": "string"},
    "message": {"type": "string"}, "note": {"type": "string"},
    "tags": {"type": "array", "items": {"type": "string"}},
    "rowNumber": {"type": "integer", "description": "the row as numbered in your own file"},
    "cells": {"type": "array", "items": {"type": "string"}, "description": "always empty"},
    "fieldName": {"type": "string", "description": "the column's heading in your file"},
    "fieldNumber": {"type": "integer", "description": "the column's position (A = 1)"},
    "cell": {"type": "string"},
    "labels": {"type": "array", "items": {"type": "string"}},
    "rowNumbers": {"type": "array", "items": {"type": "integer"}},
    "code": {"type": "string", "example": "amount.invalid", "description": "our issue code"},
    "columnLetter": {"type": "string", "example": "B"}}}
_STATS_DOC = {"type": "object", "required": ["errors", "warnings"], "properties": {
    **{name: {"type": "integer"} for name in ("tasks", "errors", "warnings", "bytes", "fields",
                                              "rows")},
    "seconds": {"type": "number"}, "sha256": {"type": "string"}}}
_TASK_DOC = {"type": "object", "properties": {
    "name": {"type": "string", "example": "return-12"}, "type": {"type": "string"},
    "valid": {"type": "boolean"}, "place": {"type": "string"},
    "labels": {"type": "array", "items": {"type": "string"}}, "stats": _STATS_DOC,
    "warnings": {"type": "array", "items": {"type": "string"}},
    "errors": {"type": "array", "items": _ERROR_DOC}}}
VALIDATION_REPORT_DOC = {"type": "object", "required": ["valid", "stats", "warnings", "errors",
                                                        "tasks"], "properties": {
    "valid": {"type": "boolean"}, "stats": _STATS_DOC,
    "warnings": {"type": "array", "items": {"type": "string"}},
    "errors": {"type": "array", "items": _ERROR_DOC},
    "tasks": {"type": "array", "items": _TASK_DOC}}}


@blp.route("/returns/<int:return_id>/report.json")
class ReturnValidationReport(MethodView):
    @require_scope("returns:read")
    @blp.alt_response(200, schema=VALIDATION_REPORT_DOC, success=True,
                      description="A Frictionless v5 validation report")
    @errors(blp, {404: "Not one of your partner's returns"})
    def get(self, return_id: int):
        """One of your returns' issues as a Frictionless v5 validation report."""
        with get_uow() as uow:
            ret = _own_return(uow, return_id)
            layout = file_layout(ret, uow, get_blobs())
            return validation_report(ret, uow.returns.issues(ret.id, limit=REPORT_LIMIT),
                                     layout.labels)


@blp.route("/returns/<int:return_id>/annotated.xlsx")
class ReturnAnnotated(MethodView):
    @require_scope("returns:read")
    @blp.alt_response(200, schema={"type": "string", "format": "binary"}, content_type=XLSX,
                      description="Your file with its issues marked", success=True)
    @errors(blp, {404: "Not one of your partner's returns"})
    def get(self, return_id: int):
        """Your own file as a workbook: each cell with an issue filled and commented, and a
        first sheet listing every issue with a link to its cell."""
        return annotated_download(_own_return, return_id)


def annotated_download(own, return_id: int) -> Response:
    """The annotated workbook of the return ``own(uow, return_id)`` finds (or refuses)."""
    # Imported when a workbook is asked for: openpyxl, imported with this module, cost every
    # hub command and every worker's start 0.1 s.
    from exchange.ingest.annotated_file import MARK_LIMIT, annotated_file

    blobs = get_blobs()
    with get_uow() as uow:
        ret = own(uow, return_id)
        issues = uow.returns.issues(ret.id, limit=MARK_LIMIT + 1)
        body, name = annotated_file(ret, issues[:MARK_LIMIT], len(issues) > MARK_LIMIT,
                                    file_layout(ret, uow, blobs), blobs)
    return send_file(body, mimetype=XLSX, as_attachment=True, download_name=name)
