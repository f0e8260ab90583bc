"""How much of a spend return's money the directory located, by source, for its receipt."""

from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exchange.models import PartnerReturn, SpendAggregate
from exchange.services.directory.geography import UNKNOWN
from exchange.services.directory.suppliers import SOURCES

_HUNDRED = Decimal(100)


def located_of(session: Session, ret: PartnerReturn) -> dict | None:
    """``{"share": 0.4213, "by_source": {"line": "1200.00", ...}}`` for an accepted spend
    return, else None. ``by_source`` is the net amount placed by each source (every source
    listed, "0.00" where it placed nothing); ``share`` is the located part of the return's
    payments by value, credits counted by their size (so it stays within 0 and 1), and None
    when the return holds no money at all. Read from the return's ``spend_aggregate`` rows,
    which every accepted spend return has (superseded ones too), not from its lines: the size
    of its payments is the net less twice the credits."""
    if ret.kind != "spend" or ret.status != "accepted":
        return None
    agg = SpendAggregate
    sums = {source: (net, size) for source, net, size in session.execute(
        select(agg.location_source, func.sum(agg.amount_pence),
               func.sum(agg.amount_pence - 2 * agg.credit_pence))
        .where(agg.return_id == ret.id).group_by(agg.location_source))}
    total = sum(int(size or 0) for _, size in sums.values())
    located = sum(int(size or 0) for source, (_, size) in sums.items() if source != UNKNOWN)
    return {
        # A share is a JSON number from 0 to 1 across the API (exchange/api/docs.py).
        "share": float(round(Decimal(located) / Decimal(total), 4)) if total else None,
        "by_source": {source: f"{Decimal(int(sums.get(source, (0, 0))[0] or 0)) / _HUNDRED:.2f}"
                      for source in SOURCES},
    }
