"""How the hub writes figures for people, once for every page, report and chart table: pounds,
percentages, counts, dates and plural words. The figures themselves come from exchange.views;
this only spells them. No Flask here: the app registers FILTERS as Jinja filters
(exchange.pages.init_app), the reports' own Jinja environment does the same."""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from exchange.views.coverage import located_text, withheld_text

NONE = "–"  # no figure: never written as zero


def pounds(value, whole: bool = False) -> str:
    """'106000.00' -> '£106,000'; '-25100.50' -> '−£25,100.50': pence only when there are some,
    or never with ``whole`` (figures added over many returns, in reports and chart tables)."""
    if value is None or value == "":
        return NONE
    amount = Decimal(str(value))
    if whole:
        amount = amount.quantize(Decimal(1), ROUND_HALF_UP)
    sign = "−" if amount < 0 else ""
    amount = abs(amount)
    text = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
    return f"{sign}£{text}"


def whole_pounds(value) -> str:
    """£1,234,567: rounded to the pound."""
    return pounds(value, whole=True)


def percent(value) -> str:
    """0.6689 -> '66.9%' (shares are fractions 0–1); no share (nothing spent) is a dash."""
    if value is None or value == "":
        return NONE
    return f"{Decimal(str(value)) * 100:.1f}%"


def number(value) -> str:
    """'2470.00' -> '2,470'; '12.50' -> '12.5'; thousands always separated."""
    if value is None or value == "":
        return NONE
    text = f"{Decimal(str(value)).normalize():,f}"
    return text


def plural(count, singular: str, plural_form: str | None = None) -> str:
    """The word for ``count`` of a thing: plural(1, "return") -> "return", 2 -> "returns"."""
    return singular if count == 1 else (plural_form or f"{singular}s")


def counted(count, singular: str, plural_form: str | None = None) -> str:
    """'1 return', '2 partners', '1,204 rows'."""
    return f"{number(count)} {plural(count, singular, plural_form)}"


def day(value) -> str:
    """'3 December 2026'; a dash when there is no date."""
    if value is None:
        return NONE
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return f"{value.day} {value:%B %Y}" if isinstance(value, date) else str(value)


def moment(value) -> str:
    """'3 December 2026 at 14:05 UTC' for a time the hub recorded."""
    if value is None:
        return NONE
    return f"{day(value)} at {value:%H:%M} UTC"


KINDS = {"money": pounds, "share": percent, "count": number}


def figure(kpis: dict | None, key: str, kind: str) -> str:
    """One KPI written out; a share withheld for too little located spend says so, never a
    number (e.g. 'not enough spend located (12.5% located)')."""
    kpis = kpis or {}
    withheld = withheld_text(kpis, key)
    return withheld if withheld is not None else KINDS[kind](kpis.get(key))


def coverage(kpis: dict | None) -> str:
    """'98.3% located (the line's postcode 98.3%, ...)': how much spend was located, and how."""
    return located_text(kpis, percent)


FILTERS = {"money": pounds, "whole_pounds": whole_pounds, "share": percent, "percent": percent,
           "number": number, "plural": plural, "counted": counted, "day": day,
           "moment": moment, "figure": lambda value, kind: KINDS[kind](value),
           "share_of": lambda kpis, key: figure(kpis, key, "share"), "located": coverage}


def change(kind: str, now, before) -> dict:
    """The change from ``before`` to ``now``: direction (up, down, same, or none when there is
    nothing to compare with) and words for it."""
    if now is None or before is None:
        return {"direction": "none", "text": "no figure to compare with"}
    delta = Decimal(str(now)) - Decimal(str(before))
    direction = "up" if delta > 0 else "down" if delta < 0 else "same"
    if direction == "same":
        return {"direction": "same", "text": "no change"}
    if kind == "share":
        points = f"{abs(delta) * 100:.1f}"
        return {"direction": direction, "text": f"{direction} {points} percentage points"}
    size = pounds(abs(delta)) if kind == "money" else number(abs(delta))
    return {"direction": direction, "text": f"{direction} {size}"}
