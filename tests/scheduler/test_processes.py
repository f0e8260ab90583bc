"""Two scheduler processes against one database run each job occurrence exactly once: on
PostgreSQL in the PostgreSQL run, on SQLite in the SQLite run."""

import signal
import time
from collections import Counter

from tests.scheduler.conftest import effects, finish, job_runs, spawn


def test_two_scheduler_processes_started_together_run_each_occurrence_exactly_once(
        app, database_url, side_effects):
    processes = [spawn("scheduler", database_url, side_effects, "--runs", "4")
                 for _ in range(2)]
    summaries = [finish(p) for p in processes]

    runs = job_runs("tick")
    lines = effects(side_effects)
    assert len(runs) >= 4, summaries
    assert {run.outcome for run in runs} == {"ok"}
    # Each recorded occurrence ran once, in the process that claimed it, and nothing else ran.
    assert len(lines) == len(runs), (lines, summaries)
    assert Counter(int(pid) for _, pid, _ in lines) == Counter(run.pid for run in runs)
    assert len({run.scheduled_for for run in runs}) == len(runs)
    assert all(run.scheduled_for.second % 2 == 0 for run in runs)


def test_two_processes_claiming_the_same_occurrence_at_once_run_it_once(
        app, database_url, side_effects, tmp_path):
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    processes = [spawn("claim", database_url, side_effects, "--barrier", str(barrier),
                       "--scheduled-for", "2026-01-05T07:00:00+00:00") for _ in range(2)]
    summaries = [finish(p) for p in processes]

    [run] = job_runs("tick")
    assert run.outcome == "ok"
    assert sorted(s["claimed_elsewhere"] for s in summaries) == [0, 1]
    [(job, pid, _)] = effects(side_effects)
    assert (job, int(pid)) == ("tick", run.pid)
    loser = next(s["pid"] for s in summaries if s["claimed_elsewhere"])
    assert loser != run.pid


def test_a_scheduler_killed_mid_job_has_its_occurrence_finished_by_another_on_another_host(
        app, database_url, side_effects):
    survivor = spawn("scheduler", database_url, side_effects, "--job", "slow",
                     "--cron", "0 7 1 1 *", "--runs", "1", "--timeout", "120",
                     "--setting", "SCHEDULER_HOST=survivor-host",
                     "--setting", "SCHEDULER_STALE_SECONDS=2",
                     "--setting", "SCHEDULER_RECOVERY_SECONDS=0.5",
                     "--setting", "SLOW_SECONDS=0.5")
    doomed = spawn("occurrence", database_url, side_effects, "--job", "slow",
                   "--scheduled-for", "2027-05-15T06:00:00+01:00",
                   "--setting", "SCHEDULER_HOST=doomed-host",
                   "--setting", "SCHEDULER_HEARTBEAT_SECONDS=0.5",
                   "--setting", "SLOW_SECONDS=600")
    deadline = time.monotonic() + 120
    while not effects(side_effects) and time.monotonic() < deadline:
        time.sleep(0.1)
    doomed.send_signal(signal.SIGKILL)
    doomed.wait()

    finish(survivor)

    [run] = job_runs("slow")
    assert (run.outcome, run.result, run.attempt, run.host) == ("ok", "finished", 2,
                                                                "survivor-host")
    assert run.taken_over_from.startswith(f"doomed-host pid {doomed.pid}, last heartbeat ")
    lines = effects(side_effects)
    assert [(what, int(pid)) for what, pid, _ in lines] == [
        ("slow-started", doomed.pid), ("slow-started", run.pid), ("slow-finished", run.pid)]
    # The rerun was given the moment the first run was given, so it does the same work.
    assert {moment for _, _, moment in lines} == {run.started_at.isoformat()}
