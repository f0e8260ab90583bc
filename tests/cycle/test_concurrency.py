"""Two processes' worth of reminder and delivery runs at the same moment, on PostgreSQL: every
reminder is queued once and every message sent once."""

import threading

from sqlalchemy import func, select

from exchange.models import OutboxMessage
from exchange.services.cycle.outbox import deliver_pending, enqueue
from exchange.services.cycle.reminders import queue_due_reminders
from exchange.unit_of_work import UnitOfWork
from tests.conftest import requires_postgres
from tests.cycle.conftest import at

NOW = at("2025-07-24 07:00")


def together(app, work, workers: int = 2) -> list:
    """Run ``work(uow)`` in several threads released at once; their results."""
    sessions = app.extensions["exchange"]["sessions"]
    start, results, errors = threading.Barrier(workers), [], []

    def run():
        start.wait()
        try:
            results.append(work(UnitOfWork(sessions)))
        except Exception as err:  # noqa: BLE001 - reported by the assertion below
            errors.append(err)

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    return results


@requires_postgres
def test_two_reminder_runs_at_once_queue_each_reminder_once(app, make_user):
    make_user("rmbc", "ann@rmbc.example", "a long password 1")
    queued = together(app, lambda uow: queue_due_reminders(uow, NOW), workers=3)
    assert sum(queued) == 5
    with UnitOfWork(app.extensions["exchange"]["sessions"]) as uow:
        assert uow.session.scalar(select(func.count()).select_from(OutboxMessage)) == 5


@requires_postgres
def test_two_deliveries_at_once_send_each_message_once(app, smtp_server):
    for n in range(30):
        enqueue(UnitOfWork(app.extensions["exchange"]["sessions"]), to="ann@rmbc.example",
                subject=f"message {n}", body="text\n", dedupe_key=f"m{n}", now=NOW)
    reports = together(app, lambda uow: deliver_pending(uow, NOW, smtp_server.url), workers=3)
    assert sum(r.sent for r in reports) == 30
    assert sorted(m.subject for m in smtp_server.messages) == sorted(
        f"message {n}" for n in range(30))
