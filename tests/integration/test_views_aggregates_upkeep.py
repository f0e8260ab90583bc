"""Keeping the aggregates: in the accepting transaction, kept for superseded returns, rebuilt by
`hub aggregates rebuild` when thresholds change, and filled by the migrations (0004, then 0023
with location sources and shares) from stored lines."""

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy import select, update
from sqlalchemy.orm import sessionmaker

from exchange.cli import cli
from exchange.context import get_blobs, get_uow
from exchange.db import make_engine
from exchange.ingest.submissions import StoredFile, Submission, submit_return
from exchange.models import (
    Partner,
    SpendAggregate,
    SpendShareAggregate,
    SpendSupplierAggregate,
)
from exchange.services.admin import migrations
from exchange.services.aggregates import spend_totals
from exchange.unit_of_work import UnitOfWork
from exchange.views.partnership import partnership_view
from exchange.views.spend import spend_kpis
from tests import databases
from tests.integration.views_support import Q1, RMBC_Q1, ROTHERHAM, build_world, spend_csv


def rows(uow) -> list[tuple]:
    """Every aggregate row, each table's in the order of all its columns."""
    return [tuple(row) for model in (SpendAggregate, SpendSupplierAggregate, SpendShareAggregate)
            for row in uow.session.execute(select(model.__table__).order_by(
                *model.__table__.columns))]


def test_accepting_builds_aggregates_and_a_superseded_return_keeps_its_own(app):
    ids = build_world()

    with get_uow() as uow:
        by_return = {r[0] for r in rows(uow)}
        partner = uow.partners.get("rmbc")
        # the superseded version is still aggregated, so a release of it can be recomputed
        first = spend_kpis(uow, [partner.id], [Q1], [ROTHERHAM], [], return_ids=[
            ids["rmbc_q1_v1"]])
        current = spend_kpis(uow, [partner.id], [Q1], [ROTHERHAM], [])

    assert {ids["rmbc_q1_v1"], ids["rmbc_q1"], ids["trft_q1"]} <= by_return
    assert ids["suppliers"] not in by_return
    assert (first["total_spend"], first["suppliers"]) == ("999.00", 1)
    assert current["total_spend"] == "60400.00"


def test_rebuild_reproduces_the_aggregates_and_follows_a_changed_threshold(app):
    build_world()
    with get_uow() as uow:
        before = rows(uow)

    result = app.test_cli_runner().invoke(cli, ["aggregates", "rebuild"])

    assert result.exit_code == 0, result.output
    assert "Aggregates rebuilt for 5 spend returns." in result.output
    with get_uow() as uow:
        assert rows(uow) == before
    try:
        # syp now publishes at £5,000: Rotherham's highest threshold is still £25,000, but
        # Barnsley's comparable basis (bmbc, syfr, syp) moves to £5,000, which needs new bands
        set_threshold("syp", "5000")
        spend_totals.rebuild_all(get_uow())
        with get_uow() as uow:
            partner = uow.partners.get("syp")
            kept = spend_kpis(uow, [partner.id], [Q1], ["E08000016"], [], "comparable")
        # of syp's B 5000 and G 600, only B reaches £5,000
        assert kept["total_spend"] == "5000.00"
        assert partnership_view(get_uow(), "barnsley", Q1, basis="comparable")[
            "threshold"] == "5000.00"
    finally:
        set_threshold("syp", "500")
        spend_totals.rebuild_all(get_uow())


def set_threshold(slug: str, value: str) -> None:
    with get_uow() as uow:
        uow.session.execute(update(Partner).where(Partner.slug == slug)
                            .values(spend_threshold=value))
        uow.commit()


def test_the_migrations_aggregate_the_lines_already_stored(tmp_path):
    url = databases.create_database(tmp_path)
    engine = make_engine(url)
    try:
        migrations.upgrade(engine, "0003")
        with engine.begin() as db:
            _old_return(db)
        migrations.upgrade(engine)
        uow = UnitOfWork(sessionmaker(engine))
        with uow:
            migrated = rows(uow)
        assert migrated
        with uow:
            spend_totals.clear_for_return(uow, 1)
            spend_totals.build_for_return(uow, 1)
            assert rows(uow) == migrated
    finally:
        engine.dispose()
        databases.drop_database(url)


def _old_return(db) -> None:
    """A partner and an accepted spend return stored before aggregates existed."""
    db.execute(sa.text(
        "INSERT INTO partner (id, slug, name, kind, org_id, spend_threshold, column_overrides, "
        "requires_approval) VALUES (1, 'p', 'P', 'council', 'GB-X', 500, '{}', :no)"),
        {"no": False})
    db.execute(sa.text(
        "INSERT INTO partner_return (id, partner_id, kind, period, status, version, is_current, "
        "sha256, byte_size, submitted_by, submitted_at, row_count, error_count, warning_count, "
        "is_demo) VALUES (1, 1, 'spend', :q, 'accepted', 1, :yes, :sha, 1, 't', :at, 4, 0, 0, "
        ":no)"), {"q": Q1, "yes": True, "no": False, "sha": "0" * 64,
                  "at": datetime(2021, 7, 1, tzinfo=UTC)})
    lines = [(2, "1000.00", "found", ROTHERHAM, "k1", True), (3, "-20.50", "found", ROTHERHAM,
             "k1", True), (4, "499.99", "outside", None, "k2", None),
             (5, "75.00", "unknown", None, None, False)]
    for number, amount, status, lad, key, sme in lines:
        db.execute(sa.text(
            "INSERT INTO spend_line (return_id, row_number, payment_date, amount, supplier_name, "
            "redacted, location_status, lad_code, location_source, supplier_key, sme, vcse) "
            "VALUES (1, :n, :d, :a, 'x', :r, :s, :lad, 'line', :k, :sme, NULL)"),
            {"n": number, "d": datetime(2021, 4, 2).date(), "a": amount, "r": key is None,
             "s": status, "lad": lad, "k": key, "sme": sme})


def test_a_rejected_return_or_a_dry_run_leaves_no_aggregates(app):
    good, bad = spend_csv(RMBC_Q1).encode(), (spend_csv(RMBC_Q1) + "not a date,x,y,,,\n").encode()
    for data, dry_run in ((good, True), (bad, False)):
        sha, size = get_blobs().save_bytes(data)
        receipt = submit_return(Submission("rmbc", "spend", Q1, "test", profile="template",
                                           dry_run=dry_run),
                                StoredFile(sha, size, "spend.csv", "text/csv"), get_uow(),
                                get_blobs())
        assert (receipt.status, receipt.dry_run) == (("accepted", True) if dry_run
                                                     else ("rejected", False))

    with get_uow() as uow:
        assert rows(uow) == []
