"""The job runner: each occurrence claimed once and recorded, failures recorded and survived,
with a clock the test controls."""

import os
import subprocess
import threading
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from exchange.context import get_uow
from exchange.models.jobs import JobRun
from exchange.scheduling import process
from exchange.scheduling.app import scheduler_for
from exchange.scheduling.runner import describe_error, latest_fire_time
from tests.scheduler.conftest import effects, job_runs, sample
from tests.scheduler.scheduler_process import EveryTwoSeconds

LONDON = ZoneInfo("Europe/London")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


def test_a_due_occurrence_runs_once_however_often_the_runner_looks(make_runner, side_effects):
    runner = make_runner([sample("tick", "0 7 * * *")])

    first = runner.run_due(at("2026-03-10 09:00"))
    again = runner.run_due(at("2026-03-10 12:00"))
    next_day = runner.run_due(at("2026-03-11 07:00"))

    assert [r.scheduled_for for r in first] == [at("2026-03-10 07:00").astimezone(UTC)]
    assert again == []
    assert [r.scheduled_for for r in next_day] == [at("2026-03-11 07:00").astimezone(UTC)]
    assert [e[0] for e in effects(side_effects)] == ["tick", "tick"]
    run = job_runs("tick")[0]
    assert (run.outcome, run.result, run.trigger) == ("ok", "ticked", "scheduled")
    assert run.started_at == at("2026-03-10 09:00") and run.finished_at is not None
    assert run.host and run.pid


def test_an_occurrence_older_than_the_lookback_is_left_alone(make_runner, side_effects):
    runner = make_runner([sample("tick", "0 7 * * *")])

    assert runner.run_due(at("2026-03-10 06:59"), lookback=timedelta(hours=1)) == []
    [run] = runner.run_due(at("2026-03-10 06:59"))
    assert run.scheduled_for == at("2026-03-09 07:00")


def test_times_are_london_times_in_summer_and_in_winter(make_runner):
    runner = make_runner([sample("tick", "0 7 * * *")])

    [winter] = runner.run_due(at("2026-01-15 08:00"))
    [summer] = runner.run_due(at("2026-07-15 08:00"))

    assert winter.scheduled_for == datetime(2026, 1, 15, 7, tzinfo=UTC)
    assert summer.scheduled_for == datetime(2026, 7, 15, 6, tzinfo=UTC)


def test_a_failing_job_is_recorded_as_failed_with_its_message_and_the_next_job_still_runs(
        make_runner, side_effects):
    runner = make_runner([sample("broken"), sample("tick")])

    runs = runner.run_due(at("2026-03-10 07:00"))

    assert [(r.job_id, r.outcome) for r in runs] == [("broken", "failed"), ("tick", "ok")]
    broken = job_runs("broken")[0]
    assert broken.error == "ConnectionError: could not reach smtp://***@mail.example:587"
    assert broken.finished_at is not None
    assert [e[0] for e in effects(side_effects)] == ["broken", "tick"]


def test_a_job_with_nothing_it_can_do_is_recorded_as_skipped(make_runner):
    runner = make_runner([sample("idle")])

    [run] = runner.run_due(at("2026-03-10 07:00"))

    assert (run.outcome, run.result, run.error) == ("skipped", "nothing to do", None)


def test_a_manual_run_is_recorded_as_manual_at_the_moment_it_ran(make_runner, side_effects):
    runner = make_runner([sample("tick")])

    run = runner.run_now("tick")
    again = runner.run_now("tick")

    assert run.trigger == "manual" and run.scheduled_for == run.started_at
    assert again.id != run.id
    assert len(effects(side_effects)) == 2


def test_an_occurrence_already_claimed_is_not_run_again(make_runner, side_effects):
    runner = make_runner([sample("tick")])
    moment = at("2026-03-10 07:00")

    first = runner.run("tick", moment)
    second = runner.run("tick", moment)

    assert first is not None and second is None
    assert len(job_runs("tick")) == 1 and len(effects(side_effects)) == 1


