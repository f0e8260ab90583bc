"""Return windows: when each (partner, kind, quarter) opens and is due, and where it stands.

A quarter's window opens the day after the quarter ends; its deadline is the last day of the Nth
month after the quarter (``RETURN_DEADLINE_MONTHS``, per kind, 1 by default), and a return counts
as on time when it reaches the hub before midnight at the end of that day in ``RETURN_TIMEZONE``.
Lateness is judged on the first accepted version: correcting an on-time return after the deadline
does not make it late. ``now`` is always passed in, so the clock can be controlled."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from config import default
from exchange.models import Partner, PartnerReturn
from exchange.models.returns import ACCEPTED
from exchange.periods import Period, period_range
from exchange.unit_of_work import UnitOfWork
from schemas import KINDS

NOT_DUE, OPEN, SUBMITTED, APPROVED, LATE, MISSING = (
    "not_due", "open", "submitted", "approved", "late", "missing")
STATUSES = (NOT_DUE, OPEN, SUBMITTED, APPROVED, LATE, MISSING)


@dataclass(frozen=True)
class Window:
    """One kind's window for one quarter: dates as partners read them, instants for the clock."""

    period: Period
    kind: str
    opens: date
    deadline: date
    opens_at: datetime  # UTC: the first moment the window is open
    closes_at: datetime  # UTC: the first moment a return is late


@dataclass(frozen=True)
class WindowRules:
    """The cycle's settings, read once from the app's config (or config/default.py)."""

    deadline_months: Mapping[str, int]
    timezone: ZoneInfo
    cycle_start: Period
    kinds_by_partner_kind: Mapping[str, tuple[str, ...]]
    overdue_weeks: int = 13

    @classmethod
    def from_config(cls, config: Mapping | None = None) -> "WindowRules":
        """Rules from a Flask config (any mapping); settings it lacks come from config/default."""
        config = config or {}

        def setting(name):
            return config.get(name, getattr(default, name))

        months = {kind: 1 for kind in KINDS} | dict(setting("RETURN_DEADLINE_MONTHS") or {})
        return cls(
            deadline_months=months,
            timezone=ZoneInfo(setting("RETURN_TIMEZONE")),
            cycle_start=Period.parse(setting("RETURN_CYCLE_START")),
            kinds_by_partner_kind={k: tuple(v) for k, v in
                                   (setting("RETURN_KINDS_BY_PARTNER_KIND") or {}).items()},
            overdue_weeks=int(setting("REMINDER_OVERDUE_WEEKS")),
        )

    def kinds_for(self, partner_kind: str) -> tuple[str, ...]:
        """The kinds of return a partner of this kind owes each quarter."""
        return self.kinds_by_partner_kind.get(partner_kind, tuple(KINDS))

    def window(self, period: "str | Period", kind: str) -> Window:
        quarter = Period.parse(period)
        if quarter.is_year:
            raise ValueError(f"{quarter} is a year; windows are per quarter, e.g. {quarter}-Q1")
        opens = quarter.end + timedelta(days=1)
        deadline = _last_day_of_month_after(quarter.end, self.deadline_months.get(kind, 1))
        return Window(quarter, kind, opens, deadline, self._midnight(opens),
                      self._midnight(deadline + timedelta(days=1)))

    def current_quarter(self, now: datetime) -> Period:
        return Period.of(now.astimezone(self.timezone).date())

    def latest_deadline(self, period: "str | Period") -> datetime:
        """The moment every kind of the quarter is due: when a release may be published."""
        return max(self.window(period, kind).closes_at for kind in KINDS)

    def _midnight(self, day: date) -> datetime:
        return datetime.combine(day, time(0), self.timezone).astimezone(UTC)


CLOSED = "closed"


def quarter_state(rules: WindowRules, period: "str | Period", now: datetime) -> str:
    """Where a quarter's windows stand at ``now``: ``not_due`` before they open, ``open`` until
    every kind's deadline has passed, then ``closed``."""
    quarter = Period.parse(period)
    if now < min(rules.window(quarter, kind).opens_at for kind in KINDS):
        return NOT_DUE
    return CLOSED if now >= rules.latest_deadline(quarter) else OPEN


