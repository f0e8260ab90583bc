"""What every view shares: the period window asked for, lineage and submission status."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import select

from exchange.errors import Unprocessable
from exchange.models import PartnerReturn
from exchange.models.base import utcnow
from exchange.models.returns import ACCEPTED, REJECTED
from exchange.periods import Period
from exchange.services.cycle.windows import WindowRules, unreturned_status
from exchange.unit_of_work import UnitOfWork
from exchange.views.spend import BASES

BY = ("quarter", "year", "total")
FIGURE_KINDS = ("spend", "commitments", "measures", "contributions")


@dataclass(frozen=True)
class Window:
    """The periods a view covers and how they are grouped: quarter -> label of its bucket."""

    first: str
    last: str
    by: str
    basis: str
    buckets: dict[str, str]

    @property
    def quarters(self) -> list[str]:
        return list(self.buckets)

    @property
    def labels(self) -> list[str]:
        return list(dict.fromkeys(self.buckets.values()))


def parse_window(first: str | None, last: str | None, by: str | None = None,
                 basis: str | None = None) -> Window:
    """The window from the request's ``from``, ``to``, ``by`` and ``basis``, or 422 saying
    which is wrong. Quarters and years may be mixed: a year stands for its four quarters."""
    by, basis, errors = by or "total", basis or "as_submitted", {}
    start = stop = None
    if not first:
        errors["from"] = ["Give the first period: a quarter like 2021-22-Q1 or a year."]
    for name, text in (("from", first), ("to", last or first)):
        if not text:
            continue
        try:
            parsed = Period.parse(text)
        except ValueError as err:
            errors[name] = [f"{err}."]
            continue
        if name == "from":
            start = parsed
        else:
            stop = parsed
    if start and stop and stop.quarters()[-1] < start.quarters()[0]:
        errors["to"] = [f"{stop} comes before {start}."]
    if by not in BY:
        errors["by"] = [f"'{by}' is not a grouping; use one of {', '.join(BY)}."]
    if basis not in BASES:
        errors["basis"] = [f"'{basis}' is not a basis; use one of {', '.join(BASES)}."]
    if errors:
        raise Unprocessable("The periods, grouping or basis asked for are not valid.",
                            errors=errors)
    quarters, q = [], start.quarters()[0]
    while q <= stop.quarters()[-1]:
        quarters.append(q)
        q = q.next
    total = str(start) if start == stop else f"{start} to {stop}"
    label = {"quarter": str, "year": lambda p: str(p.financial_year), "total": lambda p: total}
    return Window(str(start), str(stop), by, basis, {str(q): label[by](q) for q in quarters})


class ReturnRow(NamedTuple):
    """A return as the views read it."""

    id: int
    partner_id: int
    kind: str
    period: str
    version: int


def _returns_stmt(partner_ids: Iterable[int], quarters: Iterable[str], kinds: Iterable[str],
                  *columns):
    return (select(PartnerReturn.id, PartnerReturn.partner_id, PartnerReturn.kind,
                   PartnerReturn.period, PartnerReturn.version, *columns)
            .where(PartnerReturn.partner_id.in_(list(partner_ids)),
                   PartnerReturn.period.in_(list(quarters)),
                   PartnerReturn.kind.in_(list(kinds)))
            .order_by(PartnerReturn.period, PartnerReturn.kind, PartnerReturn.id))


def current_returns(uow: UnitOfWork, partner_ids: Iterable[int], quarters: Iterable[str],
                    kinds: Iterable[str] = FIGURE_KINDS) -> list[ReturnRow]:
    """The current accepted returns of the partners for the quarters, oldest period first."""
    stmt = _returns_stmt(partner_ids, quarters, kinds).where(PartnerReturn.is_current.is_(True))
    return [ReturnRow(*row) for row in uow.session.execute(stmt)]


def returns_and_status(uow: UnitOfWork, partners: list, quarters: list[str],
                       kinds: Iterable[str] = FIGURE_KINDS, *, now: datetime | None = None,
                       rules: WindowRules | None = None) -> tuple[list[ReturnRow], list[dict]]:
    """:func:`current_returns` and the submission status of ``partners`` (each with ``id`` and
    ``slug``) from one read of their returns. A window with no return is ``not_due`` before it
    opens at ``now``, ``open`` until its deadline, then ``missing``."""
    kinds = list(kinds)
    current, seen = [], {}
    stmt = _returns_stmt([p.id for p in partners], quarters, kinds, PartnerReturn.status,
                         PartnerReturn.is_current)
    # in (period, kind, id) order: the returns of one partner, period and kind by id
    for return_id, partner_id, kind, period, version, status, is_current in (
            uow.session.execute(stmt)):
        if is_current:
            current.append(ReturnRow(return_id, partner_id, kind, period, version))
        _note_status(seen, (partner_id, period, kind), status, is_current, return_id, version)
    rules = rules or WindowRules.from_config()
    now = now or utcnow()
    unreturned = {(q, k): unreturned_status(rules.window(q, k), now)
                  for q in quarters for k in kinds}
    return current, _status_list(seen, partners, quarters, kinds, unreturned)


def _note_status(seen: dict, key: tuple, status: str, current: bool, return_id: int,
                 version: int) -> None:
    """Later returns of a key (by id) overrule earlier ones, but a rejection never overrules
    the accepted current version."""
    if status == ACCEPTED and current:
        seen[key] = {"status": ACCEPTED, "version": version, "return_id": return_id}
    elif status == REJECTED and seen.get(key, {}).get("status") != ACCEPTED:
        seen[key] = {"status": REJECTED, "version": None, "return_id": return_id}


def _status_list(seen: dict, partners: list, quarters: list[str], kinds: list[str],
                 unreturned: dict) -> list[dict]:
    return [{"partner": slug, "period": q, "kind": k, **seen.get((pid, q, k), {
                "status": unreturned[(q, k)], "version": None, "return_id": None})}
            for pid, slug in [(p.id, p.slug) for p in partners] for q in quarters for k in kinds]


def lineage(returns: Iterable[ReturnRow],
            buckets: dict[str, str]) -> dict[tuple[str, int], list[dict]]:
    """(bucket label, partner id) -> the returns its figures came from."""
    out: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for ret in returns:
        out[(buckets[ret.period], ret.partner_id)].append(
            {"id": ret.id, "kind": ret.kind, "period": ret.period, "version": ret.version})
    return out

