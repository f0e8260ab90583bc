"""The period range a dashboard shows: read from the query string, checked by the views' own
window rule (exchange.views.common.parse_window), kept as typed when it is wrong. No Flask here."""

from dataclasses import dataclass, field
from datetime import datetime

from exchange.errors import Unprocessable
from exchange.periods import Period
from exchange.services.cycle.windows import WindowRules, latest_complete_year
from exchange.unit_of_work import UnitOfWork
from exchange.views.catalogue import return_span
from exchange.views.common import parse_window

BASIS_LABELS = {"as_submitted": "As submitted (every line each partner reports)",
                "comparable": "Comparable (only lines at or above the highest threshold)"}


@dataclass
class RangeChoice:
    """What the range form shows and, when ``errors`` is empty, what the dashboard covers."""

    first: str
    last: str
    basis: str
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.errors


def read_range(args, default: str) -> RangeChoice:
    """The range asked for in ``args`` (``from``, ``to``, ``basis``), or ``default`` (a period)
    on a first visit. Errors are keyed by form field, one message each."""
    if "from" not in args and "to" not in args:
        return RangeChoice(default, default, args.get("basis") or "as_submitted")
    choice = RangeChoice(args.get("from", "").strip(), args.get("to", "").strip(),
                         args.get("basis") or "as_submitted")
    try:
        parse_window(choice.first, choice.last or None, "quarter", choice.basis)
    except Unprocessable as err:
        choice.errors = {name: messages[0] for name, messages in err.errors.items()}
    return choice


def canonical(choice: RangeChoice) -> tuple[str, str]:
    """The range's first and last periods as the hub spells them (2025-26-Q1)."""
    first = Period.parse(choice.first)
    return str(first), str(Period.parse(choice.last)) if choice.last else str(first)


def year_earlier(first: str, last: str) -> tuple[str, str] | None:
    """The same range a year earlier, for trends; None before the earliest year there is."""
    try:
        return (str(Period.parse(first).same_quarter_last_year),
                str(Period.parse(last).same_quarter_last_year))
    except ValueError:
        return None


def default_year(uow: UnitOfWork, partner_ids: list[int], now: datetime,
                 rules: WindowRules) -> str:
    """What a dashboard shows before anyone picks a range: the latest complete financial year
    (every window of it closed) among the years with these partners' returns
    (exchange.services.cycle.windows.latest_complete_year)."""
    return str(latest_complete_year(rules, now, return_span(uow, partner_ids)))
