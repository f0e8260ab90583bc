"""Fixtures of the scheduler's tests: job runners over the test database with jobs of the tests'
own (tests/scheduler/sample_jobs.py), real scheduler processes, and the job_run record."""

import email
import json
import socket
import subprocess
import sys
from datetime import datetime
from email import policy
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import select

from config.default import ROOT
from exchange.context import get_uow
from exchange.models.jobs import JobRun
from exchange.scheduling.registry import JobSpec
from exchange.scheduling.runner import JobRunner


@pytest.fixture
def side_effects(tmp_path) -> Path:
    """The file the sample jobs append a line to each time they really run."""
    return tmp_path / "side-effects.txt"


def effects(path: Path) -> list[list[str]]:
    """The sample jobs' lines, each [job, pid, now]."""
    return [line.split() for line in path.read_text().splitlines()] if path.exists() else []


@pytest.fixture
def make_runner(app, side_effects):
    """make_runner(jobs=[JobSpec(...)], **settings) -> a JobRunner on the test database."""

    def make(jobs: list[JobSpec], **settings) -> JobRunner:
        config = {**app.config, "SIDE_EFFECTS": str(side_effects), **settings}
        return JobRunner(app.extensions["exchange"]["sessions"], config, jobs)

    return make


def sample(name: str, cron: str = "0 7 * * *") -> JobSpec:
    return JobSpec(name, f"tests.scheduler.sample_jobs:{name}", f"sample job {name}", cron)


def job_runs(job_id: str | None = None) -> list[JobRun]:
    with get_uow() as uow:
        stmt = select(JobRun).order_by(JobRun.scheduled_for, JobRun.id)
        if job_id:
            stmt = stmt.where(JobRun.job_id == job_id)
        return list(uow.session.scalars(stmt))


def spawn(mode: str, database_url: str, side_effects: Path, *extra: str) -> subprocess.Popen:
    """A scheduler process of tests/scheduler/scheduler_process.py on the test database."""
    return subprocess.Popen(
        [sys.executable, "-m", "tests.scheduler.scheduler_process", mode,
         "--database-url", database_url, "--side-effects", str(side_effects), *extra],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(proc: subprocess.Popen, timeout: float = 180) -> dict:
    """Wait for a spawned process; its JSON summary (failing the test with its stderr)."""
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    assert proc.returncode == 0, err[-3000:]
    return json.loads(out.strip().splitlines()[-1])


# The quarterly cycle: a real local SMTP server, and returns submitted at a chosen moment.


class Mailbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.url = ""

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK: queued"


@pytest.fixture
def mailbox():
    """A local SMTP server on a free port: ``.url`` and the ``.messages`` it accepted."""
    from aiosmtpd.controller import Controller

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    handler = Mailbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    handler.url = f"smtp://127.0.0.1:{port}"
    yield handler
    controller.stop()


SPEND = ("Payment Date,Amount,Supplier Name,Supplier Postcode\n"
         "{day},{amount},Rotherham Widgets Ltd,S60 2UD\n")


def submit_spend(moment: datetime, partner: str, period: str, amount: str = "1000.00"):
    """Submit a spend return through the service as if it arrived at ``moment``."""
    from exchange.context import get_blobs
    from exchange.ingest.submissions import StoredFile, Submission, submit_return
    from exchange.periods import Period

    day = Period.parse(period).start.replace(day=15)
    data = SPEND.format(day=f"{day:%d/%m/%Y}", amount=amount).encode()
    with time_machine.travel(moment, tick=False):
        sha, size = get_blobs().save_bytes(data)
        receipt = submit_return(Submission(partner, "spend", period, "test"),
                                StoredFile(sha, size, "spend.csv", "text/csv"), get_uow(),
                                get_blobs())
    assert receipt.status == "accepted", [i.message for i in receipt.issues]
    return receipt
