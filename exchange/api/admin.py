"""For administrators of the hub: the record of scheduled job runs."""

from flask import url_for
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from exchange.auth import require_scope
from exchange.bounds import whole
from exchange.context import get_uow
from exchange.models.jobs import OUTCOMES
from exchange.repositories.job_runs import JobRunRepository
from exchange.scheduling.registry import JOBS

blp = Blueprint("admin_api", __name__, description="Administration of the hub (scope admin)")


class JobRunArgsSchema(Schema):
    job = fields.String(validate=validate.OneOf([job.id for job in JOBS]),
                        metadata={"description": "only runs of this job"})
    outcome = fields.String(validate=validate.OneOf(OUTCOMES))
    limit = fields.Integer(load_default=50, validate=whole(1, 500))
    offset = fields.Integer(load_default=0, validate=whole())


class JobRunSchema(Schema):
    id = fields.Integer()
    job = fields.String(attribute="job_id")
    scheduled_for = fields.DateTime()
    trigger = fields.String(metadata={"description": "scheduled, or manual (hub jobs run)"})
    started_at = fields.DateTime()
    finished_at = fields.DateTime(allow_none=True)
    outcome = fields.String(metadata={"description": "running, ok, failed or skipped"})
    result = fields.String(allow_none=True)
    error = fields.String(allow_none=True, metadata={"description": "type and message only"})
    host = fields.String()
    pid = fields.Integer()


class JobRunPageSchema(Schema):
    items = fields.List(fields.Nested(JobRunSchema))
    total = fields.Integer()
    next = fields.String(allow_none=True)


@blp.route("/admin/job-runs")
class JobRuns(MethodView):
    @require_scope("admin")
    @blp.arguments(JobRunArgsSchema, location="query")
    @blp.response(200, JobRunPageSchema)
    def get(self, args):
        """Runs of the scheduled jobs, newest first; filter by job and outcome."""
        with get_uow() as uow:
            runs, total = JobRunRepository(uow.session).page(
                job_id=args.get("job"), outcome=args.get("outcome"), limit=args["limit"],
                offset=args["offset"])
        following = args["offset"] + args["limit"]
        next_url = url_for("admin_api.JobRuns", **{**args, "offset": following}) \
            if following < total else None
        return {"items": runs, "total": total, "next": next_url}
