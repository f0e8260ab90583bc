"""Reminders: a week before the deadline, on the deadline day and weekly while overdue, each
queued once, addressed to the partner's people, and sent to a real local SMTP server."""

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from exchange.context import get_uow
from exchange.models import OutboxMessage, User
from exchange.services.cycle.outbox import deliver_pending
from exchange.services.cycle.reminders import queue_due_reminders, stage_of
from exchange.services.cycle.windows import WindowRules
from tests.cycle.conftest import at

RULES = WindowRules.from_config()
FIVE = {"spend", "suppliers", "commitments", "measures", "contributions"}
PASSWORD = "a long password 1"


def remind(now, url, rules=RULES) -> int:
    queued = queue_due_reminders(get_uow(), now, rules=rules, hub_url="https://hub.example.org")
    deliver_pending(get_uow(), now, url)
    return queued


def keys() -> list[str]:
    with get_uow() as uow:
        return list(uow.session.scalars(select(OutboxMessage.dedupe_key)
                                        .order_by(OutboxMessage.id)))


def test_the_stage_of_a_window_follows_the_uk_calendar():
    window = RULES.window("2025-26-Q1", "spend")  # deadline Thursday 31 July 2025
    seen = {moment: stage_of(window, at(moment), RULES) for moment in (
        "2025-07-23 23:59", "2025-07-24 00:00", "2025-07-30 23:59", "2025-07-31 08:00",
        "2025-08-01 00:00", "2025-08-07 23:59", "2025-08-08 00:00", "2025-10-30 12:00",
        "2025-10-31 12:00")}
    assert seen == {
        "2025-07-23 23:59": None, "2025-07-24 00:00": "week-before",
        "2025-07-30 23:59": "week-before", "2025-07-31 08:00": "deadline-day",
        "2025-08-01 00:00": "overdue-1", "2025-08-07 23:59": "overdue-1",
        "2025-08-08 00:00": "overdue-2", "2025-10-30 12:00": "overdue-13",
        "2025-10-31 12:00": None}


def test_reminders_go_out_a_week_before_on_the_day_and_weekly_while_overdue_each_once(
        app, smtp_server, make_user, submit):
    make_user("rmbc", "ann@rmbc.example", PASSWORD)
    make_user("rmbc", "bob@rmbc.example", PASSWORD)
    assert remind(at("2025-07-23 07:00"), smtp_server.url) == 0
    assert remind(at("2025-07-24 07:00"), smtp_server.url) == 5
    assert remind(at("2025-07-25 07:00"), smtp_server.url) == 0
    assert remind(at("2025-07-31 07:00"), smtp_server.url) == 5
    assert remind(at("2025-07-31 19:00"), smtp_server.url) == 0
    submit(at("2025-07-31 20:00"), "rmbc", "spend")
    assert remind(at("2025-08-01 07:00"), smtp_server.url) == 4
    assert remind(at("2025-08-07 07:00"), smtp_server.url) == 0
    assert remind(at("2025-08-08 07:00"), smtp_server.url) == 4
    assert len(smtp_server.messages) == 18
    assert all(m.rcpt_tos == ["ann@rmbc.example", "bob@rmbc.example"]
               for m in smtp_server.messages)
    assert len(set(keys())) == len(keys()) == 18
    assert "reminder:rmbc:spend:2025-26-Q1:overdue-1" not in keys()
    assert "reminder:rmbc:measures:2025-26-Q1:overdue-2" in keys()
    assert not any(":syp:" in key for key in keys())  # nobody at syp to remind


def test_a_reminder_says_who_what_when_and_where_to_upload(app, smtp_server, make_user):
    make_user("rmbc", "ann@rmbc.example", PASSWORD)
    remind(at("2025-08-09 07:00"), smtp_server.url)
    [spend] = [m for m in smtp_server.messages if "spend return" in m.subject]
    assert spend.subject == ("Overdue: Rotherham Metropolitan Borough Council's spend return "
                             "for 2025-26-Q1 (due Thursday 31 July 2025)")
    body = spend.body
    assert "was due on Thursday 31 July 2025 and is now 9 days overdue." in body
    assert "Partner:  Rotherham Metropolitan Borough Council (rmbc)" in body
    assert "Period:   2025-26-Q1 (April to June 2025)" in body
    assert "Deadline: Thursday 31 July 2025" in body
    assert "https://hub.example.org/upload?kind=spend&period=2025-26-Q1" in body


