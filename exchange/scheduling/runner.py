"""Running one occurrence of a job, exactly once across processes, and recording it in job_run.

The first process to insert the occurrence's row (job_id, scheduled_for) runs it; any other gets
an IntegrityError from the unique constraint and skips. The claim is committed before the job
starts, so a second process blocked behind it sees it and fails, on SQLite as on PostgreSQL.

While the job runs, a thread writes the row's heartbeat. A scheduler whose process or host dies
leaves its row ``running`` with a heartbeat that goes stale; any other scheduler then takes the row
over (a conditional UPDATE on its attempt number, so one wins) and runs the occurrence again with
the same ``now``. Jobs are written to be idempotent, so a rerun of a half-done run finishes it."""

import logging
import os
import re
import socket
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.triggers.base import BaseTrigger
from apscheduler.util import ref_to_obj
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError, StatementError
from sqlalchemy.orm import Session, sessionmaker

from config import default
from exchange.errors import ExchangeError
from exchange.models.base import utcnow
from exchange.models.jobs import FAILED, MANUAL, OK, RUNNING, SCHEDULED, SKIPPED, JobRun
from exchange.repositories.job_runs import JobRunRepository
from exchange.scheduling.registry import JobSpec, find_job
from exchange.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

# scheme://user:password@ in a message: the credentials go, the rest stays.
_CREDENTIALS = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)[^\s/@]+@", re.IGNORECASE)


class JobSkipped(Exception):
    """Raised by a job that could do nothing this time; the run is recorded as skipped."""


@dataclass(frozen=True)
class JobContext:
    """What a job gets besides the time: units of work on the hub's database, and settings."""

    sessions: sessionmaker[Session]
    config: Mapping[str, Any]

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.sessions)

    def setting(self, name: str):
        """A setting of the app, or its default from config/default.py."""
        return self.config[name] if name in self.config else getattr(default, name)


class JobRunner:
    """Runs jobs' occurrences for one process, and records each run."""

    def __init__(self, sessions: sessionmaker[Session], config: Mapping[str, Any],
                 jobs: list[JobSpec], clock: Callable[[], datetime] = utcnow):
        self.context = JobContext(sessions, config)
        self.jobs = jobs
        self.clock = clock
        self.host = (self.context.setting("SCHEDULER_HOST") or socket.gethostname())[:200]
        self.pid = os.getpid()
        self.heartbeat = timedelta(seconds=float(self.context.setting(
            "SCHEDULER_HEARTBEAT_SECONDS")))
        self.stale = timedelta(seconds=float(self.context.setting("SCHEDULER_STALE_SECONDS")))

    def run(self, job_id: str, scheduled_for: datetime, *, now: datetime | None = None,
            trigger: str = SCHEDULED, func: Callable | None = None) -> JobRun | None:
        """Run one occurrence unless another run has claimed it; None when one has."""
        call = func or ref_to_obj(find_job(self.jobs, job_id).func)
        now = now or self.clock()
        run_id = self._claim(job_id, scheduled_for.astimezone(UTC), now, trigger)
        if run_id is None:
            log.info("job %s at %s: already claimed by another run; skipped", job_id,
                     scheduled_for.isoformat())
            return None
        return self._execute(run_id, 1, job_id, call, now)

    def run_now(self, job_id: str) -> JobRun:
        """Run a job at once (`hub jobs run`), recorded with scheduled_for = now."""
        now = self.clock()
        return self.run(job_id, now, now=now, trigger=MANUAL)

    def run_due(self, now: datetime, lookback: timedelta = timedelta(days=1)) -> list[JobRun]:
        """Run each job's latest occurrence in (now - lookback, now] that no run has claimed.

        What the scheduler process does as time passes, for a clock the caller controls."""
        runs = []
        for spec in self.jobs:
            due = latest_fire_time(spec.trigger, now - lookback, now)
            if due is not None:
                run = self.run(spec.id, due, now=now)
                if run is not None:
                    runs.append(run)
        return runs

    def recover_abandoned(self) -> list[JobRun]:
        """Take over and run again each occurrence whose scheduler has gone: its heartbeat is
        older than SCHEDULER_STALE_SECONDS, or it ran in a process of this host that has ended.
        Called when a scheduler starts and every SCHEDULER_RECOVERY_SECONDS after; returns the
        runs it finished (an occurrence another scheduler took over first is left to it)."""
        now = self.clock()
        with UnitOfWork(self.context.sessions) as uow:
            abandoned = [(run.id, run.attempt, run.job_id, run.started_at, _owner(run))
                         for run in JobRunRepository(uow.session).running()
                         if self._abandoned(run, now)]
        finished = []
        for run_id, attempt, job_id, first_now, owner in abandoned:
            if not self._take_over(run_id, attempt, owner, now):
                continue
            log.warning("job %s: run %d taken over from %s; running it again", job_id, run_id,
                        owner)
            try:
                call = ref_to_obj(find_job(self.jobs, job_id).func)
            except (LookupError, ValueError) as err:  # retired from the registry, or moved
                finished.append(self._finish(run_id, attempt + 1, FAILED, None,
                                             f"abandoned, and cannot be run again: "
                                             f"{describe_error(err)}"))
                continue
            finished.append(self._execute(run_id, attempt + 1, job_id, call, first_now))
        return finished

    def _abandoned(self, run: JobRun, now: datetime) -> bool:
        if run.host == self.host:
            if run.pid == self.pid:
                return False  # this process's own run, still under way
            if not _alive(run.pid):
                return True
        return (run.heartbeat_at or run.started_at) < now - self.stale

    def _take_over(self, run_id: int, attempt: int, owner: str, now: datetime) -> bool:
        with UnitOfWork(self.context.sessions) as uow:
            taken = uow.session.execute(
                update(JobRun)
                .where(JobRun.id == run_id, JobRun.outcome == RUNNING, JobRun.attempt == attempt)
                .values(host=self.host, pid=self.pid, attempt=attempt + 1, heartbeat_at=now,
                        taken_over_from=owner[:300]))
            uow.commit()
            return taken.rowcount == 1

    def _execute(self, run_id: int, attempt: int, job_id: str, call: Callable,
                 now: datetime) -> JobRun:
        with _Heartbeat(self, run_id, attempt):
            outcome, result, error = self._call(job_id, call, now)
        return self._finish(run_id, attempt, outcome, result, error)

    def _claim(self, job_id: str, scheduled_for: datetime, now: datetime,
               trigger: str) -> int | None:
        with UnitOfWork(self.context.sessions) as uow:
            run = JobRunRepository(uow.session).add(JobRun(
                job_id=job_id, scheduled_for=scheduled_for, trigger=trigger, started_at=now,
                heartbeat_at=self.clock(), outcome=RUNNING, host=self.host, pid=self.pid,
                attempt=1))
            try:
                uow.commit()
            except IntegrityError:
                return None
            return run.id

    def _call(self, job_id: str, call: Callable, now: datetime) -> tuple[str, str | None,
                                                                          str | None]:
        log.info("job %s: started", job_id)
        try:
            result = call(self.context, now)
        except JobSkipped as reason:
            log.info("job %s: skipped: %s", job_id, reason)
            return SKIPPED, _one_line(str(reason))[:500], None
        except Exception as err:  # recorded as failed; the scheduler goes on
            error = describe_error(err)
            log.error("job %s: failed: %s", job_id, error)
            return FAILED, None, error
        summary = _one_line(str(result))[:500] if result is not None else None
        log.info("job %s: ok%s", job_id, f": {summary}" if summary else "")
        return OK, summary, None

    def _finish(self, run_id: int, attempt: int, outcome: str, result: str | None,
                error: str | None) -> JobRun:
        """Record the outcome, unless another scheduler took the run over meanwhile (this one
        was thought dead): then the record is the other's to write."""
        with UnitOfWork(self.context.sessions) as uow:
            run = JobRunRepository(uow.session).get(run_id)
            if run.attempt != attempt:
                log.warning("job %s: run %d was taken over by %s while it ran here; its outcome "
                            "(%s) is not recorded", run.job_id, run_id, _owner(run), outcome)
                return run
            run.outcome, run.result, run.error = outcome, result, error
            run.finished_at = self.clock()
            uow.commit()
            return run

    def beat(self, run_id: int, attempt: int) -> None:
        """Write a running occurrence's heartbeat (while this process still owns it)."""
        with UnitOfWork(self.context.sessions) as uow:
            uow.session.execute(
                update(JobRun)
                .where(JobRun.id == run_id, JobRun.attempt == attempt,
                       JobRun.outcome == RUNNING)
                .values(heartbeat_at=self.clock()))
            uow.commit()


