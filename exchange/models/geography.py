"""ONS geography: postcodes to local authority districts, districts to combined authorities."""

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from exchange.models.base import Base


class CombinedAuthority(Base):
    __tablename__ = "combined_authority"
    code: Mapped[str] = mapped_column(String(9), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))


class Lad(Base):
    """A local authority district and the combined authority it belongs to, if any."""

    __tablename__ = "lad"
    code: Mapped[str] = mapped_column(String(9), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    mca_code: Mapped[str | None] = mapped_column(ForeignKey("combined_authority.code"))


class Postcode(Base):
    """A unit postcode in canonical form (``S60 2UD``) and where it lies."""

    __tablename__ = "postcode"
    postcode: Mapped[str] = mapped_column(String(8), primary_key=True)
    lad_code: Mapped[str] = mapped_column(String(9))
    ward_code: Mapped[str | None] = mapped_column(String(9))
    lsoa_code: Mapped[str | None] = mapped_column(String(9))


class PostcodeCoverage(Base):
    """A postcode area (``S``, ``DN``) whose every unit postcode is in the table.

    A postcode of a covered area that is missing from the table is unknown, never guessed."""

    __tablename__ = "postcode_coverage"
    area: Mapped[str] = mapped_column(String(2), primary_key=True)
    source: Mapped[str] = mapped_column(String(200))
