"""The audit log is append-only in the database itself: the triggers of its migration refuse to
change or remove an event, on SQLite and PostgreSQL alike, whoever asks."""

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError

from exchange.context import get_engine, get_uow
from exchange.models import AuditEvent


@pytest.fixture
def event_id(app) -> int:
    with get_uow() as uow:
        event = uow.audit.add("cli", "user.create", partner_slug="rmbc", subject="x@rmbc.example")
        uow.commit()
        return event.id


def count() -> int:
    with get_engine().connect() as connection:
        return connection.scalar(select(func.count()).select_from(AuditEvent))


def test_an_audit_event_cannot_be_changed(event_id):
    with pytest.raises(DBAPIError, match="append-only"), get_engine().begin() as connection:
        connection.execute(update(AuditEvent).where(AuditEvent.id == event_id)
                           .values(actor="someone else"))

    with get_engine().connect() as connection:
        assert connection.scalar(select(AuditEvent.actor).where(AuditEvent.id == event_id)) \
            == "cli"


def test_an_audit_event_cannot_be_deleted(event_id):
    with pytest.raises(DBAPIError, match="append-only"), get_engine().begin() as connection:
        connection.execute(delete(AuditEvent).where(AuditEvent.id == event_id))

    assert count() == 1


def test_the_audit_log_cannot_be_truncated_on_postgresql(event_id):
    if get_engine().dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE; DELETE is refused above")
    with pytest.raises(DBAPIError, match="append-only"), get_engine().begin() as connection:
        connection.execute(text("TRUNCATE audit_event"))

    assert count() == 1


def test_new_events_are_still_added(event_id):
    with get_uow() as uow:
        uow.audit.add("cli", "client.create", partner_slug="rmbc")
        uow.commit()

    assert count() == 2
