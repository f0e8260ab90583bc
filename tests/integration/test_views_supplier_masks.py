"""The views count distinct suppliers from the maintained quarter masks; without them (no scope
stored yet) they count from the supplier aggregates, and both give the same figures."""

from collections import Counter

from sqlalchemy import delete, func, select

from exchange.context import get_uow
from exchange.models.aggregates import (
    SpendPartnerSupplier,
    SpendScope,
    SpendScopeMaskCount,
    SpendSupplierAggregate,
)
from exchange.services.aggregates import partner_masks, spend_totals, supplier_scopes
from exchange.views import supplier_masks
from exchange.views.mca import mca_view
from exchange.views.partnership import partnership_view
from tests.integration.views_support import (
    Q1,
    Q2,
    RMBC_Q1,
    A,
    B,
    C,
    build_world,
    spend_csv,
    submit,
)


def views() -> list[dict]:
    return [partnership_view(get_uow(), place, Q1, "2021-22-Q2", by, basis)
            for place in ("rotherham", "barnsley") for by in ("quarter", "total")
            for basis in ("as_submitted", "comparable")] + [
        mca_view(get_uow(), "south-yorkshire", Q1, "2021-22-Q2", by, basis)
        for by in ("quarter", "total") for basis in ("as_submitted", "comparable")]


def drop_masks() -> None:
    with get_uow() as uow:
        uow.session.execute(delete(SpendPartnerSupplier))
        uow.session.execute(delete(SpendScope))
        uow.commit()


def test_acceptance_keeps_a_scope_for_each_partner_place_and_the_subregion(app):
    build_world()

    with get_uow() as uow:
        kinds = dict(uow.session.execute(select(SpendScope.kind, func.count())
                                         .group_by(SpendScope.kind)).all())
        wanted = supplier_scopes.scope_definitions(uow)
        rows = uow.session.scalar(select(func.count()).select_from(SpendPartnerSupplier))

    assert kinds["subregion"] == 1 and kinds["place"] >= 4 and kinds["partner"] >= 4
    assert sum(kinds.values()) == len(wanted)
    assert rows > 0


def test_a_partner_in_many_scopes_keeps_its_suppliers_once(app):
    build_world()

    with get_uow() as uow:
        syp = uow.partners.get("syp").id
        holding = [scope for scope in uow.session.scalars(select(SpendScope))
                   if syp in scope.partner_ids]
        rows = uow.session.execute(select(
            SpendPartnerSupplier.supplier_key, SpendPartnerSupplier.location).where(
            SpendPartnerSupplier.partner_id == syp)).all()
        paid = uow.session.execute(select(
            SpendSupplierAggregate.supplier_key, SpendSupplierAggregate.location).where(
            SpendSupplierAggregate.return_id == uow.returns.current(syp, "spend", Q1).id)).all()

    # South Yorkshire Police is a partner of every place: its own scope in each, each place's
    # and the sub-region's hold it, and its one quarter's suppliers are kept once.
    assert len(holding) > 3
    assert sorted(rows) == sorted(paid) != []


def test_the_views_answer_from_the_masks_the_same_as_from_the_supplier_aggregates(app):
    build_world()
    with get_uow() as uow:
        partner_ids = [p.id for p in uow.partners.for_place(uow.places.get("rotherham").id)]
        lads = uow.places.get("rotherham").lad_codes
        region = uow.places.get("south-yorkshire").lad_codes
        from_masks = supplier_masks.supplier_counts(uow, partner_ids, {Q1: Q1}, lads, region,
                                                    0, by_partner=True)
    with_masks = views()

    drop_masks()

    assert from_masks  # the masks answered, rather than the fallback
    assert views() == with_masks


def test_rebuild_restores_the_masks_the_acceptances_kept(app):
    build_world()
    with get_uow() as uow:
        before = _mask_rows(uow)

    spend_totals.rebuild_all(get_uow())

    with get_uow() as uow:
        assert _mask_rows(uow) == before
        assert mask_counts(uow) == counts_of_masks(uow) != {}


def test_a_new_version_replaces_the_quarter_of_the_suppliers_it_no_longer_pays(app):
    build_world()
    with get_uow() as uow:
        before = paid_in_q1(uow, "rmbc")
    # rmbc's third version for Q1 pays only C: A, B, D, E and N1 drop out of Q1, and C,
    # paid by trft too, comes into rmbc's own scope
    submit(spend_csv([("06/04/2021", "50.00", C)]), "rmbc")

    with get_uow() as uow:
        after = paid_in_q1(uow, "rmbc")
        place = paid_in_q1(uow, None)
        kept_counts, counted_afresh = mask_counts(uow), counts_of_masks(uow)

    assert len(before) == 5 and after == {"GB-COH-03333333"}
    assert kept_counts == counted_afresh
    assert {"GB-COH-01111111", "GB-COH-02222222", "GB-COH-03333333"} <= place
    with_masks = views()
    drop_masks()
    assert views() == with_masks


def test_a_corrected_version_leaves_the_masks_a_rebuild_would_make(app):
    build_world()
    with get_uow() as uow:
        before = _mask_rows(uow)
    # One amount corrected within its band (A's £1,000), one across the £25,000 threshold
    # (E's £26,000 down to £2,600): only E's rows change, and the masks must say so.
    corrected = [(day, {"1000.00": "1001.00", "26000.00": "2600.00"}.get(amount, amount), who)
                 for day, amount, who in RMBC_Q1]
    submit(spend_csv(corrected), "rmbc")
    with get_uow() as uow:
        kept = _mask_rows(uow)
        assert mask_counts(uow) == counts_of_masks(uow)

    spend_totals.rebuild_all(get_uow())

    with get_uow() as uow:
        assert _mask_rows(uow) == kept
    changed = {r[4] for r in set(before) ^ set(kept)}
    assert changed == {"GB-COH-05555555"}  # E left the £25,000 band; A's rows stayed


