"""The views read maintained aggregates; on random returns (with superseded versions, credit
notes, redacted lines, every location source and thresholds at the edges) they must equal a plain
computation from the raw lines, and every share, coverage included, lies within [0, 1] (the
glossary's method: net per supplier, nets that are not positive left out)."""

from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from exchange.context import get_uow
from exchange.models import (
    PartnerReturn,
    SpendAggregate,
    SpendLine,
    SpendShareAggregate,
    SpendSupplierAggregate,
)
from exchange.models.aggregates import SpendPartnerSupplier, SpendScope, SpendScopeMaskCount
from exchange.services.aggregates import spend_totals, supplier_scopes
from exchange.views import supplier_masks
from exchange.views.spend import flow_table, kpis, spend_kpis, spend_table

LADS = ["E08000016", "E08000017", "E08000018", "E08000019"]
LOCAL = ["E08000018"]
PARTNERS = {"rmbc": Decimal(500), "trft": Decimal(25000), "syp": Decimal(500),
            "scc": Decimal(250)}
QUARTERS = ["2021-22-Q1", "2021-22-Q2", "2021-22-Q3"]
PLACES = [("found", lad) for lad in [*LADS, "E06000013"]] + [("outside", None),
                                                             ("unknown", None)]
EDGES = [Decimal(x) for x in ("250.00", "249.99", "500.00", "-500.00", "499.99", "25000.00",
                              "-25000.00", "24999.99", "0.01", "-0.01")]

amounts = st.one_of(st.sampled_from(EDGES),
                    st.decimals(min_value=-30000, max_value=30000, places=2,
                                allow_nan=False, allow_infinity=False))
SOURCES = ["line", "register", "identifier", "companies_register"]
lines = st.tuples(amounts, st.sampled_from(PLACES), st.sampled_from([None, "k1", "k2", "k3",
                                                                      "k4", "k5"]),
                  st.sampled_from([True, False, None]), st.sampled_from([True, False, None]),
                  st.sampled_from(SOURCES))
returns = st.lists(st.tuples(st.sampled_from(sorted(PARTNERS)), st.sampled_from(QUARTERS),
                             st.lists(lines, max_size=8)), min_size=1, max_size=8)


def store(uow, partner_ids, generated) -> list[tuple[PartnerReturn, list]]:
    """Insert the returns and lines as acceptance would, with their aggregates."""
    stored, versions = [], defaultdict(int)
    for slug, quarter, rows in generated:
        key = (slug, quarter)
        previous = None
        for ret, _ in stored:
            if (ret.partner_id, ret.period) == (partner_ids[slug], quarter) and ret.is_current:
                ret.is_current, previous = False, ret
        versions[key] += 1
        ret = PartnerReturn(partner_id=partner_ids[slug], kind="spend", period=quarter,
                            status="accepted", version=versions[key], is_current=True,
                            sha256="0" * 64, byte_size=1, submitted_by="test")
        uow.session.add(ret)
        uow.session.flush()
        for number, (amount, (status, lad), supplier, sme, vcse, source) in enumerate(
                rows, start=2):
            uow.session.add(SpendLine(
                return_id=ret.id, row_number=number, payment_date=date(2021, 4, 1),
                amount=amount, supplier_name="x", location_status=status, lad_code=lad,
                location_source="unknown" if status == "unknown" else source,
                redacted=supplier is None, supplier_key=supplier,
                sme=sme, vcse=vcse))
        uow.session.flush()
        spend_totals.on_accept(uow, ret, previous)
        stored.append((ret, rows))
    return stored


def naive(stored, partner_id, quarters, threshold, local, region) -> dict:
    """The KPIs straight from the lines of the given returns, no aggregates involved."""
    sums = defaultdict(Decimal)
    suppliers, local_suppliers = set(), set()
    nets = defaultdict(Decimal)  # (return, supplier, location, source, sme, vcse) -> net
    for ret, rows in stored:
        if ret.period not in quarters or (partner_id is not None and ret.partner_id != partner_id):
            continue
        for amount, (status, lad), supplier, sme, vcse, source in rows:
            if abs(amount) < threshold:
                continue
            where = lad if status == "found" else status
            nets[(ret.id, supplier, where, "unknown" if status == "unknown" else source,
                  sme is True, vcse is True)] += amount
            sums["total"] += amount
            sums["credit"] += min(amount, 0)
            is_local = status == "found" and lad in local
            sums["local"] += amount if is_local else 0
            sums["region"] += amount if status == "found" and lad in region else 0
            sums["unknown"] += amount if status == "unknown" else 0
            sums["sme"] += amount if sme is True else 0
            sums["vcse"] += amount if vcse is True else 0
            if supplier:
                suppliers.add(supplier)
                if is_local:
                    local_suppliers.add(supplier)

    def share(part, whole):
        return None if whole == 0 else float((part / whole).quantize(Decimal("0.0001"),
                                                                     ROUND_HALF_UP))

    def money(x):
        return str(Decimal(x).quantize(Decimal("0.01")))

    # the shares: positive nets only; the others are counted apart
    kept = {key: net for key, net in nets.items() if net > 0}
    left_out = [net for net in nets.values() if net <= 0]
    counted = sum(kept.values(), Decimal(0))
    located = sum((n for k, n in kept.items() if k[2] != "unknown"), Decimal(0))
    coverage = share(located, counted)
    enough = coverage is not None and coverage >= 0.5
    by = {s: sum((n for k, n in kept.items() if k[3] == s), Decimal(0))
          for s in [*SOURCES, "unknown"]}
    local_net = sum((n for k, n in kept.items() if k[2] in local), Decimal(0))
    region_net = sum((n for k, n in kept.items() if k[2] in region), Decimal(0))
    return {"total_spend": money(sums["total"]), "local_spend": money(sums["local"]),
            "subregional_spend": money(sums["region"]),
            "unknown_location_spend": money(sums["unknown"]), "sme_spend": money(sums["sme"]),
            "vcse_spend": money(sums["vcse"]),
            "local_share": share(local_net, located) if enough else None,
            "subregional_share": share(region_net, located) if enough else None,
            "sme_share": share(sum((n for k, n in kept.items() if k[4]), Decimal(0)), counted),
            "vcse_share": share(sum((n for k, n in kept.items() if k[5]), Decimal(0)), counted),
            "withheld": {} if enough or coverage is None else {
                "local_share": "not enough spend located",
                "subregional_share": "not enough spend located"},
            "coverage": {"located_share": coverage, "located_spend": money(located),
                         "counted_spend": money(counted), "minimum": 0.5,
                         "by_source": {s: share(n, counted) for s, n in by.items()}},
            "net_credit_suppliers": len(left_out),
            "net_credit_spend": money(sum(left_out, Decimal(0))), "method": "/glossary#shares",
            "local_suppliers": len(local_suppliers), "suppliers": len(suppliers),
            "credit_notes": money(sums["credit"])}


