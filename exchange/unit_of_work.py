"""One session plus its repositories, for one transaction."""

from sqlalchemy.orm import Session, sessionmaker

from exchange.repositories.places import PartnerRepository, PlaceRepository
from exchange.repositories.geography import GeographyRepository
from exchange.repositories.audit import AuditRepository


class UnitOfWork:
    """``with uow: ... uow.commit()``; leaving the block rolls back whatever was not committed."""

    def __init__(self, session_factory: sessionmaker[Session]):
        self.session_factory = session_factory
        self.session: Session | None = None

    def __enter__(self) -> "UnitOfWork":
        self.session = self.session_factory()
        self.partners = PartnerRepository(self.session)
        self.places = PlaceRepository(self.session)
        self.geography = GeographyRepository(self.session)
        self.audit = AuditRepository(self.session)
        return self

    def __exit__(self, *exc) -> None:
        self.session.rollback()
        self.session.close()
        self.session = None

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()
