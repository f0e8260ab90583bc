"""One session plus its repositories, for one transaction."""

from sqlalchemy.orm import Session, sessionmaker

from exchange.repositories.audit import AuditRepository
from exchange.repositories.companies import CompanyRepository
from exchange.repositories.directory import DirectoryRepository
from exchange.repositories.geography import GeographyRepository
from exchange.repositories.lines import LineRepository
from exchange.repositories.mappings import ColumnMappingRepository
from exchange.repositories.places import PartnerRepository, PlaceRepository
from exchange.repositories.returns import ReturnRepository


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
        self.returns = ReturnRepository(self.session)
        self.lines = LineRepository(self.session)
        self.mappings = ColumnMappingRepository(self.session)
        self.companies = CompanyRepository(self.session)
        self.directory = DirectoryRepository(self.session)
        return self

    def __exit__(self, *exc) -> None:
        # Detach first: objects read in the block stay readable after it, as loaded.
        self.session.expunge_all()
        self.session.rollback()
        self.session.close()
        self.session = None

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()