def assert_shares_within_zero_and_one(figures: dict) -> None:
    shares = [figures[k] for k in ("local_share", "subregional_share", "sme_share",
                                   "vcse_share")]
    shares += [figures["coverage"]["located_share"], *figures["coverage"]["by_source"].values()]
    assert all(0 <= s <= 1 for s in shares if s is not None), figures


def naive_flows(stored, quarters, threshold, lads=LADS) -> dict:
    cells = defaultdict(lambda: [Decimal(0), 0, set()])
    for ret, rows in stored:
        if ret.period in quarters:
            for amount, (status, lad), supplier, _, _, _ in rows:
                if abs(amount) >= threshold:
                    dest = lad if lad in lads else ("unknown" if status == "unknown"
                                                    else "outside")
                    cells[dest][0] += amount
                    cells[dest][1] += 1
                    cells[dest][2] |= {supplier} - {None}
    return {d: {"amount": str(cells[d][0].quantize(Decimal("0.01"))), "lines": cells[d][1],
                "suppliers": len(cells[d][2])} for d in [*lads, "outside", "unknown"]}


def check_scopes(uow, current, threshold) -> None:
    """Every scope the views use, counted from the quarter masks, against the raw lines."""
    for scope in supplier_scopes.scope_definitions(uow):
        ids, local, region = list(scope.partner_ids), list(scope.local), list(scope.region)
        mine = [(ret, rows) for ret, rows in current if ret.partner_id in ids]
        for buckets in ({q: q for q in QUARTERS}, dict.fromkeys(QUARTERS, "all")):
            counted = supplier_masks.supplier_counts(uow, ids, buckets, local, region,
                                                     threshold, by_partner=False)
            assert counted is not None, scope
            for label in set(buckets.values()):
                quarters = [q for q, b in buckets.items() if b == label]
                want = naive(mine, None, quarters, threshold, local, region)
                assert counted.get((label, None), (0, 0)) == (
                    want["suppliers"], want["local_suppliers"]), (scope, label)
        if scope.kind != "partner":
            table = flow_table(uow, ids, dict.fromkeys(QUARTERS, "all"), region, threshold)
            want = naive_flows(mine, QUARTERS, threshold, region)
            assert {d: c["suppliers"] for d, c in table["all"].items()} == {
                d: c["suppliers"] for d, c in want.items()}, scope


def empty(uow) -> None:
    for model in (SpendScopeMaskCount, SpendPartnerSupplier, SpendScope, SpendSupplierAggregate,
                  SpendShareAggregate, SpendAggregate, SpendLine, PartnerReturn):
        uow.session.execute(delete(model))
    uow.commit()


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(generated=returns, basis=st.sampled_from(["as_submitted", "comparable"]))
def test_views_from_aggregates_equal_a_computation_from_the_raw_lines(app, generated, basis):
    with get_uow() as uow:
        partner_ids = {slug: uow.partners.get(slug).id for slug in PARTNERS}
        try:
            stored = store(uow, partner_ids, generated)
            current = [(ret, rows) for ret, rows in stored if ret.is_current]
            threshold = max(PARTNERS.values()) if basis == "comparable" else Decimal(0)
            ids = list(partner_ids.values())
            by_quarter = {q: q for q in QUARTERS}
            table = spend_table(uow, ids, by_quarter, LOCAL, LADS, threshold)
            for quarter in QUARTERS:
                for pid in [None, *ids]:
                    want = naive(current, pid, [quarter], threshold, LOCAL, LADS)
                    got = table.get((quarter, pid)) or kpis()
                    assert got == want, (quarter, pid)
                    assert_shares_within_zero_and_one(got)
            total = spend_kpis(uow, ids, ["2021-22"], LOCAL, LADS, basis)
            assert total == naive(current, None, QUARTERS, threshold, LOCAL, LADS)
            assert_shares_within_zero_and_one(total)
            flows = flow_table(uow, ids, dict.fromkeys(QUARTERS, "all"), LADS, threshold)
            assert flows["all"] == naive_flows(current, QUARTERS, threshold)
            # a release's view: exactly the first versions, superseded or not
            firsts = [(ret, rows) for ret, rows in stored if ret.version == 1]
            pinned = spend_kpis(uow, ids, QUARTERS, LOCAL, LADS, basis,
                                return_ids=[ret.id for ret, _ in firsts])
            assert pinned == naive(firsts, None, QUARTERS, threshold, LOCAL, LADS)
            check_scopes(uow, current, threshold)
        finally:
            uow.rollback()
            empty(uow)