def unreturned_status(window: Window, now: datetime) -> str:
    """The status of a window with no return at ``now``: not due, open, or missing once its
    deadline is past."""
    if now < window.opens_at:
        return NOT_DUE
    return OPEN if now < window.closes_at else MISSING


def latest_complete_year(rules: WindowRules, now: datetime, returns: "tuple[str, str] | None"
                         = None) -> Period:
    """What a dashboard shows first: the latest financial year every window of which has closed
    at ``now``. ``returns`` (the earliest and latest quarters with returns) keeps it to years
    with figures: a hub whose returns stop in 2021-22 opens on 2021-22, and one whose only
    returns are in a year still under way opens on that year, which is then partial."""
    year = rules.current_quarter(now).financial_year
    while quarter_state(rules, f"{year}-Q4", now) != CLOSED:
        year = year.previous
    if returns is None:
        return year
    earliest, latest = (Period.parse(p).financial_year for p in returns)
    if latest < year:
        return latest
    return latest if year < earliest else year


def _last_day_of_month_after(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months + 1  # the month after the one wanted
    return date(index // 12, index % 12 + 1, 1) - timedelta(days=1)


@dataclass
class ReturnState:
    """Where one (partner, kind, quarter) stands at a moment."""

    partner: str
    partner_name: str
    partner_id: int
    kind: str
    period: str
    status: str
    window: Window
    requires_approval: bool = False
    return_id: int | None = None
    version: int | None = None
    submitted_at: datetime | None = None  # of the current version
    first_submitted_at: datetime | None = None  # of the first accepted version: decides lateness
    approved_at: datetime | None = None
    approved_by: str | None = None
    late: bool = False

    def to_dict(self) -> dict:
        def iso(value):
            return value.isoformat() if value is not None else None

        return {"partner": self.partner, "partner_name": self.partner_name, "kind": self.kind,
                "period": self.period, "status": self.status,
                "opens": self.window.opens.isoformat(),
                "deadline": self.window.deadline.isoformat(),
                "requires_approval": self.requires_approval, "late": self.late,
                "return_id": self.return_id, "version": self.version,
                "submitted_at": iso(self.submitted_at),
                "first_submitted_at": iso(self.first_submitted_at),
                "approved_at": iso(self.approved_at), "approved_by": self.approved_by}


@dataclass
class PeriodSummary:
    """One quarter of the cycle: its windows and how many returns stand in each status."""

    period: Period
    opens: date
    deadline: date  # the latest deadline of any kind
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))

    def to_dict(self) -> dict:
        return {"period": str(self.period), "description": self.period.describe(),
                "opens": self.opens.isoformat(), "deadline": self.deadline.isoformat(),
                "counts": dict(self.counts), "total": sum(self.counts.values())}


def status_of(window: Window, current: PartnerReturn | None, first_at: datetime | None,
              now: datetime) -> str:
    """The status of one window given its current accepted return (if any) at ``now``."""
    if current is not None:
        if current.approved_at is not None:
            return APPROVED
        return LATE if (first_at or current.submitted_at) >= window.closes_at else SUBMITTED
    return unreturned_status(window, now)


def owing_partners(uow: UnitOfWork, rules: WindowRules,
                   partner_ids: Iterable[int] | None = None) -> list[tuple[Partner, tuple]]:
    """Each partner that owes returns, with the kinds it owes, by slug."""
    stmt = select(Partner).order_by(Partner.slug)
    if partner_ids is not None:
        stmt = stmt.where(Partner.id.in_(list(partner_ids)))
    owing = [(p, rules.kinds_for(p.kind)) for p in uow.session.scalars(stmt)]
    return [(p, kinds) for p, kinds in owing if kinds]


