"""One scheduler process for the tests, run as ``python -m tests.scheduler.scheduler_process``.

``scheduler``: the real APScheduler set-up of `hub scheduler` (jobs stored in the database,
occurrences claimed in job_run) with a job due every two seconds; it stops once ``--runs``
occurrences are recorded (or after ``--timeout`` seconds).
``claim``: waits for its sibling at a file barrier, then both run the same occurrence at once.
``occurrence``: runs one occurrence of ``--job`` (to be killed mid-job by a test).
``--setting NAME=VALUE`` sets one of the app's settings (e.g. SCHEDULER_STALE_SECONDS=2).

Prints one JSON line: {"pid", "claimed_elsewhere"}: how many occurrences it found claimed."""

import argparse
import json
import logging
import os
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import func, select

from exchange import create_app
from exchange.models.jobs import RUNNING, JobRun
from exchange.scheduling import process
from exchange.scheduling.app import runner_for, scheduler_for
from exchange.scheduling.registry import JobSpec


class EveryTwoSeconds(JobSpec):
    @property
    def trigger(self) -> CronTrigger:
        return CronTrigger(second="*/2", timezone=ZoneInfo(self.timezone))


class Claims(logging.Handler):
    """Counts the occurrences this process found already claimed by another."""

    def __init__(self):
        super().__init__()
        self.count = 0

    def emit(self, record):
        if "already claimed" in record.getMessage():
            self.count += 1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["scheduler", "claim", "occurrence"])
    parser.add_argument("--job", default="tick")
    parser.add_argument("--cron", default="", help="instead of every two seconds")
    parser.add_argument("--setting", action="append", default=[])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--side-effects", required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=90)
    parser.add_argument("--barrier", default="")
    parser.add_argument("--scheduled-for", default="")
    args = parser.parse_args()

    settings = dict(item.split("=", 1) for item in args.setting)
    config = type("Config", (), {"TESTING": True, "DATABASE_URL": args.database_url,
                                 "SECRET_KEY": "test", "SIDE_EFFECTS": args.side_effects,
                                 **settings})
    app = create_app(config)
    claims = Claims()
    logging.getLogger("exchange.scheduling.runner").addHandler(claims)
    logging.getLogger("exchange.scheduling.runner").setLevel(logging.INFO)
    spec = JobSpec if args.cron else EveryTwoSeconds
    jobs = [spec(args.job, f"tests.scheduler.sample_jobs:{args.job}", "a test job", args.cron)]
    runner = runner_for(app, jobs)
    with app.app_context():
        if args.mode == "scheduler":
            run_scheduler(app, runner, args)
        elif args.mode == "claim":
            claim(runner, args)
        else:
            runner.run(args.job, datetime.fromisoformat(args.scheduled_for))
    print(json.dumps({"pid": os.getpid(), "claimed_elsewhere": claims.count}))


def run_scheduler(app, runner, args) -> None:
    stop = threading.Event()
    sessions = app.extensions["exchange"]["sessions"]

    def watch():
        deadline = time.monotonic() + args.timeout
        while time.monotonic() < deadline:
            with sessions() as session:
                done = session.scalar(select(func.count()).select_from(JobRun)
                                      .where(JobRun.outcome != RUNNING))
            if done >= args.runs:
                break
            time.sleep(0.2)
        stop.set()

    threading.Thread(target=watch, daemon=True).start()
    process.serve(scheduler_for(app, runner), runner, stop)


def claim(runner, args) -> None:
    barrier = Path(args.barrier)
    (barrier / f"ready-{os.getpid()}").touch()
    deadline = time.monotonic() + args.timeout
    while len(list(barrier.glob("ready-*"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    when = datetime.fromisoformat(args.scheduled_for).astimezone(UTC)
    runner.run("tick", when)


if __name__ == "__main__":
    main()
