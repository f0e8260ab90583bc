"""A whole year of the quarterly cycle, driven by the scheduler's own due-job runner under a
controlled clock: windows open, reminders reach a local SMTP server at the right times and only
once, late returns show as late, releases are published after deadline plus grace, and the
mid-year and annual reports appear.

Each day at 08:00 (UK time) the runner runs every job occurrence due in the day before, as the
scheduler process would: reminders at 07:00, releases at 06:00, aggregates at 02:30, the outbox
every five minutes, the mid-year report on 1 October and the annual report on 15 May."""

from collections import Counter
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from exchange.context import get_uow
from exchange.models import JobRun, Release
from exchange.models.reports import GeneratedReport
from exchange.scheduling.app import runner_for
from exchange.services.cycle.approvals import approve_return
from exchange.services.cycle.windows import WindowRules, period_status
from tests.scheduler.conftest import submit_spend

LONDON = ZoneInfo("Europe/London")
Q1, Q2 = "2025-26-Q1", "2025-26-Q2"
PLACES = {"rotherham", "sheffield", "doncaster", "barnsley"}


def at(day: date, hour: int = 8) -> datetime:
    return datetime.combine(day, time(hour), LONDON)


def status(period: str, partner: str, moment: datetime) -> str:
    rules = WindowRules.from_config()
    [state] = [s for s in period_status(get_uow(), period, moment, rules=rules)
               if (s.partner, s.kind) == (partner, "spend")]
    return state.status


@pytest.mark.slow
def test_a_year_of_the_cycle_runs_itself(app, make_user, mailbox, monkeypatch):
    monkeypatch.setitem(app.config, "SMTP_URL", mailbox.url)
    make_user("syp", "sam@syp.example", "a long password for sam")
    make_user("rmbc", "ann@rmbc.example", "a long password for ann")
    approver = SimpleNamespace(id=make_user("rmbc", "cat@rmbc.example", "a long password cat",
                                            roles=("approver",)))
    # What partners send, and when: syp's Q1 spend a few days late, rmbc's early; rmbc's Q2
    # spend after the first reminder; syp never sends Q2 spend; syp corrects Q1 after its
    # release. Nobody sends the other four kinds.
    arrivals = {
        date(2025, 7, 20): ("rmbc", Q1, "1000.00"),
        date(2025, 8, 5): ("syp", Q1, "2000.00"),
        date(2025, 9, 10): ("syp", Q1, "2500.00"),
        date(2025, 10, 27): ("rmbc", Q2, "1200.00"),
    }
    # The aggregates are rebuilt weekly here, not nightly: the walk is about the cycle, and a
    # nightly rebuild would be most of its time.
    schedule = {**app.config["SCHEDULE"], "refresh_aggregates": "30 2 * * 0"}
    monkeypatch.setitem(app.config, "SCHEDULE", schedule)
    runner = runner_for(app)
    delivered: list[tuple[str, str, date]] = []  # (to, subject, day)
    receipts = {}
    seen = 0
    status_on = {}

    day = date(2025, 6, 25)
    while day <= date(2026, 5, 20):
        moment = at(day)
        with time_machine.travel(moment, tick=False):
            runner.run_due(moment)
        if day in arrivals:  # at 10:00, after the day's jobs
            partner, period, amount = arrivals[day]
            receipts[partner, period] = submit_spend(moment + timedelta(hours=2), partner,
                                                     period, amount)
        if day == date(2025, 11, 20):  # rmbc certifies its Q2 spend, which then counts
            approve_return(get_uow(), receipts["rmbc", Q2].id, approver=approver,
                           now=moment + timedelta(hours=3))
        delivered += [(m["To"], m["Subject"], day) for m in mailbox.messages[seen:]]
        seen = len(mailbox.messages)
        if day in (date(2025, 6, 25), date(2025, 7, 1), date(2025, 8, 6)):
            status_on[day] = (status(Q1, "syp", moment), status(Q1, "rmbc", moment))
        day += timedelta(days=1)

    # Windows open the day after the quarter ends; a return received after the deadline is late.
    assert status_on[date(2025, 6, 25)] == ("not_due", "not_due")
    assert status_on[date(2025, 7, 1)] == ("open", "open")
    assert status_on[date(2025, 8, 6)] == ("late", "submitted")

    # Reminders: each goes once, on its day (overdue ones weekly, for 13 weeks), and they stop
    # once the return is in.
    assert [d for d, n in Counter(delivered).items() if n > 1] == []

    def days(about: str) -> list[date]:
        return sorted(day for _, subject, day in delivered if about in subject)

    assert days("South Yorkshire Police's spend return for 2025-26-Q1") == [
        date(2025, 7, 24), date(2025, 7, 31), date(2025, 8, 1)]
    assert days("South Yorkshire Police's spend return for 2025-26-Q2") == [
        date(2025, 10, 24), date(2025, 10, 31),
        *(date(2025, 11, 1) + timedelta(weeks=n) for n in range(13))]
    assert days("Council's spend return for 2025-26-Q1") == []  # in before the first
    assert days("Council's spend return for 2025-26-Q2") == [date(2025, 10, 24)]
    assert days("Council's suppliers return for 2025-26-Q1") == [
        date(2025, 7, 24), date(2025, 7, 31),
        *(date(2025, 8, 1) + timedelta(weeks=n) for n in range(13))]
    assert {to for to, _, _ in delivered} == {"sam@syp.example",
                                              "ann@rmbc.example, cat@rmbc.example"}

    with get_uow() as uow:
        published = [(r.period, r.version, r.published_at.astimezone(LONDON).date())
                     for r in uow.session.scalars(select(Release).order_by(Release.id))]
        slugs = {p.id: p.slug for p in uow.places.all()}
        reports = [(r.kind, r.year, r.generated_at.astimezone(LONDON).date(), slugs[r.place_id])
                   for r in uow.session.scalars(select(GeneratedReport))]
        failed = list(uow.session.scalars(select(JobRun).where(JobRun.outcome != "ok")))

    # Releases: Q1 after its deadline (31 July) plus 14 days' grace, and again the day after
    # syp corrected it; Q2 once rmbc's return counts (certified, after Q2's grace): never an
    # empty or unchanged version.
    assert published == [(Q1, 1, date(2025, 8, 15)), (Q1, 2, date(2025, 9, 11)),
                         (Q2, 1, date(2025, 11, 21))]

    # Reports: the mid-year report on 1 October, the annual one on 15 May, for every place.
    assert Counter((kind, year, when) for kind, year, when, _ in reports) == {
        ("mid-year", "2025-26", date(2025, 10, 1)): len(PLACES),
        ("annual", "2025-26", date(2026, 5, 15)): len(PLACES),
    }
    assert {place for _, _, _, place in reports} == PLACES
    assert [(r.job_id, r.outcome, r.error) for r in failed] == []
