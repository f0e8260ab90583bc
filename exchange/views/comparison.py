"""Fair comparisons with a year earlier: the same quarters, the same partners, said in words.

A range whose windows have not all closed is partial: only its quarters whose windows have
opened are compared, with the same quarters a year earlier. When the partners with spend returns
differ between the two, both sides are recomputed on the partners present in both."""

from datetime import datetime

from exchange.periods import Period
from exchange.services.cycle.windows import CLOSED, NOT_DUE, OPEN, WindowRules, quarter_state
from exchange.unit_of_work import UnitOfWork
from exchange.views.common import parse_window
from exchange.views.partnership import partnership_view

STATE_WORDS = {CLOSED: "closed", OPEN: "open (returns still due)", NOT_DUE: "not due"}


def _spend_partners(view: dict) -> set[str]:
    [period] = view["periods"]
    return {p["slug"] for p in period["partners"] if any(r["kind"] == "spend"
                                                         for r in p["returns"])}


def _span(quarters: list[str]) -> str:
    return quarters[0] if len(quarters) == 1 else f"{quarters[0]} to {quarters[-1]}"


def compare_with_year_before(uow: UnitOfWork, place: str, first: str, last: str, basis: str,
                             now: datetime, rules: WindowRules) -> dict:
    """The range's quarters and where their windows stand, whether it is partial, and its
    combined KPIs beside the same quarters a year earlier on the partners present in both,
    with a sentence saying what was compared."""
    quarters = parse_window(first, last, "total", basis).quarters
    states = [{"period": q, "state": quarter_state(rules, q, now)} for q in quarters]
    opened = [s["period"] for s in states if s["state"] != NOT_DUE]
    partial = any(s["state"] != CLOSED for s in states)
    out = {"quarters": states, "partial": partial, "compared": None, "previous": None,
           "partners": None, "kpis": None}
    if not opened:
        out["text"] = f"Nothing to compare yet: the windows of {_span(quarters)} have not opened."
        return out
    try:
        earlier = [str(Period.parse(q).same_quarter_last_year) for q in opened]
    except ValueError:  # the earliest year there is
        out["text"] = f"Nothing to compare with: there is no year before {_span(quarters)}."
        return out
    now_view = partnership_view(uow, place, opened[0], opened[-1], "total", basis,
                                now=now, rules=rules)
    before_view = partnership_view(uow, place, earlier[0], earlier[-1], "total", basis,
                                   now=now, rules=rules)
    present_now, present_before = _spend_partners(now_view), _spend_partners(before_view)
    both = sorted(present_now & present_before)
    out.update(compared={"from": opened[0], "to": opened[-1]},
               previous={"from": earlier[0], "to": earlier[-1]},
               partners={"both": both, "only_now": sorted(present_now - present_before),
                         "only_before": sorted(present_before - present_now),
                         "same": present_now == present_before})
    if both and present_now != present_before:
        now_view = partnership_view(uow, place, opened[0], opened[-1], "total", basis,
                                    partners=both, now=now, rules=rules)
        before_view = partnership_view(uow, place, earlier[0], earlier[-1], "total", basis,
                                       partners=both, now=now, rules=rules)
    if both:
        out["kpis"] = {"now": now_view["periods"][0]["combined"]["kpis"],
                       "before": before_view["periods"][0]["combined"]["kpis"]}
    out["text"] = _words(out, quarters)
    return out


def _words(found: dict, quarters: list[str]) -> str:
    parts = []
    if found["partial"]:
        by_state: dict[str, list[str]] = {}
        for s in found["quarters"]:
            by_state.setdefault(s["state"], []).append(s["period"])
        where = "; ".join(f"{', '.join(qs)} {STATE_WORDS[state]}"
                          for state, qs in by_state.items())
        parts.append(f"Partial: {_span(quarters)} is not complete ({where}).")
    compared, previous = found["compared"], found["previous"]
    partners = found["partners"]
    if not partners["both"]:
        parts.append(f"No partner has spend returns in both {_span(list(compared.values()))} "
                     f"and {_span(list(previous.values()))}, so there is nothing to compare.")
        return " ".join(parts)
    text = (f"Compared: {_span(list(dict.fromkeys(compared.values())))} with the same quarters "
            f"a year earlier ({_span(list(dict.fromkeys(previous.values())))})")
    count = len(partners["both"])
    counted = f"{count} {'partner' if count == 1 else 'partners'}"
    if partners["same"]:
        text += f", the same {counted} in both."
    else:
        text += (f", on the {counted} with spend returns in both "
                 f"({', '.join(partners['both'])})")
        left = []
        if partners["only_now"]:
            left.append(f"{', '.join(partners['only_now'])} only now")
        if partners["only_before"]:
            left.append(f"{', '.join(partners['only_before'])} only a year earlier")
        text += f"; left out of the comparison: {'; '.join(left)}."
    parts.append(text)
    return " ".join(parts)
