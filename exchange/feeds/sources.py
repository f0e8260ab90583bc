"""What a release is built from: the sub-region's partners and their current returns of a period,
read with grouped ``select()`` queries (per partner and supplier or contributor, never per line).

A return counts when it is the current accepted one of its (partner, kind, period) and, for a
partner that requires approval, once it has been approved."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import BigInteger, case, cast, false, func, or_, select

from exchange.models import (
    CommitmentLine,
    ContributionLine,
    MeasureDefinition,
    MeasureLine,
    Partner,
    PartnerPlace,
    PartnerReturn,
    Place,
    SpendLine,
)
from exchange.models.returns import ACCEPTED
from exchange.unit_of_work import UnitOfWork

KINDS = ("spend", "measures", "commitments", "contributions")


class SupplierSum(NamedTuple):
    """A supplier's net in one partner's return (the glossary's unit of shares): by where it
    is, its flags and how it was located. Redacted lines (no key) are netted together."""

    key: str | None  # supplier key; None for redacted lines, never a name
    dest: str  # a LAD code of the sub-region, "outside" or "unknown"
    sme: bool
    vcse: bool
    pence: int
    source: str = "unknown"  # how the location was known (exchange.views.coverage.SOURCES)


class ContributionSum(NamedTuple):
    type: str
    key: str  # org id or normalised name: only ever counted, never published
    quantity: Decimal
    value: Decimal


@dataclass
class Sources:
    subregion: Place
    places: list[Place]
    members: dict[int, set[int]]
    kinds: dict[int, str]
    returns: list[PartnerReturn]
    destinations: list[str]
    measure_definitions: dict[str, MeasureDefinition]
    spend: dict[int, list[SupplierSum]] = field(default_factory=dict)
    measures: dict[int, dict[str, Decimal]] = field(default_factory=dict)
    commitments: dict[int, dict[str, str]] = field(default_factory=dict)
    contributions: dict[int, list[ContributionSum]] = field(default_factory=dict)


def _hundredths(column):
    return cast(func.round(column * 100), BigInteger)


def counting_returns(uow: UnitOfWork, partner_ids, period: str) -> list[PartnerReturn]:
    """The returns of these partners that count in a release of ``period``, by id."""
    stmt = (select(PartnerReturn).join(Partner, Partner.id == PartnerReturn.partner_id)
            .where(PartnerReturn.partner_id.in_(partner_ids), PartnerReturn.period == period,
                   PartnerReturn.kind.in_(KINDS), PartnerReturn.status == ACCEPTED,
                   PartnerReturn.is_current,
                   or_(Partner.requires_approval.is_(False),
                       PartnerReturn.approved_at.is_not(None)))
            .order_by(PartnerReturn.id))
    return list(uow.session.scalars(stmt))


def memberships(uow: UnitOfWork, subregion: Place) -> tuple[list[Place], dict[int, set[int]]]:
    """The places of a sub-region and the partner ids of each (and of the sub-region itself)."""
    places = list(uow.session.scalars(select(Place).where(Place.parent_id == subregion.id)
                                      .order_by(Place.slug)))
    place_ids = [subregion.id, *(p.id for p in places)]
    members: dict[int, set[int]] = {pid: set() for pid in place_ids}
    links = uow.session.scalars(select(PartnerPlace).where(PartnerPlace.place_id.in_(place_ids)))
    for link in links:
        members[link.place_id].add(link.partner_id)
    return places, members


def partner_ids(uow: UnitOfWork, subregion: Place) -> set[int]:
    """Every partner of the sub-region or of one of its places."""
    return set().union(*memberships(uow, subregion)[1].values())


def load(uow: UnitOfWork, subregion: Place, period: str,
         return_ids: list[int] | None = None) -> Sources:
    """What a release of ``period`` is built from: the returns counting now, or (to rebuild an
    earlier version) the returns ``return_ids`` it counted."""
    session = uow.session
    places, members = memberships(uow, subregion)
    everyone = set().union(*members.values())
    stmt = select(Partner.id, Partner.kind).where(Partner.id.in_(everyone))
    kinds = {partner_id: kind for partner_id, kind in session.execute(stmt)}
    if return_ids is None:
        returns = counting_returns(uow, everyone, period)
    else:
        returns = list(session.scalars(select(PartnerReturn).where(
            PartnerReturn.id.in_(return_ids)).order_by(PartnerReturn.id)))
    definitions = {d.code: d for d in session.scalars(select(MeasureDefinition))}
    src = Sources(subregion, places, members, kinds, returns,
                  [*subregion.lad_codes, "outside", "unknown"], definitions)
    by_kind = defaultdict(list)
    for ret in returns:
        by_kind[ret.kind].append(ret.id)
    _load_spend(session, src, by_kind["spend"])
    _load_measures(session, src, by_kind["measures"])
    _load_commitments(session, src, by_kind["commitments"])
    _load_contributions(session, src, by_kind["contributions"])
    return src


def _load_spend(session, src: Sources, return_ids: list[int]) -> None:
    lads = set(src.subregion.lad_codes)
    dest = case((SpendLine.location_status == "found", SpendLine.lad_code),
                (SpendLine.location_status == "outside", "outside"), else_="unknown")
    # Label the expressions in a subquery so that PostgreSQL groups by exactly what it selects.
    lines = (select(PartnerReturn.partner_id, SpendLine.supplier_key, dest.label("dest"),
                    func.coalesce(SpendLine.sme, false()).label("sme"),
                    func.coalesce(SpendLine.vcse, false()).label("vcse"),
                    func.coalesce(SpendLine.location_source, "unknown").label("source"),
                    _hundredths(SpendLine.amount).label("pence"))
             .join(PartnerReturn, PartnerReturn.id == SpendLine.return_id)
             .where(SpendLine.return_id.in_(return_ids))).subquery()
    keys = (lines.c.partner_id, lines.c.supplier_key, lines.c.dest, lines.c.sme, lines.c.vcse,
            lines.c.source)
    stmt = select(*keys, func.sum(lines.c.pence)).group_by(*keys)
    for partner_id, key, where, sme, vcse, source, pence in session.execute(stmt):
        if where is None:
            where = "unknown"
        elif where not in lads and where != "unknown":
            where = "outside"  # found, but in a LAD beyond the sub-region
        src.spend.setdefault(partner_id, []).append(
            SupplierSum(key, where, bool(sme), bool(vcse), int(pence), source))


def _load_measures(session, src: Sources, return_ids: list[int]) -> None:
    stmt = (select(PartnerReturn.partner_id, MeasureLine.measure,
                   func.sum(_hundredths(MeasureLine.value)))
            .join(PartnerReturn, PartnerReturn.id == MeasureLine.return_id)
            .where(MeasureLine.return_id.in_(return_ids))
            .group_by(PartnerReturn.partner_id, MeasureLine.measure))
    for partner_id, code, hundredths in session.execute(stmt):
        src.measures.setdefault(partner_id, {})[code] = Decimal(int(hundredths)).scaleb(-2)


def _load_commitments(session, src: Sources, return_ids: list[int]) -> None:
    stmt = (select(PartnerReturn.partner_id, CommitmentLine.commitment, CommitmentLine.status)
            .join(PartnerReturn, PartnerReturn.id == CommitmentLine.return_id)
            .where(CommitmentLine.return_id.in_(return_ids))
            .order_by(CommitmentLine.return_id, CommitmentLine.row_number))
    for partner_id, code, status in session.execute(stmt):
        src.commitments.setdefault(partner_id, {})[code] = status  # a later row wins


def _load_contributions(session, src: Sources, return_ids: list[int]) -> None:
    key = func.lower(func.coalesce(ContributionLine.contributor_org_id,
                                   ContributionLine.contributor_name))
    stmt = (select(PartnerReturn.partner_id, ContributionLine.contribution_type, key,
                   func.sum(_hundredths(func.coalesce(ContributionLine.quantity, 0))),
                   func.sum(_hundredths(func.coalesce(ContributionLine.value, 0))))
            .join(PartnerReturn, PartnerReturn.id == ContributionLine.return_id)
            .where(ContributionLine.return_id.in_(return_ids))
            .group_by(PartnerReturn.partner_id, ContributionLine.contribution_type, key))
    for partner_id, kind, who, quantity, value in session.execute(stmt):
        src.contributions.setdefault(partner_id, []).append(ContributionSum(
            kind, who, Decimal(int(quantity)).scaleb(-2), Decimal(int(value)).scaleb(-2)))
