"""`hub demo`: a year of demo returns of every kind, through the real submission path, once."""

import re
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select

from exchange.cli.demo import demo
from exchange.context import get_engine, get_uow
from exchange.models import Base, Partner, Place, Release
from exchange.models.lines import SpendLine, SupplierLine
from exchange.models.returns import PartnerReturn
from exchange.views.partnership import partnership_view
from tests.conftest import _empty_non_reference_tables

ROTHERHAM = ("rmbc", "syp", "trft", "rnn", "rdash", "syfr", "var")
OTHER_PLACES = ("scc", "sth", "dmbc", "bmbc")
QUARTERS = tuple(f"2025-26-Q{q}" for q in range(1, 5))
PREVIOUS_QUARTERS = tuple(f"2024-25-Q{q}" for q in range(1, 5))  # rmbc's and trft's spend


def run_demo(app, *args):
    result = app.test_cli_runner().invoke(demo, list(args))
    assert result.exit_code == 0, result.output + str(result.exception or "")
    return result.output


def returns_by_partner_kind_period():
    with get_uow() as uow:
        rows = uow.session.execute(
            select(Partner.slug, PartnerReturn.kind, PartnerReturn.period, PartnerReturn.status,
                   PartnerReturn.is_demo, PartnerReturn.is_current)
            .join(Partner, Partner.id == PartnerReturn.partner_id)).all()
    return {(slug, kind, period): (status, is_demo, current)
            for slug, kind, period, status, is_demo, current in rows}


def row_counts():
    existing = set(inspect(get_engine()).get_table_names())
    with get_engine().connect() as connection:
        return {table.name: connection.scalar(select(func.count()).select_from(table))
                for table in Base.metadata.sorted_tables if table.name in existing}


def expected_returns():
    expected = set()
    for slug in ROTHERHAM + OTHER_PLACES:
        for period in QUARTERS:
            expected |= {(slug, "suppliers", period), (slug, "spend", period),
                         (slug, "measures", period)}
            if slug in ROTHERHAM:
                expected.add((slug, "commitments", period))
            if slug in ("rmbc", "trft", "var", "scc"):
                expected.add((slug, "contributions", period))
    for slug in ("rmbc", "trft"):
        expected |= {(slug, "spend", f"2024-25-Q{q}") for q in range(1, 5)}
    return expected


def test_demo_refuses_a_production_hub_unless_forced(app, monkeypatch):
    monkeypatch.setenv("EXCHANGE_ENV", "production")

    result = app.test_cli_runner().invoke(demo, ["--small"])

    assert result.exit_code != 0 and "production" in result.output
    assert returns_by_partner_kind_period() == {}


def test_the_full_demo_loads_a_year_of_a_few_hundred_to_two_thousand_lines_per_quarter(app):
    run_demo(app)

    with get_uow() as uow:
        sizes = dict(uow.session.execute(
            select(Partner.slug + ":" + PartnerReturn.period, PartnerReturn.row_count)
            .join(Partner, Partner.id == PartnerReturn.partner_id)
            .where(PartnerReturn.kind == "spend")).all())
    assert len(sizes) == 11 * 4 + 2 * 4
    assert min(sizes.values()) >= 100 and max(sizes.values()) <= 2000
    assert sum(sizes.values()) > 30000


# The tests below share one database holding `hub demo --small` run twice (each run takes seconds).


@pytest.fixture(scope="module")
def small_demo(_prepared_app):
    """The outputs of both runs and the row counts after the first; emptied afterwards."""
    with _prepared_app.app_context():
        _empty_non_reference_tables()
        first = run_demo(_prepared_app, "--small")
        counts = row_counts()
        second = run_demo(_prepared_app, "--small")
        yield {"first": first, "second": second, "counts": counts}
        _empty_non_reference_tables()


def test_demo_loads_every_kind_for_the_demo_partners_accepted_current_and_marked_demo(
        small_demo):
    found = returns_by_partner_kind_period()

    assert set(found) == expected_returns()
    assert set(found.values()) == {("accepted", True, True)}
    kinds = {kind for _, kind, _ in found}
    assert kinds == {"spend", "suppliers", "commitments", "measures", "contributions"}


