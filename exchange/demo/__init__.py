"""Demo data: a year of returns of every kind from the demo partners, submitted as files in each
partner's own format through the same path as real uploads (``submit_return``), marked is_demo.

Deterministic: the same seed gives the same bytes, so a second run replays every return and
changes nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from exchange.blobs import BlobStore
from exchange.demo.charter import Commitment, commitments_file, contributions_file, measures_file
from exchange.demo.plan import PLANS, PREVIOUS_YEAR, YEAR, Plan
from exchange.demo.spend import spend_file, suppliers_file
from exchange.demo.world import SOUTH_YORKSHIRE, World, load_postcodes
from exchange.ingest.submissions import StoredFile, Submission, submit_return
from exchange.models import Partner
from exchange.models.places import CharterCommitment, MeasureDefinition, Place
from exchange.periods import Period
from exchange.unit_of_work import UnitOfWork

SEED = "anchor-exchange-demo-1"
ACTOR = "demo"
SMALL_SHARE = 10  # --small: a tenth of the lines and a third of the suppliers, for tests


@dataclass
class DemoOutcome:
    """What a demo load did, return by return."""

    accepted: int = 0
    replayed: int = 0
    rejected: list[str] = field(default_factory=list)
    lines: int = 0
    returns: list[tuple[str, str, str, str, int]] = field(default_factory=list)


def load_demo(uow_factory: Callable[[], UnitOfWork], blobs: BlobStore,
              geography_dir: str | Path, *, small: bool = False,
              echo: Callable[[str], None] = lambda _: None) -> DemoOutcome:
    """Submit the demo partners' returns: suppliers first (the register places spend lines),
    then spend, commitments, measures and contributions."""
    names, commitments, measures = _reference(uow_factory())
    world = World(load_postcodes(geography_dir), SEED)
    outcome = DemoOutcome()
    quarters = Period.parse(YEAR).quarters()
    bought = {plan.slug: world.suppliers_of(
        plan.slug, plan.local, max(40, plan.suppliers // 3) if small else plan.suppliers, SEED)
        for plan in PLANS}

    def send(plan: Plan, kind: str, period: Period, data: bytes, profile: str | None) -> None:
        sha, size = blobs.save_bytes(data)
        sub = Submission(plan.slug, kind, str(period), ACTOR, profile=profile, is_demo=True)
        stored = StoredFile(sha, size, f"{plan.slug}-{kind}-{period}.csv", "text/csv")
        receipt = submit_return(sub, stored, uow_factory(), blobs)
        outcome.returns.append((plan.slug, kind, str(period), receipt.status, receipt.rows))
        if receipt.status != "accepted":
            outcome.rejected.append(f"{plan.slug} {kind} {period}: " + "; ".join(
                f"row {i.row}: {i.message}" for i in receipt.issues[:3]))
        elif receipt.replayed:
            outcome.replayed += 1
        else:
            outcome.accepted += 1
            outcome.lines += receipt.rows

    for plan in PLANS:
        profile = "transparency" if plan.layout is not None and plan.slug != "var" else "template"
        for period in quarters:
            send(plan, "suppliers", period, suppliers_file(plan, bought[plan.slug],
                                                           period.quarter), profile)
    for plan in PLANS:
        lines = max(40, plan.lines // SMALL_SHARE) if small else plan.lines
        years = [(Period.parse(PREVIOUS_YEAR), 0.93)] if plan.previous_year else []
        for year, growth in [*years, (Period.parse(YEAR), 1.0)]:
            for period in year.quarters():
                data = spend_file(plan, names[plan.slug], bought[plan.slug], period,
                                  lines, growth * (0.96 + 0.04 * period.quarter))
                send(plan, "spend", period, data, None)
        local = [s for s in bought[plan.slug] if not s.national and s.home in SOUTH_YORKSHIRE]
        for period in quarters:
            if plan.commitments:
                send(plan, "commitments", period, commitments_file(plan, commitments, period),
                     "template")
            send(plan, "measures", period, measures_file(plan, measures, period), "template")
            if plan.contributions:
                send(plan, "contributions", period, contributions_file(plan, local, period),
                     "template")
        echo(f"  {plan.slug:6} {names[plan.slug]}")
    return outcome


def _reference(uow: UnitOfWork) -> tuple[dict[str, str], list[Commitment], dict[str, str]]:
    """Partner names, the Rotherham charter's commitments and the measures, from the database."""
    with uow:
        names = dict(uow.session.execute(select(Partner.slug, Partner.name)).all())
        missing = [plan.slug for plan in PLANS if plan.slug not in names]
        if missing:
            raise LookupError("These demo partners are not registered: " + ", ".join(missing)
                              + ". Run `hub init` (or `hub config load`) first.")
        commitments = [Commitment(code, unit) for code, unit in uow.session.execute(
            select(CharterCommitment.code, CharterCommitment.unit)
            .join(Place, CharterCommitment.place_id == Place.id)
            .where(Place.slug == "rotherham").order_by(CharterCommitment.id)).all()]
        measures = dict(uow.session.execute(
            select(MeasureDefinition.code, MeasureDefinition.unit)
            .order_by(MeasureDefinition.code)).all())
    return names, commitments, measures
