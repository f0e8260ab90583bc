"""The views read maintained aggregates; on random returns (with superseded versions, credit
notes, redacted lines and thresholds at the edges) they must equal a plain computation from the
raw lines."""

from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from exchange.context import get_uow
from exchange.models import PartnerReturn, SpendAggregate, SpendLine, SpendSupplierAggregate
from exchange.models.aggregates import SpendScope, SpendScopeMaskCount, SpendScopeSupplier
from exchange.services import aggregates, supplier_scopes
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
lines = st.tuples(amounts, st.sampled_from(PLACES), st.sampled_from([None, "k1", "k2", "k3",
                                                                      "k4", "k5"]),
                  st.sampled_from([True, False, None]), st.sampled_from([True, False, None]))
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
        for number, (amount, (status, lad), supplier, sme, vcse) in enumerate(rows, start=2):
            uow.session.add(SpendLine(
                return_id=ret.id, row_number=number, payment_date=date(2021, 4, 1),
                amount=amount, supplier_name="x", location_status=status, lad_code=lad,
                location_source="line", redacted=supplier is None, supplier_key=supplier,
                sme=sme, vcse=vcse))
        uow.session.flush()
        aggregates.on_accept(uow, ret, previous)
        stored.append((ret, rows))
    return stored


def naive(stored, partner_id, quarters, threshold, local, region) -> dict:
    """The KPIs straight from the lines of the given returns, no aggregates involved."""
    sums = defaultdict(Decimal)
    suppliers, local_suppliers = set(), set()
    for ret, rows in stored:
        if ret.period not in quarters or (partner_id is not None and ret.partner_id != partner_id):
            continue
        for amount, (status, lad), supplier, sme, vcse in rows:
            if abs(amount) < threshold:
                continue
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

    total, located = sums["total"], sums["total"] - sums["unknown"]
    return {"total_spend": money(total), "local_spend": money(sums["local"]),
            "subregional_spend": money(sums["region"]),
            "unknown_location_spend": money(sums["unknown"]), "sme_spend": money(sums["sme"]),
            "vcse_spend": money(sums["vcse"]), "local_share": share(sums["local"], total),
            "local_share_of_located": share(sums["local"], located),
            "subregional_share": share(sums["region"], total),
            "sme_share": share(sums["sme"], total), "vcse_share": share(sums["vcse"], total),
            "local_suppliers": len(local_suppliers), "suppliers": len(suppliers),
            "credit_notes": money(sums["credit"])}


def naive_flows(stored, quarters, threshold, lads=LADS) -> dict:
    cells = defaultdict(lambda: [Decimal(0), 0, set()])
    for ret, rows in stored:
        if ret.period in quarters:
            for amount, (status, lad), supplier, _, _ in rows:
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
    for model in (SpendScopeMaskCount, SpendScopeSupplier, SpendScope, SpendSupplierAggregate,
                  SpendAggregate, SpendLine, PartnerReturn):
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
                    assert (table.get((quarter, pid)) or kpis()) == want, (quarter, pid)
            total = spend_kpis(uow, ids, ["2021-22"], LOCAL, LADS, basis)
            assert total == naive(current, None, QUARTERS, threshold, LOCAL, LADS)
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