def states(uow: UnitOfWork, periods: Iterable["str | Period"], now: datetime, *,
           rules: WindowRules | None = None,
           partner_ids: Iterable[int] | None = None) -> list[ReturnState]:
    """The state of every (partner, kind, quarter) owed in these quarters, in one pass.
    Call inside ``with uow:``."""
    rules = rules or WindowRules.from_config()
    quarters = [Period.parse(p) for p in periods]
    names = [str(q) for q in quarters]
    owing = owing_partners(uow, rules, partner_ids)
    ids = [p.id for p, _ in owing]
    current = {(r.partner_id, r.kind, r.period): r for r in uow.session.scalars(
        select(PartnerReturn).where(PartnerReturn.is_current, PartnerReturn.status == ACCEPTED,
                                    PartnerReturn.partner_id.in_(ids),
                                    PartnerReturn.period.in_(names)))}
    first = {(pid, kind, period): at for pid, kind, period, at in uow.session.execute(
        select(PartnerReturn.partner_id, PartnerReturn.kind, PartnerReturn.period,
               func.min(PartnerReturn.submitted_at))
        .where(PartnerReturn.status == ACCEPTED, PartnerReturn.partner_id.in_(ids),
               PartnerReturn.period.in_(names))
        .group_by(PartnerReturn.partner_id, PartnerReturn.kind, PartnerReturn.period))}
    found = []
    for quarter in quarters:
        for partner, kinds in owing:
            for kind in kinds:
                found.append(_state(rules.window(quarter, kind), partner, kind,
                                    current.get((partner.id, kind, str(quarter))),
                                    first.get((partner.id, kind, str(quarter))), now))
    return found


def _state(window: Window, partner: Partner, kind: str, current: PartnerReturn | None,
           first_at: datetime | None, now: datetime) -> ReturnState:
    status = status_of(window, current, first_at, now)
    state = ReturnState(partner.slug, partner.name, partner.id, kind, str(window.period),
                        status, window, requires_approval=partner.requires_approval)
    if current is not None:
        state.return_id, state.version = current.id, current.version
        state.submitted_at, state.first_submitted_at = current.submitted_at, first_at
        state.approved_at, state.approved_by = current.approved_at, current.approved_by
        state.late = (first_at or current.submitted_at) >= window.closes_at
    return state


def quarters_to_date(uow: UnitOfWork, now: datetime, rules: WindowRules) -> list[Period]:
    """From the cycle's first quarter (or the earliest quarter with an accepted return, if
    earlier) to the quarter ``now`` falls in."""
    earliest = uow.session.scalar(select(func.min(PartnerReturn.period))
                                  .where(PartnerReturn.status == ACCEPTED))
    first = rules.cycle_start
    if earliest is not None:
        first = min(first, Period.parse(earliest))
    last = max(rules.current_quarter(now), first)
    return list(period_range(first, last))


def period_status(uow: UnitOfWork, period: "str | Period", now: datetime, *,
                  rules: WindowRules | None = None,
                  partner_ids: Iterable[int] | None = None) -> list[ReturnState]:
    """Every partner and kind owed for one quarter, at ``now``."""
    with uow:
        return states(uow, [period], now, rules=rules, partner_ids=partner_ids)


def periods_overview(uow: UnitOfWork, now: datetime, *, rules: WindowRules | None = None,
                     partner_ids: Iterable[int] | None = None) -> list[PeriodSummary]:
    """Each quarter of the cycle to date, oldest first, with counts of returns by status."""
    rules = rules or WindowRules.from_config()
    with uow:
        quarters = quarters_to_date(uow, now, rules)
        found = states(uow, quarters, now, rules=rules, partner_ids=partner_ids)
    summaries = {str(q): PeriodSummary(q, rules.window(q, next(iter(KINDS))).opens,
                                       max(rules.window(q, k).deadline for k in KINDS))
                 for q in quarters}
    for state in found:
        summaries[state.period].counts[state.status] += 1
    return list(summaries.values())
