"""The append-only audit log of submissions, approvals, releases and admin actions.

Append-only in the database itself: triggers (migration 0019) refuse UPDATE and DELETE (and
TRUNCATE on PostgreSQL), whatever the connection."""

from datetime import datetime

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from exchange.models.base import Base, utcnow


class AuditEvent(Base):
    __tablename__ = "audit_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))  # "user:alice@rmbc", "client:abc", "cli"
    partner_slug: Mapped[str | None] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(60))
    subject: Mapped[str | None] = mapped_column(String(200))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)


REFUSAL = "audit_event is append-only"
# The triggers, per dialect: (statements that create them, statements that drop them).
APPEND_ONLY = {
    "postgresql": ([
        "CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        # No "%" placeholder: drivers would take it for a parameter.
        f"BEGIN RAISE EXCEPTION USING MESSAGE = '{REFUSAL}: ' || TG_OP || ' refused'; END $$",
        "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
        "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()",
        "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()",
    ], [
        "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event",
        "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event",
        "DROP FUNCTION IF EXISTS audit_event_append_only()",
    ]),
    "sqlite": ([
        "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
        f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}: UPDATE refused'); END",
        "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
        f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}: DELETE refused'); END",
    ], [
        "DROP TRIGGER IF EXISTS audit_event_no_update",
        "DROP TRIGGER IF EXISTS audit_event_no_delete",
    ]),
}
