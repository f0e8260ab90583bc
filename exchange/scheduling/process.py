"""The scheduler process: APScheduler 3 with its jobs persisted in the database.

Each process keeps the jobs of the registry in ``apscheduler_jobs`` (SQLAlchemyJobStore on the
app's database). When a job is due, the executor hands each run time to the JobRunner, which
claims the occurrence in ``job_run`` before running it: so several processes may run against one
database (for availability) and each occurrence still runs once."""

import contextlib
import logging
import signal
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from apscheduler.events import EVENT_JOB_EXECUTED, EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.executors.base import BaseExecutor
from apscheduler.jobstores.base import JobLookupError
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from exchange.models.jobs import apscheduler_jobs
from exchange.scheduling.registry import JobSpec
from exchange.scheduling.runner import JobRunner, describe_error

log = logging.getLogger(__name__)

# A job is called as func(context, now) by OccurrenceExecutor; APScheduler checks at add_job
# that the arguments it would pass itself are complete, so it is told of these two.
FILLED_BY_EXECUTOR = {"ctx": None, "now": None}


class OccurrenceExecutor(BaseExecutor):
    """Runs each due run time through the JobRunner (claim, run, record) in a thread pool.

    APScheduler's own executors call the job function without its run time; the runner needs it
    to name the occurrence, so that two processes agree on which one they are running."""

    def __init__(self, runner: JobRunner, max_workers: int = 4):
        super().__init__()
        self.runner = runner
        self._pool = ThreadPoolExecutor(max_workers, thread_name_prefix="job")

    def _do_submit_job(self, job, run_times):
        future = self._pool.submit(self._run, job, list(run_times))
        future.add_done_callback(lambda done: self._done(job.id, done))

    def _run(self, job, run_times: list[datetime]) -> list[JobExecutionEvent]:
        events = []
        for run_time in run_times:
            if job.misfire_grace_time is not None and datetime.now(UTC) - run_time > timedelta(
                    seconds=job.misfire_grace_time):
                log.warning("job %s: the run due at %s was missed", job.id, run_time.isoformat())
                events.append(JobExecutionEvent(EVENT_JOB_MISSED, job.id, job._jobstore_alias,
                                                run_time))
                continue
            run = self.runner.run(job.id, run_time, func=job.func)
            events.append(JobExecutionEvent(EVENT_JOB_EXECUTED, job.id, job._jobstore_alias,
                                            run_time, retval=run.outcome if run else None))
        return events

    def _done(self, job_id: str, future) -> None:
        error = future.exception()
        if error is None:
            self._run_job_success(job_id, future.result())
        else:
            # The runner records the job's own errors; this is the database failing under it.
            self._run_job_error(job_id, error)

    def _run_job_error(self, job_id, exc, traceback=None):
        with self._lock:
            self._instances[job_id] -= 1
            if self._instances[job_id] == 0:
                del self._instances[job_id]
        log.error("job %s: could not be run or recorded: %s", job_id, describe_error(exc))

    def shutdown(self, wait: bool = True) -> None:
        self._pool.shutdown(wait)


def build_scheduler(engine: Engine, runner: JobRunner, *, timezone: str,
                    misfire_grace_seconds: int, max_workers: int = 4) -> BackgroundScheduler:
    """A scheduler whose jobs live in the database and run through ``runner``."""
    return BackgroundScheduler(
        timezone=timezone,
        jobstores={"default": SQLAlchemyJobStore(engine=engine, tablename=apscheduler_jobs.name)},
        executors={"default": OccurrenceExecutor(runner, max_workers)},
        # A scheduler that was down runs a missed job once (not once per missed occurrence).
        job_defaults={"coalesce": True, "max_instances": 1,
                      "misfire_grace_time": misfire_grace_seconds},
    )


def sync_jobs(scheduler: BackgroundScheduler, jobs: list[JobSpec]) -> None:
    """Make the stored jobs the registry's: add new ones, replace changed ones, drop retired
    ones. An unchanged job keeps its stored next run, so a restart does not skip a due run."""
    stored = {job.id: job for job in scheduler.get_jobs()}
    for spec in jobs:
        trigger = spec.trigger
        existing = stored.pop(spec.id, None)
        if existing is not None and existing.func_ref == spec.func \
                and repr(existing.trigger) == repr(trigger):
            continue
        scheduler.add_job(spec.func, trigger=trigger, id=spec.id, name=spec.id,
                          kwargs=FILLED_BY_EXECUTOR, replace_existing=True)
        log.info("job %s: scheduled (%s)", spec.id, spec.cron)
    for job_id in stored:
        with contextlib.suppress(JobLookupError):  # another process retired it first
            scheduler.remove_job(job_id)
        log.info("job %s: no longer in the registry; removed", job_id)


def start(scheduler: BackgroundScheduler, runner: JobRunner) -> None:
    """Take over abandoned runs, start paused, bring the stored jobs up to date, then let them
    run."""
    _recover(runner)
    scheduler.start(paused=True)
    sync_jobs(scheduler, runner.jobs)
    scheduler.resume()


def _recover(runner: JobRunner) -> None:
    """Run again the occurrences other schedulers abandoned; a database error is logged and the
    next look tries again."""
    try:
        runner.recover_abandoned()
    except SQLAlchemyError as err:
        log.error("could not look for abandoned job runs: %s", describe_error(err))


def serve(scheduler: BackgroundScheduler, runner: JobRunner,
          stop: threading.Event | None = None) -> None:
    """Run until SIGTERM or SIGINT (or ``stop`` is set), then wait for running jobs. Every
    SCHEDULER_RECOVERY_SECONDS, take over the runs of schedulers that have gone."""
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
    start(scheduler, runner)
    log.info("scheduler started with %d jobs", len(runner.jobs))
    every = float(runner.context.setting("SCHEDULER_RECOVERY_SECONDS"))
    try:
        while not stop.wait(every):
            _recover(runner)
    finally:
        scheduler.shutdown(wait=True)
        log.info("scheduler stopped")
