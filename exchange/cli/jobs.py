"""The scheduler from the command line: `hub scheduler` runs it; `hub jobs list` and
`hub jobs run JOB` show the jobs and run one now."""

import sys
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from exchange.context import get_uow
from exchange.errors import NotFound
from exchange.models.base import utcnow
from exchange.models.jobs import FAILED
from exchange.repositories.job_runs import JobRunRepository
from exchange.scheduling import process
from exchange.scheduling.app import runner_for, scheduler_for
from exchange.scheduling.registry import scheduled_jobs
from exchange.services.cycle.manual_runs import run_job_now

jobs = AppGroup("jobs", help="The scheduled jobs: list them, or run one now.")


@click.command("scheduler")
@with_appcontext
def scheduler() -> None:
    """Run the scheduler until stopped (SIGTERM or Ctrl-C). Several may run at once."""
    app = current_app._get_current_object()
    runner = runner_for(app)
    click.echo(f"Scheduler running {len(runner.jobs)} jobs as {runner.host}/{runner.pid}; "
               "Ctrl-C stops it.")
    process.serve(scheduler_for(app, runner), runner)


@jobs.command("list")
def list_jobs() -> None:
    """Each job with its schedule, its next run and its last run."""
    specs = scheduled_jobs(current_app.config)
    zone = ZoneInfo(current_app.config["SCHEDULER_TIMEZONE"])
    now = utcnow()
    with get_uow() as uow:
        repository = JobRunRepository(uow.session)
        stored, latest = repository.stored_next_run_times(), repository.latest_by_job()
    click.echo(f"{'JOB':<20} {'SCHEDULE':<14} {'NEXT RUN':<24} LAST RUN")
    for spec in specs:
        if stored.get(spec.id) is not None:
            next_run = datetime.fromtimestamp(stored[spec.id], UTC)
        else:  # no scheduler has stored it yet: when the schedule says
            next_run = spec.trigger.get_next_fire_time(None, now)
        last = latest.get(spec.id)
        last_text = (f"{last.outcome} {_when(last.started_at, zone)}" if last else "never")
        click.echo(f"{spec.id:<20} {spec.cron:<14} {_when(next_run, zone):<24} {last_text}")


@jobs.command("run")
@click.argument("job_id", metavar="JOB")
def run_job(job_id: str) -> None:
    """Run JOB now (recorded like a scheduled run, with scheduled_for = now, and audited)."""
    runner = runner_for(current_app._get_current_object())
    try:
        run = run_job_now(runner, get_uow(), job_id, actor="cli")
    except NotFound as error:
        click.echo(error.message, err=True)
        sys.exit(2)
    detail = run.error if run.outcome == FAILED else run.result
    click.echo(f"{job_id}: {run.outcome}" + (f": {detail}" if detail else ""))
    if run.outcome == FAILED:
        sys.exit(1)


def _when(moment: datetime | None, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z") if moment else "-"


COMMANDS = [scheduler, jobs]