def test_the_week_before_and_deadline_day_reminders_read_as_such(app, smtp_server, make_user):
    make_user("rmbc", "ann@rmbc.example", PASSWORD)
    remind(at("2025-07-24 07:00"), smtp_server.url)
    remind(at("2025-07-31 07:00"), smtp_server.url)
    subjects = [m.subject for m in smtp_server.messages if "measures" in m.subject]
    assert subjects == [
        "Reminder: Rotherham Metropolitan Borough Council's measures return for 2025-26-Q1 "
        "is due by Thursday 31 July 2025",
        "Due today: Rotherham Metropolitan Borough Council's measures return for 2025-26-Q1"]


def test_disabled_people_get_no_reminders(app, smtp_server, make_user):
    make_user("rmbc", "ann@rmbc.example", PASSWORD)
    gone = make_user("rmbc", "old@rmbc.example", PASSWORD)
    with get_uow() as uow:
        uow.session.execute(update(User).where(User.id == gone).values(disabled=True))
        uow.commit()
    remind(at("2025-07-24 07:00"), smtp_server.url)
    assert {tuple(m.rcpt_tos) for m in smtp_server.messages} == {("ann@rmbc.example",)}


def test_overdue_reminders_stop_after_the_configured_weeks(app, smtp_server, make_user):
    make_user("rmbc", "ann@rmbc.example", PASSWORD)
    rules = WindowRules.from_config({"REMINDER_OVERDUE_WEEKS": 2})
    assert remind(at("2025-08-14 07:00"), smtp_server.url, rules) == 5  # overdue-2
    assert remind(at("2025-08-15 07:00"), smtp_server.url, rules) == 0  # week 3: no more
    assert remind(at("2025-08-22 07:00"), smtp_server.url, rules) == 0


@pytest.mark.slow
def test_a_year_of_daily_runs_sends_each_reminder_once_and_none_for_returns_on_time(
        app, smtp_server, make_user, submit):
    """Walk 2025-26 a day at a time: rmbc sends spend on time each quarter, measures late in
    Q2, and nothing else; every reminder due is sent once, and none after acceptance."""
    make_user("rmbc", "ann@rmbc.example", PASSWORD)
    on_time = {"2025-26-Q1": "2025-07-10", "2025-26-Q2": "2025-10-10",
               "2025-26-Q3": "2026-01-10", "2025-26-Q4": "2026-04-10"}
    late_measures = "2025-11-12"  # Q2 deadline 31 October: overdue weeks 1 and 2 only
    day = at("2025-06-25 07:00")
    while day < at("2026-06-30 08:00"):
        for period, when in on_time.items():
            if day.date().isoformat() == when:
                submit(day, "rmbc", "spend", period)
        if day.date().isoformat() == late_measures:
            submit(day, "rmbc", "measures", "2025-26-Q2")
        remind(day, smtp_server.url)
        day += timedelta(days=1)
    sent = keys()
    assert len(sent) == len(set(sent)) == len(smtp_server.messages)
    assert not any(":spend:" in key for key in sent)
    q2_measures = [k.rsplit(":", 1)[1] for k in sent if ":measures:2025-26-Q2:" in k]
    assert q2_measures == ["week-before", "deadline-day", "overdue-1", "overdue-2"]
    # Every other kind of every quarter: week before, deadline day, and 13 overdue weeks (the
    # walk ends before Q4's thirteenth).
    per_window = Counter(tuple(k.split(":")[2:4]) for k in sent)
    for kind in FIVE - {"spend"}:
        for period in ("2025-26-Q1", "2025-26-Q2", "2025-26-Q3"):
            if (kind, period) != ("measures", "2025-26-Q2"):
                assert per_window[(kind, period)] == 15, (kind, period)
        # Q4 deadline 30 April 2026; by 29 June: week before, the day, overdue weeks 1-9.
        assert per_window[(kind, "2025-26-Q4")] == 11, kind
    assert not any(period_key.startswith("2024") for _, period_key in per_window)