class _Heartbeat:
    """A thread that writes a run's heartbeat every SCHEDULER_HEARTBEAT_SECONDS while the job
    runs. A failed write is logged and tried again at the next beat: the job goes on."""

    def __init__(self, runner: JobRunner, run_id: int, attempt: int):
        self.runner, self.run_id, self.attempt = runner, run_id, attempt
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"heartbeat-{run_id}",
                                       daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()

    def _beat(self) -> None:
        while not self.stop.wait(self.runner.heartbeat.total_seconds()):
            try:
                self.runner.beat(self.run_id, self.attempt)
            except SQLAlchemyError as err:
                log.warning("run %d: heartbeat not written: %s", self.run_id,
                            describe_error(err))


def latest_fire_time(trigger: BaseTrigger, after: datetime, until: datetime) -> datetime | None:
    """The trigger's last fire time in [after, until], or None.

    Looks back from ``until`` over widening spans, so that a job due every few minutes is not
    stepped through a whole day of occurrences."""
    span = timedelta(minutes=1)
    while True:
        start = max(after, until - span)
        fire = trigger.get_next_fire_time(None, start)
        if fire is not None and fire <= until:
            break
        if start == after:
            return None
        span *= 8
    last = fire
    while fire is not None and fire <= until:
        last = fire
        fire = trigger.get_next_fire_time(fire, fire + timedelta(microseconds=1))
    return last


def describe_error(err: BaseException) -> str:
    """The error's type and message for the record and the log: one line, no traceback, no
    SQL parameters, no credentials in URLs."""
    if isinstance(err, ExchangeError):
        message = err.message
    elif isinstance(err, StatementError) and err.orig is not None:
        message = str(err.orig)  # the driver's message, without the statement and parameters
    else:
        message = str(err)
    message = _one_line(message.strip().splitlines()[0] if message.strip() else "")
    text = f"{type(err).__name__}: {message}" if message else type(err).__name__
    return _CREDENTIALS.sub(r"\g<scheme>***@", text)[:1000]


def _owner(run: JobRun) -> str:
    beat = run.heartbeat_at or run.started_at
    return f"{run.host} pid {run.pid}, last heartbeat {beat.isoformat(timespec='seconds')}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, another user's
    return True


def _one_line(text: str) -> str:
    return " ".join(text.split())
