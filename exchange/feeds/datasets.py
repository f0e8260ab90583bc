"""The five datasets of an MCA release, built from the current accepted returns of a period.

``build_datasets`` returns rows of plain values plus, under ``"_cells"``, what disclosure control
needs for each number: the atoms it sums (see ``exchange.feeds.disclosure``), its rule and the
count of distinct suppliers (or contributors) behind it. ``exchange.feeds.releases`` strips those
before anything is stored. No row carries a payment line or a supplier's or contributor's name.

It reads the lines with a few grouped ``select()`` queries (one row per partner and supplier, not
per payment); ``exchange.feeds.sources`` is the one place to switch to maintained aggregates."""

from decimal import ROUND_HALF_UP, Decimal

from exchange.feeds import sources
from exchange.feeds.disclosure import PEOPLE, SPEND
from exchange.models import Place
from exchange.unit_of_work import UnitOfWork
from exchange.views import coverage

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
              "suppliers", "local_suppliers", "counted_spend", "counted_located_spend",
              "counted_local_spend", "counted_subregional_spend",
              *(f"counted_located_by_{s}" for s in coverage.SOURCES if s != "unknown"),
              "net_credit_spend", "located_share", "local_share", "subregional_share",
              "share_note", "method", "suppressed"),
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
# A partner's spend with one destination is split into atoms by how it was located and by
# whether each supplier's net is positive ("pos": counted in shares) or not ("neg"): the gross
# cells and the counted (net) cells are then sums of the same atoms, so disclosure control sees
# how they are linked.
PARTS = ("pos", "neg")
LOCATED_SOURCES = tuple(s for s in coverage.SOURCES if s != UNKNOWN)
SUPPRESSED_NOTE = "a figure it rests on is suppressed"
NOTHING_COUNTED = "no supplier was paid more than it was credited"


def _sources_at(dest: str) -> tuple[str, ...]:
    return (UNKNOWN,) if dest == UNKNOWN else LOCATED_SOURCES


def _atoms(partners, dests, parts=PARTS, only: str | None = None) -> set:
    """The atoms of ``partners``' spend with ``dests`` (``only``: located by that source)."""
    return {(p, part, d, s) for p in partners for d in dests for part in parts
            for s in _sources_at(d) if only is None or s == only}


def _counted(line) -> bool:
    """Whether a supplier's net counts in shares: it is positive (the glossary's method)."""
    return line.pence > 0


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
        "_partner_destinations": _partner_destinations(src),
    }


def _partner_atoms(src) -> list[dict]:
    """Never published: each partner's own share of a cell (its spend in one place, its SME
    spend, its value of a measure...). Differencing two places with different partners can give
    one away, so disclosure control protects the sensitive ones like suppressed cells."""
    rows = []
    for p, lines in sorted(src.spend.items()):
        for atom in sorted(_atoms([p], src.destinations)):
            _, part, dest, source = atom
            rows.append(_money_cell([x for x in lines if x.dest == dest and x.source == source
                                     and _counted(x) == (part == "pos")], {atom}))
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


def _partner_destinations(src) -> list[dict]:
    """Never published: each partner's whole spend with one destination (every source, both
    signs of net), protected as one: a sum of few suppliers even where each of its atoms (in
    `_partner_atoms`, one by one for the versions' change tracking) is empty or large."""
    rows = []
    for p, lines in sorted(src.spend.items()):
        for dest in src.destinations:
            value, meta = _money_cell([x for x in lines if x.dest == dest], _atoms([p], [dest]))
            rows.append({"value": value, "_cells": {"value": meta}})
    return rows


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

    def cell(where, pick, parts=PARTS, only=None):
        return _money_cell([x for x in lines if x.dest in where and pick(x)],
                           _atoms(chosen, where, parts, only))

    def flag(name, pick):
        return _money_cell([x for x in lines if pick(x)], {(p, "flag", name) for p in chosen})

    located = [d for d in src.destinations if d != UNKNOWN]
    cells = {
        "total_spend": cell(src.destinations, lambda x: True),
        "local_spend": cell(local, lambda x: True),
        "subregional_spend": cell(subregional, lambda x: True),
        "unknown_location_spend": cell([UNKNOWN], lambda x: True),
        "sme_spend": flag("sme", lambda x: x.sme),
        "vcse_spend": flag("vcse", lambda x: x.vcse),
        "counted_spend": cell(src.destinations, _counted, ("pos",)),
        "counted_located_spend": cell(located, _counted, ("pos",)),
        "counted_local_spend": cell(local, _counted, ("pos",)),
        "counted_subregional_spend": cell(subregional, _counted, ("pos",)),
        **{f"counted_located_by_{s}": cell(located, lambda x, s=s: _counted(x) and x.source == s,
                                           ("pos",), s) for s in LOCATED_SOURCES},
        "net_credit_spend": cell(src.destinations, lambda x: not _counted(x), ("neg",)),
    }
    row = {**_place_fields(place), "partner_kind": kind, "partners": len(chosen)}
    row.update({name: value for name, (value, _) in cells.items()})
    row["suppliers"] = len({x.key for x in lines if x.key})
    row["local_suppliers"] = len({x.key for x in lines if x.key and x.dest in local})
    row["_cells"] = {name: meta for name, (_, meta) in cells.items()}
    for name in cells:
        if name.startswith(("counted_", "net_credit")):
            row["_cells"][name]["expendable"] = True
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
                                      _atoms(partners, [dest]))
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


def add_shares(rows: list[dict]) -> list[dict]:
    """The spend dataset's shares, after disclosure control, from its published cells only: a
    share resting on a suppressed cell is ``null`` (``share_note`` says why), and so are the
    local and sub-regional shares where too little spend is located (the glossary's method)."""
    out = []
    for row in rows:
        row = dict(row)
        counted, located = row.get("counted_spend"), row.get("counted_located_spend")
        coverage_share = _ratio(located, counted)
        enough = coverage_share is not None and Decimal(str(coverage_share)) >= coverage.minimum()
        row["located_share"] = coverage_share
        row["local_share"] = _ratio(row.get("counted_local_spend"), located) if enough else None
        row["subregional_share"] = (_ratio(row.get("counted_subregional_spend"), located)
                                    if enough else None)
        resting = {"counted_spend", "counted_located_spend", "counted_local_spend",
                   "counted_subregional_spend"}
        if resting & set(row.get("suppressed", [])):
            row["share_note"] = SUPPRESSED_NOTE
        elif coverage_share is None:
            row["share_note"] = NOTHING_COUNTED
        elif not enough:
            row["share_note"] = coverage.NOT_ENOUGH
        else:
            row["share_note"] = ""
        row["method"] = coverage.METHOD_URL
        out.append(row)
    return out


def _ratio(part, whole) -> float | None:
    if part is None or whole is None or Decimal(whole) <= 0:
        return None
    return float((Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), ROUND_HALF_UP))
