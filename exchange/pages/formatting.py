"""How the dashboards write the views' figures for people: pounds, percentages and changes.
The figures themselves come from exchange.views; this only spells them. No Flask here."""

from decimal import Decimal


def pounds(value) -> str:
    """'106000.00' -> '£106,000'; pence shown only when there are some."""
    if value is None:
        return "–"
    amount = Decimal(str(value))
    sign = "−" if amount < 0 else ""
    amount = abs(amount)
    text = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
    return f"{sign}£{text}"


def percent(value) -> str:
    """0.6689 -> '66.9%'; no share (nothing spent) is a dash."""
    return "–" if value is None else f"{Decimal(str(value)) * 100:.1f}%"


def number(value) -> str:
    return "–" if value is None else f"{Decimal(str(value)).normalize():,f}"


KINDS = {"money": pounds, "share": percent, "count": number}


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
