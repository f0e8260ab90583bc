"""The scheduler and runner of one app: its database, its settings, its jobs."""

from typing import TYPE_CHECKING

from exchange.scheduling.process import build_scheduler
from exchange.scheduling.registry import JobSpec, scheduled_jobs
from exchange.scheduling.runner import JobRunner

if TYPE_CHECKING:
    from flask import Flask


def runner_for(app: "Flask", jobs: list[JobSpec] | None = None) -> JobRunner:
    jobs = scheduled_jobs(app.config) if jobs is None else jobs
    return JobRunner(app.extensions["exchange"]["sessions"], app.config, jobs)


def scheduler_for(app: "Flask", runner: JobRunner):
    return build_scheduler(app.extensions["exchange"]["engine"], runner,
                           timezone=app.config["SCHEDULER_TIMEZONE"],
                           misfire_grace_seconds=int(app.config[
                               "SCHEDULER_MISFIRE_GRACE_SECONDS"]))
