"""What changed between a return and the version it superseded: rows added, removed, changed."""

from collections import Counter, defaultdict
from decimal import Decimal

from exchange.errors import NotFound
from exchange.models.lines import LINE_MODELS
from exchange.unit_of_work import UnitOfWork

# Fields that identify "the same row" across versions, where a kind has them.
NATURAL_KEYS = {"suppliers": "supplier_id", "commitments": "commitment", "measures": "measure"}
SKIP = {"id", "return_id", "row_number"}
SHOWN_LIMIT = 500


def _fields(kind: str) -> list[str]:
    return [c.name for c in LINE_MODELS[kind].__table__.columns if c.name not in SKIP]


def _values(line, fields: list[str]) -> tuple:
    return tuple(getattr(line, f) for f in fields)


def _plain(fields: list[str], values: tuple) -> dict:
    return {f: (str(v) if v is not None and not isinstance(v, bool | int) else v)
            for f, v in zip(fields, values, strict=True)}


def diff_returns(return_id: int, partner_id: int | None, uow: UnitOfWork) -> dict:
    """Rows added, removed and changed from the superseded version, and the change in totals."""
    with uow:
        ret = uow.returns.get(return_id, partner_id)
        if ret is None:
            raise NotFound("There is no such return.")
        previous = uow.returns.get(ret.supersedes_id) if ret.supersedes_id else None
        fields = _fields(ret.kind)
        new = [_values(x, fields) for x in uow.lines.all_for_return(ret.kind, ret.id)]
        old = ([_values(x, fields) for x in uow.lines.all_for_return(ret.kind, previous.id)]
               if previous else [])
        key = NATURAL_KEYS.get(ret.kind)
        if key:
            added, removed, changed = _by_key(fields.index(key), old, new)
        else:
            added, removed, changed = _by_content(old, new)
        return {
            "id": ret.id, "version": ret.version, "kind": ret.kind, "period": ret.period,
            "supersedes": previous.id if previous else None,
            "counts": {"added": len(added), "removed": len(removed), "changed": len(changed),
                       "unchanged": len(new) - len(added) - len(changed)},
            "totals": _totals(ret, previous),
            "added": [_plain(fields, v) for v in added[:SHOWN_LIMIT]],
            "removed": [_plain(fields, v) for v in removed[:SHOWN_LIMIT]],
            "changed": [{"before": _plain(fields, a), "after": _plain(fields, b)}
                        for a, b in changed[:SHOWN_LIMIT]],
        }


def _by_key(index, old, new):
    """Rows matched by their key. A key may repeat (two rows for one measure): rows identical in
    both versions are unchanged, the rest are paired in file order as changed, and what is left
    over is added or removed, so every row of both versions is accounted for."""
    before, after = defaultdict(list), defaultdict(list)
    for row in old:
        before[row[index]].append(row)
    for row in new:
        after[row[index]].append(row)
    added, removed, changed = [], [], []
    for key in [*after, *(k for k in before if k not in after)]:
        old_rows, new_rows = Counter(before.get(key, ())), Counter(after.get(key, ()))
        gone = list((old_rows - new_rows).elements())
        came = list((new_rows - old_rows).elements())
        changed.extend(zip(gone, came, strict=False))
        removed.extend(gone[len(came):])
        added.extend(came[len(gone):])
    return added, removed, changed


def _by_content(old, new):
    """Spend lines have no reliable key: a line is unchanged if an identical one was there."""
    before, after = Counter(old), Counter(new)
    added = list((after - before).elements())
    removed = list((before - after).elements())
    return added, removed, []


def _totals(ret, previous) -> dict:
    def fmt(value: Decimal | None):
        return f"{value:.2f}" if value is not None else None

    result = {"rows": {"before": previous.row_count if previous else 0, "after": ret.row_count}}
    if ret.total_amount is not None:
        before = previous.total_amount if previous else Decimal("0")
        result["amount"] = {"before": fmt(before), "after": fmt(ret.total_amount),
                            "change": fmt(ret.total_amount - (before or 0))}
    return result