def test_demo_spend_lines_are_located_outside_unknown_and_redacted(small_demo):
    with get_uow() as uow:
        mix = dict(uow.session.execute(
            select(SpendLine.location_status + ":" + SpendLine.location_source, func.count())
            .group_by(SpendLine.location_status, SpendLine.location_source)).all())
        redacted = uow.session.scalar(select(func.count()).where(SpendLine.redacted))
        credits = uow.session.scalar(select(func.count()).where(SpendLine.amount < 0))
        lads = set(uow.session.scalars(select(SpendLine.lad_code).distinct()))

    for where in ("found:line", "found:register", "outside:line", "outside:register",
                  "unknown:unknown"):
        assert mix.get(where, 0) > 0, mix
    assert redacted > 0 and credits > 0
    # All four South Yorkshire districts, and North Lincolnshire (DN15) just outside the MCA.
    assert {"E08000016", "E08000017", "E08000018", "E08000019", "E06000013"} <= lads


def test_demo_nhs_spend_lines_are_all_at_or_above_the_25k_threshold(small_demo):
    with get_uow() as uow:
        smallest = uow.session.scalar(
            select(func.min(SpendLine.amount))
            .join(PartnerReturn, PartnerReturn.id == SpendLine.return_id)
            .join(Partner, Partner.id == PartnerReturn.partner_id)
            .where(Partner.slug.in_(("trft", "rdash", "sth"))))

    assert smallest >= 25000


def test_demo_suppliers_are_shared_across_partners_under_one_company_number(small_demo):
    with get_uow() as uow:
        partners_per_org = select(SupplierLine.org_id, func.count(
            SupplierLine.partner_id.distinct()).label("partners")).where(
            SupplierLine.org_id.is_not(None)).group_by(SupplierLine.org_id).subquery()
        shared = uow.session.scalar(select(func.count()).select_from(partners_per_org).where(
            partners_per_org.c.partners >= 3))
        paid_by_several = uow.session.scalar(select(func.count()).select_from(
            select(SpendLine.supplier_key)
            .join(PartnerReturn, PartnerReturn.id == SpendLine.return_id)
            .where(SpendLine.supplier_key.like("GB-COH-%"))
            .group_by(SpendLine.supplier_key)
            .having(func.count(PartnerReturn.partner_id.distinct()) >= 2).subquery()))

    assert shared >= 20
    assert paid_by_several >= 20


def test_the_demo_publishes_the_mcas_release_of_every_demo_quarter_as_the_scheduler_would(
        small_demo):
    with get_uow() as uow:
        published = uow.session.execute(
            select(Place.slug, Release.period, Release.version, Release.published_by)
            .join(Place, Place.id == Release.subregion_id)).all()

    assert {period for slug, period, _, _ in published if slug == "south-yorkshire"} >= set(
        QUARTERS + PREVIOUS_QUARTERS)
    assert {(version, actor) for _, _, version, actor in published} == {(1, "demo")}
    [said] = [line for line in small_demo["first"].splitlines()
              if line.startswith("Releases published (as `hub scheduler` would): ")]
    assert all(f"south-yorkshire {quarter} v1" in said for quarter in QUARTERS)
    assert "Releases published (as `hub scheduler` would): none new." in small_demo["second"]


def test_running_the_demo_twice_changes_no_row_counts_and_shows_secrets_only_once(small_demo):
    first, second = small_demo["first"], small_demo["second"]

    assert row_counts() == small_demo["counts"]
    assert "0 accepted" in second and "already loaded" in second and "0 rejected" in second
    assert first.count("client_secret: ") == 2 and "shown once" in first
    assert "shown once" not in second and "already created earlier" in second
    for login in ("demo@rmbc.example", "approver@rmbc.example", "admin@hub.example"):
        assert login in first and login in second
    assert "demo-password-2025" in first


def test_the_readme_lists_every_demo_login_the_demo_prints_a_board_member_among_them(
        small_demo):
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    printed = small_demo["first"].split("Demo logins")[1].split("Demo OAuth clients")[0]
    emails = re.findall(r"^\s+(\S+@\S+)\s", printed, flags=re.MULTILINE)

    assert "board@rmbc.example" in emails and len(emails) >= 8
    assert [email for email in emails if f"`{email}`" not in readme] == []
    assert "hub scheduler" in readme


def test_demo_rotherham_figures_locate_enough_spend_to_show_local_shares(small_demo):
    view = partnership_view(get_uow(), "rotherham", QUARTERS[0], QUARTERS[-1], by="quarter")

    for period in view["periods"]:
        combined = period["combined"]["kpis"]
        assert combined["coverage"]["located_share"] >= 0.5, period["period"]
        assert 0 <= combined["local_share"] <= 1 and combined["withheld"] == {}
        rmbc = next(p["kpis"] for p in period["partners"] if p["slug"] == "rmbc")
        assert rmbc["local_share"] is not None, rmbc["coverage"]
