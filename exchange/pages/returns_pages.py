"""A partner's returns in the browser: the history, one return with its versions and issues,
the diff between versions, the issues CSV and the annotated workbook. Only ever the signed-in
person's partner's."""

from flask import Blueprint, abort, render_template

from exchange.api.return_reports import annotated_download
from exchange.api.returns import file_sent
from exchange.context import get_uow
from exchange.errors import NotFound
from exchange.ingest.diffs import diff_returns
from exchange.ingest.located import located_of
from exchange.ingest.receipts import receipt_of
from exchange.pages.upload import SHOWN_ISSUES, issues_csv
from exchange.web.access import login_required, signed_in_user
from exchange.web.error_pages import use_error_pages

blp = Blueprint("returns_pages", __name__)
use_error_pages(blp)
HISTORY_LIMIT = 200


@blp.get("/returns")
@login_required
def history():
    """Every return of the partner, newest first, grouped by kind and quarter."""
    with get_uow() as uow:
        returns = uow.returns.for_partner(signed_in_user().partner_id, limit=HISTORY_LIMIT)
    return render_template("pages/returns/history.html", returns=returns, limit=HISTORY_LIMIT)


@blp.get("/returns/<int:return_id>")
@login_required
def detail(return_id: int):
    """One return: its receipt, its issues and every version of its kind and quarter."""
    with get_uow() as uow:
        ret = _own(uow, return_id)
        receipt = receipt_of(ret, uow.returns.issues(ret.id), located_of(uow.session, ret))
        versions = uow.returns.for_partner(ret.partner_id, kind=ret.kind, period=ret.period)
    summary = receipt.summary()
    return render_template("pages/returns/detail.html", ret=ret, receipt=receipt,
                           versions=versions, shown=summary[:SHOWN_ISSUES], causes=len(summary))


@blp.get("/returns/<int:return_id>/diff")
@login_required
def diff(return_id: int):
    """What changed between this version and the one it superseded."""
    try:
        changes = diff_returns(return_id, signed_in_user().partner_id, get_uow())
    except NotFound:
        abort(404)
    return render_template("pages/returns/diff.html", diff=changes)


@blp.get("/returns/<int:return_id>/issues.csv")
@login_required
def issues(return_id: int):
    """Every issue of the return as CSV: a to-do list with row, column and value."""
    with get_uow() as uow:
        ret = _own(uow, return_id)
        found = uow.returns.issues(ret.id)
        name = f"return-{ret.id}-{ret.kind}-{ret.period}-issues.csv"
    return issues_csv(found, name)


@blp.get("/returns/<int:return_id>/file")
@login_required
def file(return_id: int):
    """Exactly the file sent, as the partner sent it."""
    with get_uow() as uow:
        return file_sent(_own(uow, return_id))


@blp.get("/returns/<int:return_id>/annotated.xlsx")
@login_required
def annotated(return_id: int):
    """The partner's own file as a workbook, each issue marked on its cell."""
    return annotated_download(_own, return_id)


def _own(uow, return_id: int):
    """The return if it is the signed-in person's partner's; anyone else's is 404."""
    ret = uow.returns.get(return_id, signed_in_user().partner_id)
    if ret is None:
        abort(404)
    return ret
