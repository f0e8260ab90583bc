"""Outcome measures over a range of quarters, counted once: a flow (starts, hours) is summed; a
stock (people employed at the quarter's end) is the average of each partner's quarters, or its
latest quarter, as the measure is configured, never their sum. Social value in pounds follows
what the proxy value is per: a flow's total times £ per unit; a stock's person-years reported
(the sum of its quarter-end counts, a quarter being a quarter of a year) times £ per
person-year."""

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import func, select

from exchange.models import MeasureDefinition, MeasureLine
from exchange.unit_of_work import UnitOfWork
from exchange.views.common import ReturnRow

CENT = Decimal("0.01")
STOCK, FLOW = "stock", "flow"
AVERAGE, LATEST, SUM = "average", "latest", "sum"
QUARTERS_A_YEAR = 4


def code_of(text: str) -> str:
    """A code as the standard spells it (snake_case), however the partner typed it."""
    return text.strip().lower().replace("-", "_")


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(CENT))


def _figure(nature: str, year_figure: str, by_partner: dict[int, dict[str, Decimal]]) -> Decimal:
    """The range's figure: a flow's sum; a stock's average or latest quarter, per partner,
    added up over partners (a partner's missing quarter is not a count of zero)."""
    if nature != STOCK:
        return sum((v for quarters in by_partner.values() for v in quarters.values()), Decimal(0))
    if year_figure == LATEST:
        return sum((q[max(q)] for q in by_partner.values()), Decimal(0))
    return sum((sum(q.values(), Decimal(0)) / len(q) for q in by_partner.values()), Decimal(0))


def _num(value: Decimal) -> str:
    """1234.50 -> '1,234.5'; 100.00 -> '100'."""
    text = f"{value:,.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def how(definition, figure: Decimal, quarters: int, units: Decimal,
        social: Decimal | None) -> str:
    """In words: how the figure and its social value were made."""
    unit = (definition.unit if definition else None) or "units"
    span = f"{quarters} {'quarter' if quarters == 1 else 'quarters'} reported"
    if definition is not None and definition.nature == STOCK:
        way = ("the latest quarter-end count" if definition.year_figure == LATEST
               else "the average of the quarter-end counts")
        text = (f"A count at each quarter's end: {_num(figure)} {unit} is {way} of each "
                f"partner over the {span}, added over partners (never the quarters' sum).")
        if social is not None:
            per = definition.proxy_per
            text += (f" Social value £{social:,.2f} = {_num(units)} {per}s reported (each "
                     f"quarter-end count stands for a quarter of a year) × "
                     f"£{definition.proxy_value:,.2f} per {per}.")
        return text
    text = f"What happened in each quarter: {_num(figure)} {unit} is the sum of the {span}."
    if social is not None:
        text += (f" Social value £{social:,.2f} = {_num(figure)} × "
                 f"£{definition.proxy_value:,.2f} per {definition.proxy_per or unit}.")
    return text


def measure_values(uow: UnitOfWork,
                   returns: list[ReturnRow]) -> dict[str, dict[int, dict[str, list]]]:
    """code -> partner id -> quarter -> [value, lines], from the measures returns given."""
    by_id = {r.id: r for r in returns if r.kind == "measures"}
    out: dict[str, dict[int, dict[str, list]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(lambda: [Decimal(0), 0])))
    if not by_id:
        return out
    stmt = (select(MeasureLine.return_id, MeasureLine.measure, func.sum(MeasureLine.value),
                   func.count())
            .where(MeasureLine.return_id.in_(list(by_id)))
            .group_by(MeasureLine.return_id, MeasureLine.measure))
    for return_id, code, total, count in uow.session.execute(stmt):
        ret = by_id[return_id]
        cell = out[code_of(code)][ret.partner_id][ret.period]
        cell[0] += Decimal(str(total))
        cell[1] += count
    return out


def definitions(uow: UnitOfWork) -> dict[str, MeasureDefinition]:
    return {code_of(d.code): d for d in uow.session.scalars(select(MeasureDefinition))}


def measures(uow: UnitOfWork, returns: list[ReturnRow]) -> list[dict]:
    """Each measure reported in the returns: its figure for the range (summed, averaged or
    latest, as it is a flow or a stock), its social value in pounds and how both were made."""
    values = measure_values(uow, returns)
    if not values:
        return []
    known = definitions(uow)
    out = []
    for code, by_partner in sorted(values.items()):
        d = known.get(code)
        nature = d.nature if d else FLOW
        year_figure = (d.year_figure if d else SUM) if nature == STOCK else SUM
        amounts = {p: {q: cell[0] for q, cell in qs.items()} for p, qs in by_partner.items()}
        figure = _figure(nature, year_figure, amounts).quantize(CENT)
        quarters = sorted({q for qs in amounts.values() for q in qs})
        reported = sum((v for qs in amounts.values() for v in qs.values()), Decimal(0))
        units = (reported / QUARTERS_A_YEAR).quantize(CENT) if nature == STOCK else figure
        proxy = d.proxy_value if d else None
        social = (units * proxy).quantize(CENT) if proxy is not None else None
        by_quarter = defaultdict(Decimal)
        for qs in amounts.values():
            for q, v in qs.items():
                by_quarter[q] += v
        out.append({
            "code": d.code if d else code, "name": d.name if d else None,
            "unit": d.unit if d else None, "nature": nature, "year_figure": year_figure,
            "value": str(figure), "quarters": quarters,
            "by_quarter": {q: _money(v) for q, v in sorted(by_quarter.items())},
            "lines": sum(c[1] for qs in by_partner.values() for c in qs.values()),
            "proxy_value": _money(proxy), "proxy_per": d.proxy_per if d else None,
            "valued_units": str(units) if proxy is not None else None,
            "social_value": _money(social),
            "indicative": d.proxy_indicative if proxy is not None else None,
            "people_count": d.people_count if d else False,
            "how": how(d, figure, len(quarters), units, social),
        })
    return out
