"""The views count distinct suppliers from the maintained quarter masks; without them (no scope
stored yet) they count from the supplier aggregates, and both give the same figures."""

from collections import Counter

from sqlalchemy import delete, func, select

from exchange.context import get_uow
from exchange.models.aggregates import SpendScope, SpendScopeMaskCount, SpendScopeSupplier
from exchange.services.aggregates import spend_totals, supplier_scopes
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
        uow.session.execute(delete(SpendScopeSupplier))
        uow.session.execute(delete(SpendScope))
        uow.commit()


def test_acceptance_keeps_a_scope_for_each_partner_place_and_the_subregion(app):
    build_world()

    with get_uow() as uow:
        kinds = dict(uow.session.execute(select(SpendScope.kind, func.count())
                                         .group_by(SpendScope.kind)).all())
        wanted = supplier_scopes.scope_definitions(uow)
        rows = uow.session.scalar(select(func.count()).select_from(SpendScopeSupplier))

    assert kinds["subregion"] == 1 and kinds["place"] >= 4 and kinds["partner"] >= 4
    assert sum(kinds.values()) == len(wanted)
    assert rows > 0


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


def paid_in_q1(uow, slug: str | None) -> set[str]:
    """The suppliers the rmbc scope (or Rotherham's place scope) has paid in Q1."""
    if slug:
        scope = uow.session.scalar(select(SpendScope).where(
            SpendScope.kind == "partner",
            SpendScope.partners == str(uow.partners.get(slug).id)))
    else:
        scope = uow.session.scalar(select(SpendScope).where(
            SpendScope.kind == "place",
            SpendScope.place_id == uow.places.get("rotherham").id))
    epoch, bit = supplier_scopes.quarter_bit(Q1)
    return set(uow.session.scalars(select(SpendScopeSupplier.supplier_key).where(
        SpendScopeSupplier.scope_id == scope.id, SpendScopeSupplier.epoch == epoch,
        SpendScopeSupplier.quarters.op("&")(bit) != 0)))


def mask_counts(uow) -> dict[tuple, int]:
    """The maintained number of suppliers per scope, threshold, epoch, class and mask."""
    row = SpendScopeMaskCount
    return {tuple(r[:-1]): r[-1] for r in uow.session.execute(select(
        row.scope_id, row.threshold_pence, row.epoch, row.cls, row.quarters, row.suppliers))}


def counts_of_masks(uow) -> dict[tuple, int]:
    """The same, worked out here from the supplier rows: at threshold T a supplier's mask in a
    class is the OR of its rows reaching T in that class's destinations (every one for ``*``,
    the scope's local LADs for ``local``)."""
    scopes = {s.id: s for s in uow.session.scalars(select(SpendScope))}
    masks: dict[tuple, int] = {}
    for scope_id, top, epoch, destination, key, quarters in uow.session.execute(
            select(SpendScopeSupplier.__table__)):
        scope = scopes[scope_id]
        classes = [destination, "*"] + (["local"] if destination in scope.local_lads.split(",")
                                        else [])
        for threshold in (int(t) for t in scope.thresholds.split(",") if int(t) <= top):
            for cls in classes:
                at = (scope_id, threshold, epoch, cls, key)
                masks[at] = masks.get(at, 0) | quarters
    return dict(Counter((*at[:4], mask) for at, mask in masks.items()))


def _mask_rows(uow) -> list[tuple]:
    scopes = dict(uow.session.execute(select(SpendScope.id, SpendScope.signature)).all())
    rows = uow.session.execute(select(SpendScopeSupplier.__table__)).all()
    return sorted((scopes[r[0]], *r[1:]) for r in rows)


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
