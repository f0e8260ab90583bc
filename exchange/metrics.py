"""Prometheus metrics at GET /metrics, for a token with the ``admin`` scope.

Counted in each process: requests by method, route (the URL rule, not the path, so ids do not
multiply series) and status, with latencies; returns ingested, their lines and seconds, by kind
and outcome. Read from the database at each scrape, so the same whichever process did the work:
job runs by job and outcome (the scheduler is its own process), and the outbox's queue. Under
several gunicorn workers set PROMETHEUS_MULTIPROC_DIR (prometheus_client's multiprocess mode) so
the per-process counters are summed."""

import os
import time
from collections.abc import Callable, Iterator
from functools import wraps

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select

REQUESTS = Counter("exchange_http_requests_total", "HTTP requests answered",
                   ["method", "route", "status"])
LATENCY = Histogram("exchange_http_request_seconds", "Time to answer an HTTP request",
                    ["method", "route"])
INGESTED_RETURNS = Counter("exchange_ingest_returns_total", "Return files read",
                           ["kind", "status"])
INGESTED_LINES = Counter("exchange_ingest_lines_total", "Data rows read from return files",
                         ["kind"])
INGEST_SECONDS = Histogram("exchange_ingest_seconds", "Time to read, check and store a return",
                           ["kind"], buckets=(0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300))


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    REQUESTS.labels(method, route, str(status)).inc()
    LATENCY.labels(method, route).observe(seconds)


def observe_ingest(kind: str, status: str, rows: int, seconds: float) -> None:
    INGESTED_RETURNS.labels(kind, status).inc()
    INGESTED_LINES.labels(kind).inc(rows)
    INGEST_SECONDS.labels(kind).observe(seconds)


def ingest_observed(submit: Callable) -> Callable:
    """Count each return a submission function reads (not dry runs, not replays)."""
    @wraps(submit)
    def observed(sub, *args, **kwargs):
        started = time.perf_counter()
        receipt = submit(sub, *args, **kwargs)
        if not (receipt.dry_run or receipt.replayed):
            observe_ingest(sub.kind, receipt.status, receipt.rows,
                           time.perf_counter() - started)
        return receipt

    return observed


class DatabaseCollector(Collector):
    """Figures read from the hub's database when Prometheus scrapes."""

    def __init__(self, sessions: Callable):
        self.sessions = sessions

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from exchange.models import JobRun, OutboxMessage

        runs = GaugeMetricFamily("exchange_job_runs", "Recorded runs of scheduled jobs",
                                 labels=["job", "outcome"])
        queue = GaugeMetricFamily("exchange_outbox_queued", "E-mails written and not yet sent")
        with self.sessions() as session:
            for job, outcome, count in session.execute(
                    select(JobRun.job_id, JobRun.outcome, func.count())
                    .group_by(JobRun.job_id, JobRun.outcome)):
                runs.add_metric([job, outcome], count)
            queue.add_metric([], session.scalar(select(func.count()).select_from(OutboxMessage)
                                                .where(OutboxMessage.sent_at.is_(None))) or 0)
        yield runs
        yield queue


def exposition(sessions: Callable) -> tuple[bytes, str]:
    """The text Prometheus reads: this process's (or all workers') counters and the database's
    figures."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        for collector in (REQUESTS, LATENCY, INGESTED_RETURNS, INGESTED_LINES, INGEST_SECONDS):
            registry.register(collector)
    registry.register(DatabaseCollector(sessions))
    return generate_latest(registry), CONTENT_TYPE_LATEST
