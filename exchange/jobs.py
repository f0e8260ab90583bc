"""The scheduler's jobs (exchange/scheduling runs them; config SCHEDULE says when).

Each one opens a unit of work and calls one service, like a route. ``now`` is passed in, so tests
drive the clock; what a job returns is recorded as the run's result. Services are imported inside
each job, so a job's imports cannot stop the scheduler (or the other jobs) from starting.

Every job is idempotent: run again with the same ``now`` (as when a scheduler takes over the run
of one that died mid-job), it finishes what the first run left undone and repeats nothing
(tests/scheduler/test_jobs.py runs each twice)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from exchange.periods import Period
from exchange.scheduling.runner import JobContext, JobSkipped, describe_error

NO_SMTP = "SMTP_URL is not set: e-mail stays in the outbox"


class DeliveryFailed(Exception):
    """Every e-mail tried failed; they stay in the outbox and are retried with backoff."""


class ReportsFailed(Exception):
    """Some places' reports could not be generated; the others were."""


def reminders(ctx: JobContext, now: datetime) -> str:
    """Queue the reminders due today (a week before, on, and weekly after each deadline), then
    send the outbox. Idempotent: each reminder is queued once, each e-mail sent once."""
    from exchange.services.cycle.reminders import queue_due_reminders

    queued = queue_due_reminders(ctx.uow(), now, rules=_rules(ctx),
                                 hub_url=ctx.setting("HUB_URL"))
    if not ctx.setting("SMTP_URL"):
        return f"{queued} reminders queued; not sent: {NO_SMTP}"
    return f"{queued} reminders queued; " + _deliver(ctx, now)


def outbox(ctx: JobContext, now: datetime) -> str:
    """Send the e-mail that is due, retrying earlier failures with backoff. Idempotent: a message
    is marked sent once the server accepts it, and never sent again."""
    if not ctx.setting("SMTP_URL"):
        raise JobSkipped(NO_SMTP)
    return _deliver(ctx, now)


def refresh_aggregates(ctx: JobContext, now: datetime) -> str:
    """Rebuild the spend aggregates from the stored lines (a threshold may have changed).
    Idempotent: the aggregates are a function of the stored lines."""
    from exchange.services.aggregates.spend_totals import rebuild_all

    return f"aggregates rebuilt for {rebuild_all(ctx.uow())} spend returns"


def publish_releases(ctx: JobContext, now: datetime) -> str:
    """Publish each quarter's MCA release once its deadlines and grace have passed, and a new
    version when the returns counting in it change. Idempotent: nothing changed, nothing
    published."""
    from exchange.services.cycle.release_schedule import publish_due_releases

    published = publish_due_releases(ctx.uow(), now, int(ctx.setting("RELEASE_GRACE_DAYS")),
                                     _rules(ctx))
    if not published:
        return "no release due or changed"
    return "published " + ", ".join(f"{p.subregion} {p.period} v{p.version}" for p in published)


def mid_year_report(ctx: JobContext, now: datetime) -> str:
    """Produce each place partnership's mid-year report for the financial year under way.
    Idempotent: a place whose stored report has the same figures gets no new copy."""
    return _reports(ctx, now, "mid-year", _financial_year(ctx, now))


def annual_report(ctx: JobContext, now: datetime) -> str:
    """Produce each place partnership's annual report for the financial year just ended.
    Idempotent: a place whose stored report has the same figures gets no new copy."""
    return _reports(ctx, now, "annual", _financial_year(ctx, now).previous)


def _reports(ctx: JobContext, now: datetime, kind: str, year: Period) -> str:
    from exchange.blobs import open_store
    from exchange.services.reports.generation import generate_report

    settings = {name: ctx.setting(name) for name in ("BLOB_STORE", "BLOB_DIR")}
    blobs = open_store(settings, ctx.sessions.kw["bind"])
    with ctx.uow() as uow:
        places = [place.slug for place in uow.places.all() if place.kind == "place"]
    failed, generated = [], 0
    for slug in places:
        try:
            generated += generate_report(ctx.uow(), slug, kind, str(year), now, blobs=blobs,
                                         generated_by="scheduler", rules=_rules(ctx),
                                         unless_current=True) is not None
        except Exception as err:  # one place's failure must not stop the others
            failed.append(f"{slug}: {describe_error(err)}")
    if failed:
        raise ReportsFailed(f"{kind} {year}: {len(failed)} of {len(places)} failed; "
                            + "; ".join(failed))
    current = len(places) - generated
    return (f"{kind} {year} reports generated for {generated} places"
            + (f"; {current} already current" if current else ""))


def _rules(ctx: JobContext):
    from exchange.services.cycle.windows import WindowRules

    return WindowRules.from_config(ctx.config)


def _financial_year(ctx: JobContext, now: datetime) -> Period:
    today = now.astimezone(ZoneInfo(ctx.setting("SCHEDULER_TIMEZONE"))).date()
    return Period.of(today, quarterly=False)


def _deliver(ctx: JobContext, now: datetime) -> str:
    from exchange.services.cycle.outbox import deliver_pending

    report = deliver_pending(ctx.uow(), now, ctx.setting("SMTP_URL"),
                             sender=ctx.setting("MAIL_FROM"))
    if report.failed and not report.sent:
        raise DeliveryFailed(f"{report.failed} e-mails not sent, will retry: {report.errors[0]}")
    failed = f", {report.failed} failed (will retry)" if report.failed else ""
    return f"{report.sent} e-mails sent{failed}"
