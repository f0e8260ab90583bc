"""Queries over places and partners."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.models import CharterCommitment, MeasureDefinition, Partner, Place


class PlaceRepository:
    def __init__(self, session: Session):
        self.session = session

    def get(self, slug_or_code: str) -> Place | None:
        stmt = select(Place).where((Place.slug == slug_or_code) | (Place.code == slug_or_code))
        return self.session.scalars(stmt).first()

    def all(self) -> list[Place]:
        return list(self.session.scalars(select(Place).order_by(Place.kind.desc(), Place.slug)))

    def commitments(self, place_id: int) -> list[CharterCommitment]:
        stmt = select(CharterCommitment).where(CharterCommitment.place_id == place_id)
        return list(self.session.scalars(stmt.order_by(CharterCommitment.code)))

    def measures(self) -> list[MeasureDefinition]:
        stmt = select(MeasureDefinition).order_by(MeasureDefinition.code)
        return list(self.session.scalars(stmt))


class PartnerRepository:
    def __init__(self, session: Session):
        self.session = session

    def get(self, slug: str) -> Partner | None:
        return self.session.scalars(select(Partner).where(Partner.slug == slug)).first()

    def get_by_id(self, partner_id: int) -> Partner | None:
        return self.session.get(Partner, partner_id)

    def all(self) -> list[Partner]:
        return list(self.session.scalars(select(Partner).order_by(Partner.slug)))

    def for_place(self, place_id: int) -> list[Partner]:
        stmt = (
            select(Partner)
            .where(Partner.memberships.any(place_id=place_id))
            .order_by(Partner.slug)
        )
        return list(self.session.scalars(stmt))
