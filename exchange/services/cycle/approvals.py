"""Approve a return: a person of the same partner, who did not submit it, certifies the current
accepted version. A partner with ``requires_approval`` has its returns counted in releases only
once they are approved (exchange/feeds/sources.py ``counting_returns``)."""

from datetime import datetime

from sqlalchemy import update

from exchange.errors import Conflict, Forbidden, NotFound
from exchange.models import PartnerReturn, User
from exchange.models.returns import ACCEPTED
from exchange.unit_of_work import UnitOfWork

NOT_YOURS = "There is no return with that id among your partner's returns."
OWN_SUBMISSION = "You submitted this return, someone else must approve it."
NOT_APPROVER = ("Only a person with the approver role can approve returns; ask your "
                "organisation's administrator.")


def actor_of(user: User) -> str:
    """How a person appears in ``submitted_by``, ``approved_by`` and the audit log."""
    return f"user:{user.email}"


def approve_return(uow: UnitOfWork, return_id: int, *, approver, now: datetime) -> PartnerReturn:
    """Approve the current accepted return ``return_id`` on behalf of ``approver`` (a User, or
    anything with the id of one: the person is read afresh, so a role just removed counts)."""
    with uow:
        person = uow.session.get(User, approver.id)
        if person is None or person.disabled:
            raise Forbidden("Approving needs a person with an active login of the partner.")
        ret = uow.returns.get(return_id, person.partner_id)
        if ret is None:
            raise NotFound(NOT_YOURS)
        if not person.has_role("approver"):
            raise Forbidden(NOT_APPROVER)
        if ret.submitted_by == actor_of(person):
            raise Forbidden(OWN_SUBMISSION)
        _check_approvable(ret)
        # One conditional UPDATE: of two approvers at the same moment, exactly one succeeds.
        done = uow.session.execute(
            update(PartnerReturn)
            .where(PartnerReturn.id == ret.id, PartnerReturn.is_current,
                   PartnerReturn.status == ACCEPTED, PartnerReturn.approved_at.is_(None))
            .values(approved_at=now, approved_by=actor_of(person))
            .execution_options(synchronize_session=False))
        if done.rowcount != 1:
            raise Conflict("This return has just been approved, or superseded; reload it.")
        uow.audit.add(actor_of(person), "return.approve", partner_slug=ret.partner.slug,
                      subject=f"return:{ret.id}", kind=ret.kind, period=ret.period,
                      version=ret.version, submitted_by=ret.submitted_by)
        uow.commit()
        uow.session.refresh(ret)
        return ret


def _check_approvable(ret: PartnerReturn) -> None:
    if ret.status != ACCEPTED:
        raise Conflict("Only an accepted return can be approved; this one was rejected.")
    if not ret.is_current:
        raise Conflict(f"Only the current version can be approved; version {ret.version} of "
                       f"this {ret.kind} return for {ret.period} has been superseded.")
    if ret.approved_at is not None:
        raise Conflict(f"This return was already approved by {ret.approved_by} at "
                       f"{ret.approved_at:%Y-%m-%d %H:%M} UTC.")