def test_an_acceptance_with_no_scope_counted_builds_every_partners_rows_as_a_rebuild_would(app):
    # As on a new hub, or after the thresholds changed: the accepting partner's rows come from
    # the aggregates it is storing, the other partners' from theirs, read.
    build_world()
    drop_masks()
    corrected = [(day, {"26000.00": "2600.00"}.get(amount, amount), who)
                 for day, amount, who in RMBC_Q1]
    submit(spend_csv(corrected), "rmbc")
    with get_uow() as uow:
        built = _mask_rows(uow)
        assert mask_counts(uow) == counts_of_masks(uow) != {}
        partners = {row[0] for row in built}
        assert uow.partners.get("rmbc").id in partners and len(partners) > 2

    spend_totals.rebuild_all(get_uow())

    with get_uow() as uow:
        assert _mask_rows(uow) == built
        assert mask_counts(uow) == counts_of_masks(uow)


def paid_in_q1(uow, slug: str | None) -> set[str]:
    """The suppliers rmbc (or Rotherham's partners together) paid in Q1, from the rows."""
    if slug:
        partners = [uow.partners.get(slug).id]
    else:
        partners = [p.id for p in uow.partners.for_place(uow.places.get("rotherham").id)]
    epoch, bit = partner_masks.quarter_bit(Q1)
    row = SpendPartnerSupplier
    return set(uow.session.scalars(select(row.supplier_key).where(
        row.partner_id.in_(partners), row.epoch == epoch, row.quarters.op("&")(bit) != 0)))


def mask_counts(uow) -> dict[tuple, int]:
    """The maintained number of suppliers per scope, threshold, epoch, class and mask."""
    row = SpendScopeMaskCount
    return {tuple(r[:-1]): r[-1] for r in uow.session.execute(select(
        row.scope_id, row.threshold_pence, row.epoch, row.cls, row.quarters, row.suppliers))}


def counts_of_masks(uow) -> dict[tuple, int]:
    """The same, worked out here from the partners' rows: at threshold T a supplier's mask in
    a scope and class is the OR of its scope's partners' rows reaching T in that class's
    locations (every one for ``*``, the scope's local LADs for ``local``, and for a
    destination the LAD itself if in the scope's sub-region, else outside or unknown)."""
    rows = uow.session.execute(select(SpendPartnerSupplier.__table__)).all()
    masks: dict[tuple, int] = {}
    for scope in uow.session.scalars(select(SpendScope)):
        region, local = scope.region_lads.split(","), scope.local_lads.split(",")
        for partner_id, top, epoch, location, key, quarters in rows:
            if partner_id not in scope.partner_ids:
                continue
            where = location if location in region else (
                "unknown" if location == "unknown" else "outside")
            classes = [where, "*"] + (["local"] if location in local else [])
            for threshold in (int(t) for t in scope.thresholds.split(",") if int(t) <= top):
                for cls in classes:
                    at = (scope.id, threshold, epoch, cls, key)
                    masks[at] = masks.get(at, 0) | quarters
    return dict(Counter((*at[:4], mask) for at, mask in masks.items()))


def _mask_rows(uow) -> list[tuple]:
    return sorted(tuple(r) for r in uow.session.execute(select(SpendPartnerSupplier.__table__)))


OLD_EPOCH = "2014-15-Q4"  # the last quarter before April 2015, where the next mask epoch starts


def test_a_window_across_two_mask_epochs_counts_each_supplier_once_from_the_masks(app):
    build_world()
    submit(spend_csv([("06/01/2015", "800.00", A), ("07/01/2015", "900.00", C)]), "rmbc",
           period=OLD_EPOCH)
    recent = {Q1: "all", Q2: "all"}
    across = {OLD_EPOCH: "all", **recent}

    with get_uow() as uow:
        ids = [uow.partners.get("rmbc").id]
        lads = uow.places.get("rotherham").lad_codes
        region = uow.places.get("south-yorkshire").lad_codes
        counted_recent = supplier_masks.supplier_counts(uow, ids, recent, lads, region, 0,
                                                        by_partner=False)
        counted_across = supplier_masks.supplier_counts(uow, ids, across, lads, region, 0,
                                                        by_partner=False)

    suppliers, local = counted_recent[("all", None)]
    # Rother Widgets (local) was paid in both epochs and counts once; Donny Doors is new
    assert counted_across[("all", None)] == (suppliers + 1, local)


def test_views_over_two_mask_epochs_match_the_supplier_aggregates(app):
    build_world()
    submit(spend_csv([("06/01/2015", "800.00", A), ("07/01/2015", "900.00", C)]), "rmbc",
           period=OLD_EPOCH)
    submit(spend_csv([("08/01/2015", "400.00", B)]), "trft", period=OLD_EPOCH)

    def spanning() -> list[dict]:
        return [view(get_uow(), where, OLD_EPOCH, Q2, by, "as_submitted")
                for view, where in ((partnership_view, "rotherham"), (mca_view, "south-yorkshire"))
                for by in ("total", "year")]

    from_masks = spanning()
    drop_masks()

    assert spanning() == from_masks
