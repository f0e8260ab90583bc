"""The audit log: add and read, never update or delete."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.models import AuditEvent


class AuditRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, actor: str, action: str, *, partner_slug: str | None = None,
            subject: str | None = None, **detail) -> AuditEvent:
        event = AuditEvent(actor=actor, action=action, partner_slug=partner_slug,
                           subject=subject, detail=detail)
        self.session.add(event)
        return event

    def recent(self, limit: int = 100) -> list[AuditEvent]:
        stmt = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
        return list(self.session.scalars(stmt))