def test_errors_are_recorded_as_one_line_without_credentials_or_sql_parameters(app):
    from sqlalchemy.exc import IntegrityError

    sql_error = IntegrityError("INSERT INTO partner (secret) VALUES (?)", ("hunter2",),
                               Exception("UNIQUE constraint failed: partner.slug"))

    assert describe_error(sql_error) == "IntegrityError: UNIQUE constraint failed: partner.slug"
    assert describe_error(ValueError("postgresql://app:pw@db/hub down\nTraceback ...")) == \
        "ValueError: postgresql://***@db/hub down"
    assert describe_error(KeyError()) == "KeyError"


def test_the_latest_fire_time_of_a_schedule_is_found_in_a_window():
    trigger = sample("tick", "*/5 * * * *").trigger

    assert latest_fire_time(trigger, at("2026-03-10 06:00"), at("2026-03-10 06:12")) == \
        at("2026-03-10 06:10")
    assert latest_fire_time(trigger, at("2026-03-10 06:01"), at("2026-03-10 06:04")) is None


def test_the_scheduler_keeps_going_after_a_job_fails(app, make_runner, side_effects):
    jobs = [EveryTwoSeconds("broken", "tests.scheduler.sample_jobs:broken", "fails"),
            EveryTwoSeconds("tick", "tests.scheduler.sample_jobs:tick", "works")]
    runner = make_runner(jobs)
    stop = threading.Event()
    thread = threading.Thread(target=process.serve,
                              args=(scheduler_for(app, runner), runner, stop))
    thread.start()
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and _finished("broken") < 2:
            time.sleep(0.2)
    finally:
        stop.set()
        thread.join(60)

    failed = job_runs("broken")
    assert len(failed) >= 2
    assert {r.outcome for r in failed if r.finished_at} == {"failed"}
    assert all("s3cret" not in r.error and "\n" not in r.error for r in failed if r.error)
    assert any(r.outcome == "ok" for r in job_runs("tick"))
    assert len([e for e in effects(side_effects) if e[0] == "broken"]) == len(failed)


def _finished(job_id: str) -> int:
    with get_uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(JobRun).where(
            JobRun.job_id == job_id, JobRun.finished_at.is_not(None)))


def _left_running(job_id: str, *, host: str, pid: int, heartbeat: datetime) -> None:
    """A run as a scheduler leaves it when it dies mid-job."""
    with get_uow() as uow:
        uow.session.add(JobRun(job_id=job_id, scheduled_for=at("2026-03-10 07:00"),
                               started_at=at("2026-03-10 07:00"), heartbeat_at=heartbeat,
                               outcome="running", host=host, pid=pid))
        uow.commit()


def test_a_run_left_by_a_dead_process_of_this_host_is_taken_over_and_run_again(
        app, make_runner, side_effects):
    runner = make_runner([sample("tick"), sample("idle")])
    dead = subprocess.Popen(["true"])
    dead.wait()
    now = datetime.now(UTC)
    _left_running("tick", host=runner.host, pid=dead.pid, heartbeat=now)
    _left_running("idle", host=runner.host, pid=os.getppid(), heartbeat=now)

    [rerun] = runner.recover_abandoned()

    [tick], [alive] = job_runs("tick"), job_runs("idle")
    assert (rerun.id, tick.outcome, tick.result, tick.attempt) == (tick.id, "ok", "ticked", 2)
    assert (tick.host, tick.pid) == (runner.host, os.getpid())
    assert tick.taken_over_from.startswith(f"{runner.host} pid {dead.pid}, last heartbeat ")
    # The job ran again with the moment it was first given, so it does what the first run would.
    assert effects(side_effects) == [["tick", str(os.getpid()),
                                      at("2026-03-10 07:00").isoformat()]]
    assert alive.outcome == "running" and alive.attempt == 1


