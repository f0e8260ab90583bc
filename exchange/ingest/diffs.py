"""What changed between a return and the version it superseded, as a person reads it: lines are
matched by their transaction number (spend) or the partner's own key (supplier id, commitment,
measure), so a changed amount is one changed line with its before and after, the columns that
changed and the line's row number in both files. Lines with no key are matched by content."""

from collections import defaultdict
from decimal import Decimal

from exchange.errors import NotFound
from exchange.models.lines import LINE_MODELS
from exchange.unit_of_work import UnitOfWork

# Fields that identify "the same row" across versions, where a kind has them.
NATURAL_KEYS = {"spend": "transaction_reference", "suppliers": "supplier_id",
                "commitments": "commitment", "measures": "measure"}
# Not the partner's columns: worked out by the hub (and changed by it, e.g. when the supplier
# register learns a postcode), so never a change the partner made.
DERIVED = {"supplier_name_normalised", "org_id", "supplier_key", "location_status", "lad_code",
           "location_source", "sme", "vcse", "redacted"}
SKIP = {"id", "return_id", "row_number"}
MONEY = ("amount", "irrecoverable_vat", "value")
SHOWN_LIMIT = 500


def _fields(kind: str) -> list[str]:
    return [c.name for c in LINE_MODELS[kind].__table__.columns
            if c.name not in SKIP and (kind != "spend" or c.name not in DERIVED)]


def _text(value):
    return str(value) if value is not None and not isinstance(value, bool | int) else value


def _plain(fields: list[str], values: tuple) -> dict:
    return {f: _text(v) for f, v in zip(fields, values, strict=True)}


def diff_returns(return_id: int, partner_id: int | None, uow: UnitOfWork) -> dict:
    """Rows added, removed and changed from the superseded version, and the change in totals."""
    with uow:
        ret = uow.returns.get(return_id, partner_id)
        if ret is None:
            raise NotFound("There is no such return.")
        previous = uow.returns.get(ret.supersedes_id) if ret.supersedes_id else None
        fields = _fields(ret.kind)

        def rows(of):
            return [(tuple(getattr(x, f) for f in fields), x.row_number)
                    for x in uow.lines.all_for_return(ret.kind, of.id)]

        new, old = rows(ret), rows(previous) if previous else []
        key = NATURAL_KEYS.get(ret.kind)
        added, removed, changed = _match(fields.index(key) if key else None, old, new)
        return {
            "id": ret.id, "version": ret.version, "kind": ret.kind, "period": ret.period,
            "supersedes": previous.id if previous else None, "matched_by": key or "content",
            "money_fields": [f for f in MONEY if f in fields],
            "counts": {"added": len(added), "removed": len(removed), "changed": len(changed),
                       "unchanged": len(new) - len(added) - len(changed)},
            "totals": _totals(ret, previous),
            "added": [{"row": n, **_plain(fields, v)} for v, n in added[:SHOWN_LIMIT]],
            "removed": [{"row": n, **_plain(fields, v)} for v, n in removed[:SHOWN_LIMIT]],
            "changed": [_change(fields, key, a, b) for a, b in changed[:SHOWN_LIMIT]],
        }


def _change(fields: list[str], key: str | None, before: tuple, after: tuple) -> dict:
    """One changed line: its key, its row in each file, and only the columns that changed."""
    (old, old_row), (new, new_row) = before, after
    return {"key": _text(new[fields.index(key)]) if key else None,
            "row_before": old_row, "row_after": new_row,
            "changes": [{"field": f, "before": _text(a), "after": _text(b)}
                        for f, a, b in zip(fields, old, new, strict=True) if a != b],
            "before": _plain(fields, old), "after": _plain(fields, new)}


def _match(index: int | None, old: list, new: list):
    """Rows matched by their key (all rows without one share the key None, matched by content
    only). Within a key, rows identical in both versions are unchanged, the rest are paired in
    file order as changed, and what is left over is added or removed, so every row of both
    versions is accounted for."""
    before, after = defaultdict(list), defaultdict(list)
    for values, row in old:
        before[_key(values, index)].append((values, row))
    for values, row in new:
        after[_key(values, index)].append((values, row))
    added, removed, changed = [], [], []
    for key in [*after, *(k for k in before if k not in after)]:
        gone, came = _unmatched(before.get(key, []), after.get(key, []))
        if key is None:  # no key: nothing to pair a changed line with
            removed.extend(gone)
            added.extend(came)
            continue
        changed.extend(zip(gone, came, strict=False))
        removed.extend(gone[len(came):])
        added.extend(came[len(gone):])
    return added, removed, changed


def _key(values: tuple, index: int | None):
    if index is None:
        return None
    value = values[index]
    return value.strip() or None if isinstance(value, str) else value


def _unmatched(old: list, new: list) -> tuple[list, list]:
    """The rows of each side with no identical row on the other, in file order."""
    waiting = defaultdict(list)
    for item in new:
        waiting[item[0]].append(item)
    gone = []
    for item in old:
        if waiting[item[0]]:
            waiting[item[0]].pop(0)
        else:
            gone.append(item)
    left = {id(item) for items in waiting.values() for item in items}
    return gone, [item for item in new if id(item) in left]


def _totals(ret, previous) -> dict:
    def fmt(value: Decimal | None):
        return f"{value:.2f}" if value is not None else None

    result = {"rows": {"before": previous.row_count if previous else 0, "after": ret.row_count}}
    if ret.total_amount is not None:
        before = previous.total_amount if previous else Decimal("0")
        result["amount"] = {"before": fmt(before), "after": fmt(ret.total_amount),
                            "change": fmt(ret.total_amount - (before or 0))}
    return result
