"""Jobs for the scheduler's tests, referenced as "tests.scheduler.sample_jobs:NAME" like the
hub's own. Each leaves a side effect outside the database: a line in the file named by the
setting SIDE_EFFECTS, written with O_APPEND so that two processes never interleave lines."""

import os
from datetime import datetime

from exchange.scheduling.runner import JobContext, JobSkipped


def _record(ctx: JobContext, what: str, now: datetime) -> None:
    line = f"{what} {os.getpid()} {now.isoformat()}\n".encode()
    fd = os.open(ctx.config["SIDE_EFFECTS"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)


def tick(ctx: JobContext, now: datetime) -> str:
    _record(ctx, "tick", now)
    return "ticked"


def broken(ctx: JobContext, now: datetime) -> str:
    _record(ctx, "broken", now)
    # The kind of message a failing service might raise: a URL with a password in it.
    raise ConnectionError("could not reach smtp://hub:s3cret-password@mail.example:587\n"
                          "second line that is not kept")


def idle(ctx: JobContext, now: datetime) -> str:
    raise JobSkipped("nothing to do")


def slow(ctx: JobContext, now: datetime) -> str:
    """Records that it started, works for SLOW_SECONDS, then records that it finished: a job
    killed in between leaves only the first line."""
    import time

    _record(ctx, "slow-started", now)
    time.sleep(float(ctx.config.get("SLOW_SECONDS", 1)))
    _record(ctx, "slow-finished", now)
    return "finished"
