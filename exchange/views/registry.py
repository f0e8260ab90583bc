"""The registry as the views read it: places with their LADs, and the partners of places, as
plain rows (no ORM objects), one statement each. The registry is small, so every place is read
at once: the place asked for, its parent or children and the list of known places all come
from that one read."""

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from exchange.errors import NotFound
from exchange.models import Partner, PartnerPlace, Place, PlaceLad
from exchange.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class PlaceRow:
    id: int
    slug: str
    code: str
    name: str
    kind: str
    parent_id: int | None
    lad_codes: tuple[str, ...]


@dataclass(frozen=True)
class PartnerRow:
    id: int
    slug: str
    name: str
    spend_threshold: Decimal | None


class Places:
    """Every place, in slug order, with its LADs in code order."""

    def __init__(self, uow: UnitOfWork):
        stmt = (select(Place.id, Place.slug, Place.code, Place.name, Place.kind,
                       Place.parent_id, PlaceLad.lad_code)
                .outerjoin(PlaceLad, PlaceLad.place_id == Place.id)
                .order_by(Place.slug, Place.id, PlaceLad.lad_code))
        rows: dict[int, tuple] = {}
        lads: dict[int, list[str]] = {}
        for place_id, slug, code, name, kind, parent_id, lad in uow.session.execute(stmt):
            rows.setdefault(place_id, (slug, code, name, kind, parent_id))
            found = lads.setdefault(place_id, [])
            if lad is not None:
                found.append(lad)
        self.by_id = {i: PlaceRow(i, *row, tuple(lads[i])) for i, row in rows.items()}

    def find(self, ref: str, kind: str) -> PlaceRow:
        """A place (or sub-region) by slug or ONS code, or 404 saying what there is instead."""
        place = next((p for p in self.by_id.values() if ref in (p.slug, p.code)), None)
        if place is None or place.kind != kind:
            known = ", ".join(p.slug for p in self.by_id.values() if p.kind == kind)
            what = "place partnership" if kind == "place" else "sub-region"
            raise NotFound(f"There is no {what} '{ref}'. Known: {known}.")
        return place

    def get(self, place_id: int | None) -> PlaceRow | None:
        return self.by_id.get(place_id) if place_id is not None else None

    def children(self, parent: PlaceRow) -> list[PlaceRow]:
        return [p for p in self.by_id.values() if p.parent_id == parent.id]


def partners_of(uow: UnitOfWork, place_ids: list[int]) -> list[tuple[int, PartnerRow]]:
    """(place id, partner) for each membership of the places, in partner slug order."""
    stmt = (select(PartnerPlace.place_id, Partner.id, Partner.slug, Partner.name,
                   Partner.spend_threshold)
            .join(PartnerPlace, PartnerPlace.partner_id == Partner.id)
            .where(PartnerPlace.place_id.in_(place_ids))
            .order_by(Partner.slug, Partner.id))
    return [(place_id, PartnerRow(*partner))
            for place_id, *partner in uow.session.execute(stmt)]


def comparable_threshold(partners: list[PartnerRow]) -> Decimal:
    """As ``spend.comparable_threshold``, from partners already read: the highest spend
    threshold among them (0 when none has one)."""
    found = max((p.spend_threshold for p in partners if p.spend_threshold is not None),
                default=None)
    return Decimal(found or 0).quantize(Decimal("0.01"))
