"""Scheduled jobs: the record of every run, and APScheduler's own job store table.

``job_run`` is also the lock that keeps two scheduler processes from running one occurrence
twice: its (job_id, scheduled_for) is unique, so only the first process to insert the row runs
the job; the other's INSERT fails and it skips. That works the same on SQLite and PostgreSQL.
A running occurrence keeps a heartbeat; when it goes stale, another scheduler takes the row over
(a conditional UPDATE on ``attempt``, so one wins) and runs the occurrence again."""

from datetime import datetime

from sqlalchemy import Column, Float, Index, LargeBinary, String, Table, Unicode, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from exchange.models.base import Base

RUNNING, OK, FAILED, SKIPPED = "running", "ok", "failed", "skipped"
OUTCOMES = (RUNNING, OK, FAILED, SKIPPED)
SCHEDULED, MANUAL = "scheduled", "manual"


class JobRun(Base):
    """One occurrence of a job: claimed (``running``), then ``ok``, ``failed`` or ``skipped``."""

    __tablename__ = "job_run"
    __table_args__ = (
        UniqueConstraint("job_id", "scheduled_for"),
        Index("ix_job_run_started_at", "started_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[str] = mapped_column(String(60))
    scheduled_for: Mapped[datetime]
    trigger: Mapped[str] = mapped_column(String(10), default=SCHEDULED)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    outcome: Mapped[str] = mapped_column(String(10), default=RUNNING)
    # What the job reported ("3 reminders queued"), or why it skipped.
    result: Mapped[str | None] = mapped_column(String(500))
    # The exception's type and message only: never a traceback, never a credential.
    error: Mapped[str | None] = mapped_column(String(1000))
    host: Mapped[str] = mapped_column(String(200))
    pid: Mapped[int]
    # Written every few seconds while the job runs; a stale one means its scheduler has gone.
    heartbeat_at: Mapped[datetime | None]
    # 1 for the first run; each takeover by another scheduler adds one.
    attempt: Mapped[int] = mapped_column(default=1, server_default="1")
    # Who ran it before the takeover: "host pid 1234, last heartbeat 2026-…".
    taken_over_from: Mapped[str | None] = mapped_column(String(300))


# APScheduler 3's SQLAlchemyJobStore table, exactly as it defines it, so that the migrations
# create it (and `hub init` makes it) instead of the scheduler at its first start.
apscheduler_jobs = Table(
    "apscheduler_jobs",
    Base.metadata,
    Column("id", Unicode(191), primary_key=True),
    Column("next_run_time", Float(25), index=True),
    Column("job_state", LargeBinary, nullable=False),
)
