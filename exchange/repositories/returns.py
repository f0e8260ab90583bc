"""Queries over returns and their issues."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exchange.models.returns import ACCEPTED, PartnerReturn, ReturnIssue


class ReturnRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, ret: PartnerReturn) -> PartnerReturn:
        self.session.add(ret)
        self.session.flush()
        return ret

    def get(self, return_id: int, partner_id: int | None = None) -> PartnerReturn | None:
        """A return by id; with ``partner_id``, only if it is that partner's."""
        ret = self.session.get(PartnerReturn, return_id)
        if ret is None or (partner_id is not None and ret.partner_id != partner_id):
            return None
        return ret

    def current(self, partner_id: int, kind: str, period: str) -> PartnerReturn | None:
        stmt = select(PartnerReturn).where(
            PartnerReturn.partner_id == partner_id, PartnerReturn.kind == kind,
            PartnerReturn.period == period, PartnerReturn.is_current)
        return self.session.scalars(stmt).first()

    def latest_version(self, partner_id: int, kind: str, period: str) -> int:
        stmt = select(func.max(PartnerReturn.version)).where(
            PartnerReturn.partner_id == partner_id, PartnerReturn.kind == kind,
            PartnerReturn.period == period, PartnerReturn.status == ACCEPTED)
        return self.session.scalar(stmt) or 0

    def by_idempotency_key(self, partner_id: int, key: str) -> PartnerReturn | None:
        stmt = select(PartnerReturn).where(PartnerReturn.partner_id == partner_id,
                                           PartnerReturn.idempotency_key == key)
        return self.session.scalars(stmt).first()

    def for_partner(self, partner_id: int, *, kind: str | None = None, period: str | None = None,
                    status: str | None = None, current: bool | None = None,
                    limit: int = 100, offset: int = 0) -> list[PartnerReturn]:
        stmt = select(PartnerReturn).where(PartnerReturn.partner_id == partner_id)
        if kind:
            stmt = stmt.where(PartnerReturn.kind == kind)
        if period:
            stmt = stmt.where(PartnerReturn.period == period)
        if status:
            stmt = stmt.where(PartnerReturn.status == status)
        if current is not None:
            stmt = stmt.where(PartnerReturn.is_current == current)
        stmt = stmt.order_by(PartnerReturn.id.desc()).limit(limit).offset(offset)
        return list(self.session.scalars(stmt))

    def awaiting_approval(self, partner_id: int) -> list[PartnerReturn]:
        """The partner's current accepted returns not yet approved, latest quarter first."""
        stmt = (select(PartnerReturn)
                .where(PartnerReturn.partner_id == partner_id, PartnerReturn.is_current,
                       PartnerReturn.status == ACCEPTED, PartnerReturn.approved_at.is_(None))
                .order_by(PartnerReturn.period.desc(), PartnerReturn.kind))
        return list(self.session.scalars(stmt))

    def issues(self, return_id: int, severity: str | None = None,
               limit: int | None = None) -> list[ReturnIssue]:
        """The return's issues in the order they were found; the first ``limit`` if given."""
        stmt = select(ReturnIssue).where(ReturnIssue.return_id == return_id)
        if severity:
            stmt = stmt.where(ReturnIssue.severity == severity)
        return list(self.session.scalars(stmt.order_by(ReturnIssue.id).limit(limit)))
