"""The five datasets of an MCA release, built from the current accepted returns of a period.

``build_datasets`` returns rows of plain values plus, under ``"_cells"``, what disclosure control
needs for each number: the atoms it sums (see ``exchange.feeds.disclosure``), its rule and the
count of distinct suppliers (or contributors) behind it. ``exchange.feeds.releases`` strips those
before anything is stored. No row carries a payment line or a supplier's or contributor's name.

It reads the lines with a few grouped ``select()`` queries (one row per partner and supplier, not
per payment); ``exchange.feeds.sources`` is the one place to switch to maintained aggregates."""

from decimal import Decimal

from exchange.feeds import sources
from exchange.feeds.disclosure import PEOPLE, SPEND
from exchange.models import Place
from exchange.unit_of_work import UnitOfWork

DATASETS = ("spend", "flows", "measures", "commitments", "contributions")
# The fields that identify a row of each dataset, and every published field in CSV order.
KEYS = {
    "spend": ("place", "partner_kind"),
    "flows": ("place", "destination"),
    "measures": ("place", "measure"),
    "commitments": ("place", "commitment"),
    "contributions": ("place", "contribution_type"),
}
COLUMNS = {
    "spend": ("place", "place_code", "partner_kind", "partners", "total_spend", "local_spend",
              "subregional_spend", "unknown_location_spend", "sme_spend", "vcse_spend",
              "suppliers", "local_suppliers", "suppressed"),
    "flows": ("place", "place_code", "destination", "amount", "suppliers", "suppressed"),
    "measures": ("place", "place_code", "measure", "unit", "people_count", "value",
                 "reporting_partners", "suppressed"),
    "commitments": ("place", "place_code", "commitment", "partners", "not_started",
                    "in_progress", "achieved", "suppressed"),
    "contributions": ("place", "place_code", "contribution_type", "contributors", "quantity",
                      "value", "suppressed"),
}
OUTSIDE, UNKNOWN = "outside", "unknown"
STATUSES = ("not_started", "in_progress", "achieved")
ALL = "all"


def build_datasets(uow: UnitOfWork, subregion: Place, period: str,
                   return_ids: list[int] | None = None) -> dict[str, list[dict]]:
    """Every dataset of ``subregion`` for ``period``, before disclosure control: from the
    returns counting now, or from ``return_ids`` (those an earlier version counted)."""
    src = sources.load(uow, subregion, period, return_ids)
    groups = _place_groups(src)
    return {
        "spend": _spend(src, groups),
        "flows": _flows(src, groups),
        "measures": _measures(src, groups),
        "commitments": _commitments(src, groups),
        "contributions": _contributions(src, groups),
        "_partners": _partner_atoms(src),
    }


def _partner_atoms(src) -> list[dict]:
    """Never published: each partner's own share of a cell (its spend in one place, its SME
    spend, its value of a measure...). Differencing two places with different partners can give
    one away, so disclosure control protects the sensitive ones like suppressed cells."""
    rows = []
    for p, lines in sorted(src.spend.items()):
        for dest in src.destinations:
            rows.append(_money_cell([x for x in lines if x.dest == dest], {(p, "dest", dest)}))
        rows.append(_money_cell([x for x in lines if x.sme], {(p, "flag", "sme")}))
        rows.append(_money_cell([x for x in lines if x.vcse], {(p, "flag", "vcse")}))
    for p, values in sorted(src.measures.items()):
        for code, value in sorted(values.items()):
            rows.append((value, {"atoms": frozenset({(p, "measure", code)}),
                                 "rule": _measure_rule(src, code), "count": None}))
    for p, items in sorted(src.contributions.items()):
        for kind in sorted({c.type for c in items}):
            mine = [c for c in items if c.type == kind]
            for field in ("quantity", "value"):
                rows.append((sum((getattr(c, field) for c in mine), Decimal(0)), {
                    "atoms": frozenset({(p, "contribution", kind, field)}), "rule": SPEND,
                    "count": len({c.key for c in mine}), "by": _by_contributor(mine, field)}))
    return [{"value": value, "_cells": {"value": meta}} for value, meta in rows]


def _by_contributor(items, field: str) -> dict:
    """How much of a contributions cell each contributor gave: never published, compared
    between versions of a release (exchange.feeds.versions)."""
    out: dict = {}
    for c in items:
        out[c.key] = out.get(c.key, Decimal(0)) + getattr(c, field)
    return out


def _measure_rule(src, code: str) -> str | None:
    """People counts are suppressed below 5. A measure missing from the measures table may
    count people: treat it as if it did."""
    definition = src.measure_definitions.get(code)
    return PEOPLE if (definition.people_count if definition else True) else None


def _place_groups(src: "sources.Sources") -> list[tuple[Place, list[str], set[int]]]:
    """Each place of the sub-region, then the sub-region itself (every partner counted once),
    with the LADs that are local to it and its partners' ids."""
    groups = [(p, p.lad_codes, src.members[p.id]) for p in src.places]
    everyone = set().union(*src.members.values()) if src.members else set()
    groups.append((src.subregion, src.subregion.lad_codes, everyone))
    return groups


def _place_fields(place: Place) -> dict:
    return {"place": place.slug, "place_code": place.code}


