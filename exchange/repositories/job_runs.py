"""Queries over the record of job runs."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exchange.models.jobs import RUNNING, JobRun, apscheduler_jobs


class JobRunRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, run: JobRun) -> JobRun:
        self.session.add(run)
        return run

    def get(self, run_id: int) -> JobRun | None:
        return self.session.get(JobRun, run_id)

    def page(self, *, job_id: str | None = None, outcome: str | None = None,
             limit: int = 50, offset: int = 0) -> tuple[list[JobRun], int]:
        """Newest first, with the total that match."""
        conditions = []
        if job_id:
            conditions.append(JobRun.job_id == job_id)
        if outcome:
            conditions.append(JobRun.outcome == outcome)
        total = self.session.scalar(select(func.count()).select_from(JobRun).where(*conditions))
        stmt = (select(JobRun).where(*conditions)
                .order_by(JobRun.started_at.desc(), JobRun.id.desc())
                .limit(limit).offset(offset))
        return list(self.session.scalars(stmt)), total or 0

    def latest_by_job(self) -> dict[str, JobRun]:
        """Each job's most recent run."""
        newest = (select(JobRun.job_id, func.max(JobRun.id).label("id"))
                  .group_by(JobRun.job_id).subquery())
        stmt = select(JobRun).join(newest, JobRun.id == newest.c.id)
        return {run.job_id: run for run in self.session.scalars(stmt)}

    def for_occurrence(self, job_id: str, scheduled_for) -> JobRun | None:
        stmt = select(JobRun).where(JobRun.job_id == job_id,
                                    JobRun.scheduled_for == scheduled_for)
        return self.session.scalars(stmt).first()

    def running(self) -> list[JobRun]:
        stmt = select(JobRun).where(JobRun.outcome == RUNNING).order_by(JobRun.id)
        return list(self.session.scalars(stmt))

    def stored_next_run_times(self) -> dict[str, float | None]:
        """The next run APScheduler has stored for each job (a UTC timestamp), by job id."""
        rows = self.session.execute(select(apscheduler_jobs.c.id,
                                           apscheduler_jobs.c.next_run_time))
        return {job_id: next_run for job_id, next_run in rows}
