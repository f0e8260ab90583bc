"""The hub's scheduled jobs: what each one is, which function runs it, and when (SCHEDULE)."""

from collections.abc import Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from config import default
from exchange.errors import ConfigError


@dataclass(frozen=True)
class JobSpec:
    """One job: its id, its function as a "module:function" reference, and its schedule."""

    id: str
    func: str
    description: str
    cron: str = ""
    timezone: str = default.SCHEDULER_TIMEZONE

    @property
    def trigger(self) -> CronTrigger:
        try:
            return CronTrigger.from_crontab(self.cron, timezone=ZoneInfo(self.timezone))
        except (ValueError, KeyError) as err:
            raise ConfigError(f"SCHEDULE[{self.id!r}] = {self.cron!r} is not a crontab "
                              "expression such as '0 7 * * *'.") from err


JOBS = (
    JobSpec("reminders", "exchange.jobs:reminders",
            "Queue deadline and overdue reminders, then send the outbox"),
    JobSpec("outbox", "exchange.jobs:outbox", "Send queued e-mail, retrying failures"),
    JobSpec("refresh_aggregates", "exchange.jobs:refresh_aggregates",
            "Rebuild the spend aggregates the views read"),
    JobSpec("publish_releases", "exchange.jobs:publish_releases",
            "Publish each quarter's MCA release once its deadline and grace have passed"),
    JobSpec("mid_year_report", "exchange.jobs:mid_year_report",
            "Produce each place's mid-year report"),
    JobSpec("annual_report", "exchange.jobs:annual_report",
            "Produce each place's annual report for the year just ended"),
)


def scheduled_jobs(config: Mapping | None = None) -> list[JobSpec]:
    """Every job with its schedule from ``config`` (a Flask config or any mapping)."""
    config = config or {}
    schedule = dict(default.SCHEDULE) | dict(config.get("SCHEDULE") or {})
    timezone = config.get("SCHEDULER_TIMEZONE", default.SCHEDULER_TIMEZONE)
    jobs = [JobSpec(spec.id, spec.func, spec.description, str(schedule[spec.id]), timezone)
            for spec in JOBS]
    for job in jobs:
        job.trigger  # noqa: B018 (fail at start on a bad crontab, not at the first run)
    return jobs


def find_job(jobs: list[JobSpec], job_id: str) -> JobSpec:
    for job in jobs:
        if job.id == job_id:
            return job
    raise KeyError(job_id)
