"""Queries a statistician would raise: figures far from the partner's own history."""

from decimal import Decimal

from exchange.periods import Period
from exchange.unit_of_work import UnitOfWork
from schemas.issues import WARNING, Issue

CHANGE_LIMIT = Decimal("0.5")


def check_total(uow: UnitOfWork, partner_id: int, kind: str, period: str,
                amount: Decimal) -> list[Issue]:
    """Warn when total spend moved more than 50% from the same quarter last year."""
    last_year = str(Period.parse(period).same_quarter_last_year)
    earlier = uow.returns.current(partner_id, kind, last_year)
    if earlier is None or not earlier.total_amount:
        return []
    before = earlier.total_amount
    change = (amount - before) / abs(before)
    if abs(change) <= CHANGE_LIMIT:
        return []
    direction = "higher" if change > 0 else "lower"
    return [Issue(WARNING, "total.unusual_change", (
        f"Total spend of £{amount:,.2f} is {abs(change):.0%} {direction} than in the same quarter "
        f"last year ({last_year}: £{before:,.2f}). Please check the file is complete, or explain "
        f"the change to the partnership."), value=f"{amount:.2f}")]
