"""Reminders of returns not yet received, queued in the outbox: one a week before the deadline,
one on the deadline day, and one a week while the return is overdue (for ``REMINDER_OVERDUE_WEEKS``
weeks). Each goes once: its dedupe key names the partner, kind, quarter and stage. They are
addressed to the partner's people (its active hub logins); a partner with none gets none."""

import logging
from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy import select

from config import default
from exchange.models import User
from exchange.periods import period_range
from exchange.services.cycle import outbox
from exchange.services.cycle.windows import MISSING, OPEN, ReturnState, Window, WindowRules, states
from exchange.unit_of_work import UnitOfWork
from schemas import KINDS

log = logging.getLogger(__name__)

WEEK_BEFORE, DEADLINE_DAY, OVERDUE = "week-before", "deadline-day", "overdue"
# The upload page (exchange/pages/upload.py), with the kind and period filled in.
UPLOAD_PATH = "/upload?kind={kind}&period={period}"


def stage_of(window: Window, now: datetime, rules: WindowRules) -> str | None:
    """Which reminder of this window is due at ``now``: ``week-before``, ``deadline-day``,
    ``overdue-N`` (N = week of lateness, from 1), or None."""
    today = now.astimezone(rules.timezone).date()
    if now < window.opens_at or today < window.deadline - timedelta(days=7):
        return None
    if today < window.deadline:
        return WEEK_BEFORE
    if today == window.deadline:
        return DEADLINE_DAY
    week = ((today - window.deadline).days - 1) // 7 + 1
    return f"{OVERDUE}-{week}" if week <= rules.overdue_weeks else None


def queue_due_reminders(uow: UnitOfWork, now: datetime, *, rules: WindowRules | None = None,
                        hub_url: str | None = None) -> int:
    """Queue every reminder due at ``now`` that is not queued yet; how many were queued."""
    rules = rules or WindowRules.from_config()
    hub_url = (hub_url or default.HUB_URL).rstrip("/")
    queued, nobody = 0, set()
    with uow:
        quarters = [q for q in period_range(rules.cycle_start,
                                            max(rules.current_quarter(now), rules.cycle_start))
                    if any(stage_of(rules.window(q, k), now, rules) for k in KINDS)]
        people = _people(uow)
        for state in states(uow, quarters, now, rules=rules):
            stage = stage_of(state.window, now, rules)
            if stage is None or state.status not in (OPEN, MISSING):
                continue
            to = people.get(state.partner_id)
            if not to:
                nobody.add(state.partner)
                continue
            subject, body = compose(state, stage, now, rules, hub_url)
            key = f"reminder:{state.partner}:{state.kind}:{state.period}:{stage}"
            queued += outbox.enqueue(uow, to=to, subject=subject, body=body, dedupe_key=key,
                                     now=now)
        uow.commit()
    if nobody:
        log.info("reminders due, but no one has a login at: %s", ", ".join(sorted(nobody)))
    return queued


def _people(uow: UnitOfWork) -> dict[int, list[str]]:
    found = defaultdict(list)
    for partner_id, email in uow.session.execute(
            select(User.partner_id, User.email).where(User.disabled.is_(False))
            .order_by(User.email)):
        found[partner_id].append(email)
    return found


def _day(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def compose(state: ReturnState, stage: str, now: datetime, rules: WindowRules,
            hub_url: str) -> tuple[str, str]:
    """The subject and plain-text body of one reminder."""
    window, name = state.window, state.partner_name
    what = f"{state.kind} return for {state.period}"
    deadline = _day(window.deadline)
    if stage == WEEK_BEFORE:
        subject = f"Reminder: {name}'s {what} is due by {deadline}"
        opening = f"{name}'s {what} is due by the end of {deadline}."
    elif stage == DEADLINE_DAY:
        subject = f"Due today: {name}'s {what}"
        opening = f"{name}'s {what} is due today, {deadline}, by midnight."
    else:
        days = (now.astimezone(rules.timezone).date() - window.deadline).days
        subject = f"Overdue: {name}'s {what} (due {deadline})"
        opening = (f"{name}'s {what} was due on {deadline} and is now "
                   f"{days} day{'s' if days != 1 else ''} overdue.")
    link = hub_url + UPLOAD_PATH.format(kind=state.kind, period=state.period)
    body = "\n".join([
        "Hello,",
        "",
        opening,
        "The hub has not received an accepted one yet.",
        "",
        f"Partner:  {name} ({state.partner})",
        f"Return:   {state.kind}",
        f"Period:   {state.period} ({window.period.describe()})",
        f"Deadline: {deadline}",
        "",
        "Upload it here:",
        link,
        "",
        f"or have your finance system send it to {hub_url}/api/v1/returns "
        f"(kind={state.kind}, period={state.period}).",
        "",
        f"You receive this because you have a login to Anchor Exchange for {name}. "
        "Reminders stop once the return is accepted.",
        "",
        "-- ",
        "Anchor Exchange",
        "",
    ])
    return subject, body
