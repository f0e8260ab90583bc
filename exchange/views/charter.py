"""The charter side of a partnership view: commitments scoreboard and contributions (measures
are in exchange.views.measures).
These lines are few (a handful per partner and quarter), so they are read directly."""

from decimal import Decimal

from sqlalchemy import func, select

from exchange.models import (
    CharterCommitment,
    CommitmentLine,
    ContributionLine,
)
from exchange.unit_of_work import UnitOfWork
from exchange.views.common import ReturnRow
from exchange.views.measures import code_of as _code

CENT = Decimal("0.01")


def _decimal(value) -> str | None:
    return None if value is None else str(Decimal(str(value)).quantize(CENT))


def commitments_of(uow: UnitOfWork, place_id: int) -> list:
    """The place's charter commitments (code, title, aim, unit), by code."""
    c = CharterCommitment
    return list(uow.session.execute(select(c.code, c.title, c.aim, c.unit)
                                    .where(c.place_id == place_id).order_by(c.code)))


def scoreboard(uow: UnitOfWork, commitments: list, partners: list,
               returns: list[ReturnRow]) -> list[dict]:
    """Each commitment x partner, from the partner's latest current commitments return in the
    window: status, target and actual (``not_reported`` when it has no line for it)."""
    latest: dict[int, ReturnRow] = {}
    for ret in returns:
        if ret.kind == "commitments" and (ret.partner_id not in latest
                                          or ret.period > latest[ret.partner_id].period):
            latest[ret.partner_id] = ret
    lines: dict[tuple[int, str], tuple] = {}
    if latest:
        stmt = select(CommitmentLine.return_id, CommitmentLine.commitment,
                      CommitmentLine.status, CommitmentLine.target, CommitmentLine.actual,
                      CommitmentLine.unit).where(
            CommitmentLine.return_id.in_([r.id for r in latest.values()]))
        by_return = {r.id: r.partner_id for r in latest.values()}
        for line in uow.session.execute(stmt.order_by(CommitmentLine.row_number)):
            lines.setdefault((by_return[line.return_id], _code(line.commitment)), line)
    board = []
    for commitment in commitments:
        entries = []
        for partner in partners:
            line, ret = lines.get((partner.id, _code(commitment.code))), latest.get(partner.id)
            entries.append({
                "partner": partner.slug,
                "status": line.status if line else "not_reported",
                "target": _decimal(line.target) if line else None,
                "actual": _decimal(line.actual) if line else None,
                "unit": (line.unit or commitment.unit) if line else commitment.unit,
                "period": ret.period if line else None,
                "return_id": ret.id if line else None,
            })
        board.append({"code": commitment.code, "title": commitment.title,
                      "aim": commitment.aim, "unit": commitment.unit, "partners": entries})
    return board


def contributions(uow: UnitOfWork, returns: list[ReturnRow]) -> list[dict]:
    """Totals of non-contractual contributions by type: how many, quantity and value."""
    ids = [r.id for r in returns if r.kind == "contributions"]
    if not ids:
        return []
    stmt = (select(ContributionLine.contribution_type, func.count(),
                   func.sum(ContributionLine.quantity), func.sum(ContributionLine.value))
            .where(ContributionLine.return_id.in_(ids))
            .group_by(ContributionLine.contribution_type)
            .order_by(ContributionLine.contribution_type))
    return [{"type": kind, "count": count, "quantity": _decimal(quantity),
             "value": _decimal(value)}
            for kind, count, quantity, value in uow.session.execute(stmt)]