def _money_cell(lines, atoms) -> tuple[Decimal, dict]:
    """An amount and the distinct suppliers behind it. Redacted lines have no supplier key and
    add no supplier, so a cell of redacted payments alone is suppressed; an empty cell discloses
    nothing about anyone and is not."""
    pence = sum(line.pence for line in lines)
    suppliers = len({line.key for line in lines if line.key})
    by_supplier: dict = {}
    for line in lines:
        by_supplier[line.key] = by_supplier.get(line.key, 0) + line.pence
    cell = {"atoms": frozenset(atoms), "rule": SPEND if lines else None, "count": suppliers,
            "by": by_supplier}
    return Decimal(pence).scaleb(-2), cell


def _spend(src, groups) -> list[dict]:
    rows = []
    for place, local, members in groups:
        partners = sorted(p for p in members if p in src.spend)
        if not partners:
            continue
        for kind in [ALL, *sorted({src.kinds[p] for p in partners})]:
            chosen = [p for p in partners if kind == ALL or src.kinds[p] == kind]
            rows.append(_spend_row(src, place, kind, chosen, set(local)))
    return rows


def _spend_row(src, place: Place, kind: str, chosen: list[int], local: set[str]) -> dict:
    lines = [line for p in chosen for line in src.spend[p]]
    subregional = set(src.subregion.lad_codes)

    def cell(where, tag, pick):
        atoms = {(p, tag, d) for p in chosen for d in where}
        return _money_cell([x for x in lines if pick(x)], atoms)

    cells = {
        "total_spend": cell(src.destinations, "dest", lambda x: True),
        "local_spend": cell(local, "dest", lambda x: x.dest in local),
        "subregional_spend": cell(subregional, "dest", lambda x: x.dest in subregional),
        "unknown_location_spend": cell([UNKNOWN], "dest", lambda x: x.dest == UNKNOWN),
        "sme_spend": cell(["sme"], "flag", lambda x: x.sme),
        "vcse_spend": cell(["vcse"], "flag", lambda x: x.vcse),
    }
    row = {**_place_fields(place), "partner_kind": kind, "partners": len(chosen)}
    row.update({name: value for name, (value, _) in cells.items()})
    row["suppliers"] = len({x.key for x in lines if x.key})
    row["local_suppliers"] = len({x.key for x in lines if x.key and x.dest in local})
    row["_cells"] = {name: meta for name, (_, meta) in cells.items()}
    return row


def _flows(src, groups) -> list[dict]:
    rows = []
    for place, _local, members in groups:
        partners = sorted(p for p in members if p in src.spend)
        if not partners:
            continue
        lines = [line for p in partners for line in src.spend[p]]
        for dest in src.destinations:
            value, meta = _money_cell([x for x in lines if x.dest == dest],
                                      {(p, "dest", dest) for p in partners})
            rows.append({**_place_fields(place), "destination": dest, "amount": value,
                         "suppliers": meta["count"], "_cells": {"amount": meta}})
    return rows


def _measures(src, groups) -> list[dict]:
    rows = []
    for place, _local, members in groups:
        for code in sorted({m for p in members for m in src.measures.get(p, {})}):
            reporting = sorted(p for p in members if code in src.measures.get(p, {}))
            value = sum((src.measures[p][code] for p in reporting), Decimal(0))
            definition = src.measure_definitions.get(code)
            rule = _measure_rule(src, code)
            meta = {"atoms": frozenset((p, "measure", code) for p in reporting),
                    "rule": rule, "count": None}
            rows.append({**_place_fields(place), "measure": code,
                         "unit": definition.unit if definition else None,
                         "people_count": rule == PEOPLE, "value": value,
                         "reporting_partners": len(reporting), "_cells": {"value": meta}})
    return rows


def _commitments(src, groups) -> list[dict]:
    """Counts of partners (organisations, not people) by status: nothing to suppress."""
    rows = []
    for place, _local, members in groups:
        for code in sorted({c for p in members for c in src.commitments.get(p, {})}):
            statuses = [src.commitments[p][code] for p in members
                        if code in src.commitments.get(p, {})]
            row = {**_place_fields(place), "commitment": code, "partners": len(statuses)}
            row.update({status: statuses.count(status) for status in STATUSES})
            rows.append(row)
    return rows


def _contributions(src, groups) -> list[dict]:
    rows = []
    for place, _local, members in groups:
        for kind in sorted({c.type for p in members for c in src.contributions.get(p, [])}):
            reporting = sorted(p for p in members
                               if any(c.type == kind for c in src.contributions.get(p, [])))
            items = [c for p in reporting for c in src.contributions[p] if c.type == kind]
            contributors = len({c.key for c in items})
            row = {**_place_fields(place), "contribution_type": kind,
                   "contributors": contributors, "_cells": {}}
            for field in ("quantity", "value"):
                row[field] = sum((getattr(c, field) for c in items), Decimal(0)).quantize(
                    Decimal("0.01"))
                row["_cells"][field] = {
                    "atoms": frozenset((p, "contribution", kind, field) for p in reporting),
                    "rule": SPEND, "count": contributors, "by": _by_contributor(items, field)}
            rows.append(row)
    return rows
