"""`hub jobs list`, `hub jobs run JOB` and `hub scheduler`'s set-up, through click's runner."""

import socket
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import update

from exchange.cli import cli
from exchange.context import get_engine, get_uow
from exchange.models.jobs import apscheduler_jobs
from exchange.scheduling import process
from exchange.scheduling.app import runner_for, scheduler_for
from exchange.services.cycle import outbox
from tests.scheduler.conftest import job_runs

LONDON = ZoneInfo("Europe/London")


def hub(app, *args):
    return app.test_cli_runner().invoke(cli, list(args))


def rows(output: str) -> dict[str, str]:
    return {line.split()[0]: line for line in output.splitlines()[1:]}


def test_jobs_list_shows_every_job_with_its_schedule_and_next_run(app):
    with time_machine.travel(datetime(2026, 3, 10, 12, 1, tzinfo=LONDON), tick=False):
        result = hub(app, "jobs", "list")

    assert result.exit_code == 0, result.output
    listed = rows(result.output)
    assert set(listed) == {"reminders", "outbox", "refresh_aggregates", "publish_releases",
                           "mid_year_report", "annual_report"}
    assert "0 7 * * *" in listed["reminders"] and "2026-03-11 07:00 GMT" in listed["reminders"]
    assert "2026-03-10 12:05 GMT" in listed["outbox"]
    assert "2026-10-01 06:00 BST" in listed["mid_year_report"]
    assert "2026-05-15 06:00 BST" in listed["annual_report"]
    assert listed["reminders"].endswith("never")


def test_jobs_list_shows_the_next_run_the_scheduler_stored_and_the_last_run(app):
    runner = runner_for(app)
    scheduler = scheduler_for(app, runner)
    process.start(scheduler, runner)
    scheduler.shutdown()
    stored = datetime(2030, 5, 15, 6, tzinfo=LONDON)
    with get_engine().begin() as connection:
        connection.execute(update(apscheduler_jobs).where(apscheduler_jobs.c.id == "annual_report")
                           .values(next_run_time=stored.timestamp()))
    hub(app, "jobs", "run", "refresh_aggregates")

    listed = rows(hub(app, "jobs", "list").output)

    assert "2030-05-15 06:00 BST" in listed["annual_report"]
    assert " ok " in listed["refresh_aggregates"]


def test_jobs_run_runs_a_job_now_and_records_it_as_manual(app):
    result = hub(app, "jobs", "run", "refresh_aggregates")

    assert result.exit_code == 0, result.output
    assert result.output.strip() == "refresh_aggregates: ok: aggregates rebuilt for 0 spend returns"
    [run] = job_runs("refresh_aggregates")
    assert (run.trigger, run.outcome) == ("manual", "ok")
    assert run.scheduled_for == run.started_at <= run.finished_at <= datetime.now(UTC)


def test_jobs_run_of_a_job_that_fails_exits_non_zero_and_records_the_error(app, monkeypatch):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    monkeypatch.setitem(app.config, "SMTP_URL", f"smtp://hub:topsecret@127.0.0.1:{port}")
    outbox.enqueue(get_uow(), to="ann@rmbc.example", subject="Hello", body="Hi", dedupe_key="t1")

    result = hub(app, "jobs", "run", "outbox")

    assert result.exit_code == 1
    assert "outbox: failed: DeliveryFailed: 1 e-mails not sent" in result.output
    [run] = job_runs("outbox")
    assert run.outcome == "failed" and "could not reach 127.0.0.1" in run.error
    assert "topsecret" not in run.error and "topsecret" not in result.output


def test_jobs_run_without_an_smtp_server_configured_is_skipped(app, monkeypatch):
    monkeypatch.setitem(app.config, "SMTP_URL", "")

    result = hub(app, "jobs", "run", "outbox")

    assert result.exit_code == 0
    assert result.output.strip() == ("outbox: skipped: SMTP_URL is not set: e-mail stays in "
                                     "the outbox")


def test_jobs_run_of_an_unknown_job_names_the_jobs(app):
    result = hub(app, "jobs", "run", "backup")

    assert result.exit_code == 2
    assert "There is no job 'backup'; the jobs are reminders, outbox" in result.output
    assert job_runs() == []


def test_a_bad_schedule_in_the_settings_is_refused_with_the_job_named(app, monkeypatch):
    monkeypatch.setitem(app.config, "SCHEDULE", {"outbox": "every five minutes"})

    result = hub(app, "jobs", "list")

    assert result.exit_code != 0
    assert "SCHEDULE['outbox']" in str(result.exception)
