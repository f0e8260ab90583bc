"""Return windows: each quarter's opening and deadline, and who has sent what.

Needs ``views:read`` (every partner, as the partnership view shows them) or ``returns:read``
(your own partner's rows only)."""

from flask import current_app, g
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields

from exchange.api.docs import QUARTER_PATTERN, OpenSchema, count, errors, json_body, path_parameter
from exchange.auth import require_scope
from exchange.context import get_uow
from exchange.errorhandlers import error_response
from exchange.errors import BadRequest
from exchange.models.base import utcnow
from exchange.periods import Period
from exchange.services.cycle.windows import STATUSES, WindowRules, period_status, periods_overview

blp = Blueprint("periods", __name__, description="Return windows and submission status")

EITHER = ("views:read", "returns:read")
SECURITY = {"security": [{"oauth2": ["views:read"]}, {"oauth2": ["returns:read"]}]}


STATUS_DOC = ("not_due (the window has not opened), open (open, nothing sent yet), submitted, "
              "approved, late (first accepted after the deadline) or missing (deadline passed, "
              "nothing accepted)")


class StatusCountsSchema(OpenSchema):
    """How many windows are in each status (integers)."""

    not_due, open, submitted = count("not due"), count("open"), count("submitted")
    approved, late, missing = count("approved"), count("late"), count("missing")


class PeriodSummarySchema(OpenSchema):
    period = fields.String(metadata={"example": "2025-26-Q1"})
    description = fields.String(metadata={"example": "April to June 2025"})
    opens = fields.Date(metadata={"description": "The window's first day (UK)"})
    deadline = fields.Date(metadata={"description": "The last day a return is on time (UK)"})
    counts = fields.Nested(StatusCountsSchema)
    total = count("Windows owed for the quarter (partners × kinds)")


class PeriodListSchema(OpenSchema):
    as_of = fields.DateTime(metadata={"description": "When the statuses were worked out"})
    statuses = fields.List(fields.String(), metadata={"description": STATUS_DOC})
    periods = fields.List(fields.Nested(PeriodSummarySchema), metadata={
        "description": "Each quarter from the start of the cycle to today"})


class WindowStatusSchema(OpenSchema):
    partner = fields.String(metadata={"example": "rmbc"})
    partner_name = fields.String()
    kind = fields.String(metadata={"example": "spend"})
    period = fields.String(metadata={"example": "2025-26-Q1"})
    status = fields.String(metadata={"description": STATUS_DOC, "enum": list(STATUSES)})
    opens = fields.Date()
    deadline = fields.Date()
    requires_approval = fields.Boolean(metadata={
        "description": "Releases count the partner's returns only once approved"})
    late = fields.Boolean(metadata={"description": "First accepted after the deadline"})
    return_id = fields.Integer(allow_none=True, metadata={"description": "The current return"})
    version = fields.Integer(allow_none=True)
    submitted_at = fields.DateTime(allow_none=True)
    first_submitted_at = fields.DateTime(allow_none=True)
    approved_at = fields.DateTime(allow_none=True)
    approved_by = fields.String(allow_none=True)


class PeriodStatusSchema(OpenSchema):
    period = fields.String(metadata={"example": "2025-26-Q1"})
    description = fields.String(metadata={"example": "April to June 2025"})
    as_of = fields.DateTime()
    counts = fields.Nested(StatusCountsSchema)
    items = fields.List(fields.Nested(WindowStatusSchema), metadata={
        "description": "Each partner and kind of return owed for the quarter"})


NO_SCOPE = {403: "The token has neither views:read nor returns:read"}


def _visible_partner_ids():
    """None for every partner (views:read); your own partner only (returns:read)."""
    if "views:read" in g.scopes:
        return None
    return [g.partner.id]


def _scope_refused():
    needed = " or ".join(EITHER)
    return error_response(403, f"This needs an access token with the scope {needed}.",
                          error="insufficient_scope", errors={"scope": list(EITHER)})


def _rules() -> WindowRules:
    return WindowRules.from_config(current_app.config)


def _quarter(text: str) -> Period:
    try:
        period = Period.parse(text)
    except ValueError as err:
        raise BadRequest(f"'{text}' is not a quarter like 2025-26-Q1: {err}.",
                         errors={"period": [str(err)]}) from err
    if period.is_year:
        raise BadRequest(f"{period} is a financial year; status is per quarter, e.g. "
                         f"{period}-Q1.", errors={"period": ["a quarter is needed"]})
    return period


@blp.route("/periods")
class PeriodList(MethodView):
    @blp.doc(**SECURITY)  # annotates only; require_scope() still runs first
    @require_scope()
    @json_body(blp, PeriodListSchema, "The quarters of the cycle to date")
    @errors(blp, NO_SCOPE)
    def get(self):
        """Each quarter of the cycle to date: its window and its returns counted by status."""
        if not g.scopes & set(EITHER):
            return _scope_refused()
        now = utcnow()
        summaries = periods_overview(get_uow(), now, rules=_rules(),
                                     partner_ids=_visible_partner_ids())
        return {"as_of": now.isoformat(), "statuses": list(STATUSES),
                "periods": [s.to_dict() for s in summaries]}


@blp.route("/periods/<period>/status", parameters=[path_parameter(
    "period", "A financial quarter, e.g. 2025-26-Q1", pattern=QUARTER_PATTERN,
    example="2025-26-Q1")])
class PeriodStatus(MethodView):
    @blp.doc(**SECURITY)
    @require_scope()
    @json_body(blp, PeriodStatusSchema, "Each partner and kind owed for the quarter")
    @errors(blp, {400: "Not a quarter like 2025-26-Q1", **NO_SCOPE})
    def get(self, period: str):
        """Where each partner and kind of return owed for one quarter stands.

        not_due, open, submitted, approved, late or missing, with the window's dates and the
        current return."""
        if not g.scopes & set(EITHER):
            return _scope_refused()
        quarter, now = _quarter(period), utcnow()
        found = period_status(get_uow(), quarter, now, rules=_rules(),
                              partner_ids=_visible_partner_ids())
        counts = dict.fromkeys(STATUSES, 0)
        for state in found:
            counts[state.status] += 1
        return {"period": str(quarter), "description": quarter.describe(),
                "as_of": now.isoformat(), "counts": counts,
                "items": [state.to_dict() for state in found]}
