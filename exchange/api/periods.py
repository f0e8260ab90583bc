"""Return windows: each quarter's opening and deadline, and who has sent what.

Needs ``views:read`` (every partner, as the partnership view shows them) or ``returns:read``
(your own partner's rows only)."""

from flask import current_app, g
from flask.views import MethodView
from flask_smorest import Blueprint

from exchange.auth import require_scope
from exchange.context import get_uow
from exchange.errorhandlers import error_response
from exchange.errors import BadRequest
from exchange.models.base import utcnow
from exchange.periods import Period
from exchange.services.windows import STATUSES, WindowRules, period_status, periods_overview

blp = Blueprint("periods", __name__, description="Return windows and submission status")

EITHER = ("views:read", "returns:read")
SECURITY = {"security": [{"oauth2": ["views:read"]}, {"oauth2": ["returns:read"]}]}


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
    def get(self):
        """Each quarter of the cycle to date: its window and its returns counted by status."""
        if not g.scopes & set(EITHER):
            return _scope_refused()
        now = utcnow()
        summaries = periods_overview(get_uow(), now, rules=_rules(),
                                     partner_ids=_visible_partner_ids())
        return {"as_of": now.isoformat(), "statuses": list(STATUSES),
                "periods": [s.to_dict() for s in summaries]}


@blp.route("/periods/<period>/status")
class PeriodStatus(MethodView):
    @blp.doc(**SECURITY)
    @require_scope()
    @blp.alt_response(400, description="Not a quarter like 2025-26-Q1")
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
