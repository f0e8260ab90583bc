"""Two scheduler processes against one database run each job occurrence exactly once: on
PostgreSQL in the PostgreSQL run, on SQLite in the SQLite run."""

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