def test_a_run_whose_heartbeat_is_stale_is_taken_over_by_a_scheduler_on_another_host(
        app, make_runner, side_effects):
    runner = make_runner([sample("tick"), sample("idle")], SCHEDULER_HOST="second-host",
                         SCHEDULER_STALE_SECONDS=60)
    now = datetime.now(UTC)
    _left_running("tick", host="first-host", pid=os.getpid(), heartbeat=now - timedelta(
        seconds=61))
    _left_running("idle", host="first-host", pid=os.getpid(), heartbeat=now - timedelta(
        seconds=30))

    [rerun] = runner.recover_abandoned()

    [tick], [fresh] = job_runs("tick"), job_runs("idle")
    assert rerun.id == tick.id and tick.outcome == "ok" and tick.host == "second-host"
    assert tick.taken_over_from.startswith(f"first-host pid {os.getpid()}")
    assert fresh.outcome == "running" and fresh.host == "first-host"
    assert [e[0] for e in effects(side_effects)] == ["tick"]


def test_two_schedulers_finding_one_abandoned_run_at_once_run_it_once(
        app, make_runner, side_effects):
    runners = [make_runner([sample("slow")], SCHEDULER_HOST=f"host-{n}", SLOW_SECONDS=0.5)
               for n in (1, 2)]
    _left_running("slow", host="gone", pid=1, heartbeat=datetime.now(UTC) - timedelta(hours=1))
    barrier, results = threading.Barrier(2), {}

    def recover(runner):
        barrier.wait()
        results[runner.host] = runner.recover_abandoned()

    threads = [threading.Thread(target=recover, args=(r,)) for r in runners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    [run] = job_runs("slow")
    assert sorted(len(found) for found in results.values()) == [0, 1]
    assert (run.outcome, run.attempt) == ("ok", 2)
    assert [e[0] for e in effects(side_effects)] == ["slow-started", "slow-finished"]


def test_a_running_job_writes_its_heartbeat_while_it_works(app, make_runner):
    runner = make_runner([sample("slow")], SCHEDULER_HEARTBEAT_SECONDS=0.05, SLOW_SECONDS=0.6)
    heartbeats = []

    def watch():
        while not heartbeats or heartbeats[-1][1] == "running":
            with app.app_context(), get_uow() as uow:
                run = uow.session.scalars(select(JobRun)).first()
                if run is not None:
                    heartbeats.append((run.heartbeat_at, run.outcome))
            time.sleep(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    run = runner.run("slow", at("2026-03-10 07:00"))
    watcher.join()

    assert run.outcome == "ok"
    assert len({beat for beat, outcome in heartbeats if outcome == "running"}) >= 2


def test_a_scheduler_thought_dead_does_not_overwrite_the_record_of_the_one_that_took_over(
        app, make_runner, side_effects):
    # The first scheduler's heartbeat is too slow for the second's patience: it looks dead.
    first = make_runner([sample("slow")], SCHEDULER_HEARTBEAT_SECONDS=60, SLOW_SECONDS=0.6)
    second = make_runner([sample("slow")], SCHEDULER_HOST="elsewhere", SLOW_SECONDS=0.6,
                         SCHEDULER_STALE_SECONDS=0.2)
    outcome = {}
    thread = threading.Thread(target=lambda: outcome.setdefault(
        "first", first.run("slow", at("2026-03-10 07:00"))))
    thread.start()
    while not effects(side_effects):
        time.sleep(0.02)
    time.sleep(0.3)

    [taken] = second.recover_abandoned()
    thread.join()

    [run] = job_runs("slow")
    assert (taken.id, run.outcome, run.attempt, run.host) == (run.id, "ok", 2, "elsewhere")
    assert run.taken_over_from.startswith(f"{first.host} pid {os.getpid()}")
    assert [e[0] for e in effects(side_effects)].count("slow-finished") == 2
