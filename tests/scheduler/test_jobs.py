"""The hub's jobs, run through the runner at moments the test chooses."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from apscheduler.util import ref_to_obj
from sqlalchemy import delete, select, update

from exchange.context import get_uow
from exchange.models import OutboxMessage, Release, SpendAggregate
from exchange.scheduling.app import runner_for
from exchange.scheduling.registry import find_job, scheduled_jobs
from tests.scheduler.conftest import job_runs, submit_spend

LONDON = ZoneInfo("Europe/London")
Q1 = "2025-26-Q1"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


def run_job(app, job_id: str, moment: datetime):
    runner = runner_for(app, [find_job(scheduled_jobs(app.config), job_id)])
    with time_machine.travel(moment, tick=False):
        [run] = runner.run_due(moment)
    return run


def releases() -> list[tuple[str, int, str]]:
    with get_uow() as uow:
        return [(r.period, r.version, r.published_at.astimezone(LONDON).date().isoformat())
                for r in uow.session.scalars(select(Release).order_by(Release.id))]


def test_a_quarters_release_waits_for_the_deadline_and_grace_then_is_published_once(app):
    submit_spend(at("2025-07-20 10:00"), "syp", Q1)

    before = run_job(app, "publish_releases", at("2025-08-14 06:00"))
    due = run_job(app, "publish_releases", at("2025-08-15 06:00"))
    after = run_job(app, "publish_releases", at("2025-08-16 06:00"))

    assert before.result == "no release due or changed"
    assert due.result == "published south-yorkshire 2025-26-Q1 v1"
    assert after.result == "no release due or changed"
    assert releases() == [(Q1, 1, "2025-08-15")]


def test_a_correction_after_publication_gets_a_new_version_the_next_day(app):
    submit_spend(at("2025-07-20 10:00"), "syp", Q1)
    run_job(app, "publish_releases", at("2025-08-15 06:00"))
    submit_spend(at("2025-09-10 10:00"), "syp", Q1, amount="1500.00")

    run = run_job(app, "publish_releases", at("2025-09-11 06:00"))

    assert run.result == "published south-yorkshire 2025-26-Q1 v2"
    assert releases() == [(Q1, 1, "2025-08-15"), (Q1, 2, "2025-09-11")]


def test_a_release_is_not_published_for_a_quarter_no_return_counts_in(app):
    submit_spend(at("2025-07-20 10:00"), "syp", Q1)

    run = run_job(app, "publish_releases", at("2026-03-01 06:00"))

    # Q1 has a return; Q2 (closed) has none, so it gets no empty release.
    assert run.result == "published south-yorkshire 2025-26-Q1 v1"
    assert [r[0] for r in releases()] == [Q1]


def test_the_reminders_job_sends_each_reminder_once(app, make_user, mailbox, monkeypatch):
    monkeypatch.setitem(app.config, "SMTP_URL", mailbox.url)
    make_user("rmbc", "ann@rmbc.example", "a long password for ann")
    submit_spend(at("2025-07-20 10:00"), "rmbc", Q1)

    first = run_job(app, "reminders", at("2025-07-24 07:00"))
    with time_machine.travel(at("2025-07-24 15:00"), tick=False):
        again = runner_for(app).run_now("reminders")

    subjects = sorted(m["Subject"] for m in mailbox.messages)
    assert first.outcome == "ok" and again.outcome == "ok"
    assert again.result == "0 reminders queued; 0 e-mails sent"
    assert first.result == "4 reminders queued; 4 e-mails sent"
    assert len(subjects) == 4 and not any("spend return" in s for s in subjects)
    assert all(m["To"] == "ann@rmbc.example" for m in mailbox.messages)
    assert [r.trigger for r in job_runs("reminders")] == ["scheduled", "manual"]


# A moment at which each of the hub's jobs has work to do, given two Q1 spend returns.
BUSY_MOMENT = {
    "reminders": at("2025-07-24 07:00"),  # a week before the Q1 deadline
    "outbox": at("2025-07-24 07:05"),
    "refresh_aggregates": at("2025-08-01 02:30"),
    "publish_releases": at("2026-03-01 06:00"),
    "mid_year_report": at("2025-10-01 06:00"),
    "annual_report": at("2026-05-15 06:00"),
}


# Surrogate keys that a rebuild of the aggregates may renumber without changing any figure.
RENUMBERED = {"id", "scope_id"}


def _database_contents() -> dict[str, list[str]]:
    """Every row of every table but the record of job runs, in a stable order."""
    from exchange.models import Base

    with get_uow() as uow:
        return {table.name: sorted(map(repr, uow.session.execute(
                    select(*[c for c in table.columns if c.name not in RENUMBERED]))))
                for table in Base.metadata.sorted_tables if table.name != "job_run"}


@pytest.mark.parametrize("job_id", sorted(BUSY_MOMENT))
def test_each_job_run_again_at_the_same_moment_repeats_nothing(
        app, job_id, make_user, mailbox, monkeypatch):
    assert set(BUSY_MOMENT) == {spec.id for spec in scheduled_jobs(app.config)}
    monkeypatch.setitem(app.config, "SMTP_URL", mailbox.url)
    make_user("rmbc", "ann@rmbc.example", "a long password for ann")
    submit_spend(at("2025-07-20 10:00"), "rmbc", Q1)
    submit_spend(at("2025-07-20 10:00"), "syp", Q1)  # needs no approval to count in a release
    if job_id == "outbox":
        run_job(app, "reminders", at("2025-07-24 07:00"))
        mailbox.messages.clear()
        with get_uow() as uow:  # the reminders' e-mails are due again, as after a failed send
            uow.session.execute(update(OutboxMessage).values(sent_at=None))
            uow.commit()
    if job_id == "refresh_aggregates":
        with get_uow() as uow:  # aggregates gone stale, as after a threshold changes
            uow.session.execute(delete(SpendAggregate))
            uow.commit()
    runner = runner_for(app, [find_job(scheduled_jobs(app.config), job_id)])
    job = ref_to_obj(runner.jobs[0].func)
    moment = BUSY_MOMENT[job_id]
    before = _database_contents()

    with time_machine.travel(moment, tick=False):
        first = job(runner.context, moment)
        after_first, sent_first = _database_contents(), len(mailbox.messages)
        again = job(runner.context, moment)

    assert after_first != before, f"{job_id} did nothing the first time: {first}"
    assert _database_contents() == after_first, (first, again)
    assert len(mailbox.messages) == sent_first
