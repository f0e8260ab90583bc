"""Who is in a figure: per place and quarter, which partners are counted, awaiting approval, late
or missing, as data (a ``completeness`` object) and in words ("Rotherham: 6 of 7 partners
counted; RMBC awaiting approval"). "Coverage" stays the share of spend located.

A partner is counted when a return it owes for the quarter counts. Views count every current
accepted return, so a return awaiting its approver is in their figures and said to be awaiting;
releases count it only once approved (``exchange.feeds.sources.counting_returns``), so there it
is left out and said to be awaiting."""

from collections.abc import Iterable
from datetime import datetime

from exchange.services.cycle import windows
from exchange.services.cycle.windows import WindowRules
from exchange.unit_of_work import UnitOfWork

BUCKETS = ("counted", "awaiting_approval", "missing", "open", "not_due")
_RETURNED = (windows.SUBMITTED, windows.LATE, windows.APPROVED)


def _awaiting(states: list) -> bool:
    return any(s.status in (windows.SUBMITTED, windows.LATE) and s.requires_approval
               for s in states)


def _bucket(states: list, release: bool) -> str | None:
    """Where a partner stands for a quarter, from the states of the kinds it owes: counted, or
    else missing, open or not due (None: only awaiting approval)."""
    if any(s.status == windows.APPROVED or (s.status in _RETURNED and not (
            release and s.requires_approval)) for s in states):
        return "counted"
    if _awaiting(states):
        return None
    for status, bucket in ((windows.MISSING, "missing"), (windows.OPEN, "open")):
        if any(s.status == status for s in states):
            return bucket
    return "not_due"


def _words(name: str, entry: dict, release: bool) -> str:
    def names(slugs):
        return ", ".join(s.upper() for s in slugs)

    text = f"{name}: {len(entry['counted'])} of {entry['partners']} partners counted"
    if entry["awaiting_approval"]:
        where = "" if release else " (in these figures, not yet in the MCA's release)"
        text += f"; {names(entry['awaiting_approval'])} awaiting approval{where}"
    if entry["late"]:
        text += f"; late: {names(entry['late'])}"
    if entry["missing"]:
        text += f"; missing: {names(entry['missing'])}"
    if entry["open"]:
        text += f"; still open: {names(entry['open'])}"
    if entry["not_due"]:
        text += f"; not due yet: {names(entry['not_due'])}"
    return text


def completeness(uow: UnitOfWork, groups: Iterable[tuple[str, str, list[int]]],
                 quarters: Iterable[str], now: datetime, rules: WindowRules | None = None, *,
                 release: bool = False) -> list[dict]:
    """Per place (slug, name, partner ids) and quarter: the partners that owe returns, each
    counted, missing, open or not due (or only awaiting approval), those with a return awaiting
    approval, those late, and a sentence. ``release`` counts only approved returns of partners
    that need approval, as a release does. Call inside ``with uow:``."""
    groups, quarters = list(groups), list(quarters)
    rules = rules or WindowRules.from_config()
    everyone = sorted({i for _, _, ids in groups for i in ids})
    found: dict[tuple[int, str], list] = {}
    slugs: dict[int, str] = {}
    for state in windows.states(uow, quarters, now, rules=rules, partner_ids=everyone):
        found.setdefault((state.partner_id, state.period), []).append(state)
        slugs[state.partner_id] = state.partner
    out = []
    for slug, name, ids in groups:
        owing = sorted((i for i in ids if i in slugs), key=slugs.__getitem__)
        for quarter in quarters:
            entry = {"place": slug, "period": quarter, "partners": len(owing),
                     **{bucket: [] for bucket in BUCKETS}, "late": []}
            for pid in owing:
                states = found.get((pid, quarter), [])
                bucket = _bucket(states, release)
                if bucket:
                    entry[bucket].append(slugs[pid])
                if _awaiting(states):
                    entry["awaiting_approval"].append(slugs[pid])
                if any(s.status == windows.LATE or (s.status == windows.APPROVED and s.late)
                       for s in states):
                    entry["late"].append(slugs[pid])
            entry["text"] = _words(name, entry, release)
            out.append(entry)
    return out
