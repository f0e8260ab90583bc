"""Running a scheduled job now, on someone's request (`hub jobs run`, the admin "Run now"
button): recorded in job_run like a scheduled run (trigger ``manual``) and in the audit log with
who asked for it."""

from exchange.errors import NotFound
from exchange.models.jobs import JobRun
from exchange.scheduling.runner import JobRunner
from exchange.unit_of_work import UnitOfWork


def run_job_now(runner: JobRunner, uow: UnitOfWork, job_id: str, actor: str) -> JobRun:
    """Run ``job_id`` at once and audit it as ``job.run``; NotFound for a job not scheduled."""
    names = [spec.id for spec in runner.jobs]
    if job_id not in names:
        raise NotFound(f"There is no job {job_id!r}; the jobs are {', '.join(names)}.")
    run = runner.run_now(job_id)
    with uow:
        uow.audit.add(actor, "job.run", subject=f"job_run:{run.id}", job=job_id,
                      outcome=run.outcome)
        uow.commit()
    return run
