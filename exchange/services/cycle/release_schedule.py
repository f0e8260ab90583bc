"""Publishing the MCA's releases on schedule: each quarter once every kind's deadline and the
grace days after it have passed, again whenever the returns counting in it change.

The check is cheap: a quarter whose counting returns (id and version) are those its latest
release was built from is left alone without building any dataset. publish_release itself makes
no new version when nothing changed. A quarter no return counts in yet is not published."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from exchange.feeds.releases import Publication, latest_release, publish_release
from exchange.feeds.sources import counting_returns, partner_ids
from exchange.models import PartnerReturn, Place
from exchange.models.returns import ACCEPTED
from exchange.periods import Period
from exchange.services.cycle.windows import WindowRules
from exchange.unit_of_work import UnitOfWork

ACTOR = "scheduler"


@dataclass(frozen=True)
class DueRelease:
    subregion: str
    period: str


def publish_due_releases(uow: UnitOfWork, now: datetime, grace_days: int,
                         rules: WindowRules, actor: str = ACTOR) -> list[Publication]:
    """Publish every release that is due and new or changed; returns what was published."""
    published = []
    for due in due_releases(uow, now, grace_days, rules):
        result = publish_release(uow, due.subregion, due.period, actor=actor, now=now,
                                 rules=rules)
        if result.created:
            published.append(result)
    return published


def due_releases(uow: UnitOfWork, now: datetime, grace_days: int,
                 rules: WindowRules) -> list[DueRelease]:
    """The (sub-region, quarter) pairs past deadline and grace whose counting returns differ
    from those of their latest release (or that have none yet)."""
    grace = timedelta(days=grace_days)
    with uow:
        quarters = closed_quarters(uow, now, grace, rules)
        subregions = uow.session.scalars(select(Place).where(Place.kind == "subregion")
                                         .order_by(Place.slug)).all()
        due = []
        for subregion in subregions:
            members = partner_ids(uow, subregion)
            for quarter in quarters:
                returns = [(r.id, r.version) for r in
                           counting_returns(uow, members, str(quarter))]
                if not returns:
                    continue
                latest = latest_release(uow, subregion.id, str(quarter))
                if latest is None or returns != [(r["id"], r["version"])
                                                 for r in latest.returns]:
                    due.append(DueRelease(subregion.slug, str(quarter)))
        return due


def closed_quarters(uow: UnitOfWork, now: datetime, grace: timedelta,
                    rules: WindowRules) -> list[Period]:
    """From the earliest quarter with an accepted return to the last whose deadline for every
    kind, plus ``grace``, has passed at ``now``."""
    earliest = uow.session.scalar(select(func.min(PartnerReturn.period))
                                  .where(PartnerReturn.status == ACCEPTED))
    if earliest is None:
        return []
    quarter = Period.parse(earliest).quarters()[0]
    closed = []
    while rules.latest_deadline(quarter) + grace <= now:
        closed.append(quarter)
        quarter = quarter.next
    return closed
