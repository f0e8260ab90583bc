"""The issues of "check only" uploads, kept for the person's session so the CSV to-do list can
be downloaded without keeping (or checking again) the file."""

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from exchange.ingest.receipts import Receipt
from exchange.models.checks import CheckReport
from exchange.unit_of_work import UnitOfWork
from schemas.issues import Issue

KEEP_HOURS = 12


def keep_check(uow: UnitOfWork, user_id: int, receipt: Receipt, now: datetime,
               keep_hours: int = KEEP_HOURS) -> str:
    """Store a check's issues; returns the id to find them by. Checks older than
    ``keep_hours`` are removed at the same time."""
    check_id = secrets.token_urlsafe(32)
    with uow:
        uow.session.execute(delete(CheckReport).where(
            CheckReport.created_at < now - timedelta(hours=keep_hours)))
        uow.session.add(CheckReport(id=check_id, user_id=user_id, kind=receipt.kind,
                                    period=receipt.period, created_at=now,
                                    issues=[issue.to_dict() for issue in receipt.issues]))
        uow.commit()
    return check_id


def check_issues(uow: UnitOfWork, check_id: str, user_id: int
                 ) -> tuple[CheckReport, list[Issue]] | None:
    """A kept check of this person, with its issues; None when there is none (or it expired)."""
    with uow:
        found = uow.session.scalars(select(CheckReport).where(
            CheckReport.id == check_id, CheckReport.user_id == user_id)).first()
        if found is None:
            return None
        return found, [Issue(**issue) for issue in found.issues]
