"""Places, partners and what they signed: the registry loaded from config/."""

from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.models.base import Base


class Place(Base):
    """A place partnership (one or more LADs) or a sub-region (a combined authority)."""

    __tablename__ = "place"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    code: Mapped[str] = mapped_column(String(9), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10))  # "place" or "subregion"
    partnership_name: Mapped[str | None] = mapped_column(String(200))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("place.id"))
    lads: Mapped[list["PlaceLad"]] = relationship(
        cascade="all, delete-orphan", order_by="PlaceLad.lad_code"
    )

    @property
    def lad_codes(self) -> list[str]:
        return [lad.lad_code for lad in self.lads]


class PlaceLad(Base):
    """A local authority district that counts as "local" for a place."""

    __tablename__ = "place_lad"
    place_id: Mapped[int] = mapped_column(ForeignKey("place.id"), primary_key=True)
    lad_code: Mapped[str] = mapped_column(String(9), primary_key=True)


class Partner(Base):
    """An anchor institution, a contributing business, or the combined authority itself."""

    __tablename__ = "partner"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    org_id: Mapped[str] = mapped_column(String(40))
    spend_threshold: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    profile: Mapped[str | None] = mapped_column(String(40))
    column_overrides: Mapped[dict] = mapped_column(JSON, default=dict)
    requires_approval: Mapped[bool] = mapped_column(default=False)
    memberships: Mapped[list["PartnerPlace"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def place_ids(self) -> list[int]:
        return [m.place_id for m in self.memberships]


class PartnerPlace(Base):
    """A partner's membership of a place partnership or sub-region."""

    __tablename__ = "partner_place"
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id"), primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("place.id"), primary_key=True)


class CharterCommitment(Base):
    """One commitment of a place's Social Value Charter, tied to an aim of the policy."""

    __tablename__ = "charter_commitment"
    __table_args__ = (UniqueConstraint("place_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("place.id"))
    code: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    aim: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(String(2000), default="")
    unit: Mapped[str | None] = mapped_column(String(40))


class MeasureDefinition(Base):
    """An outcome measure partners report, with its optional TOMs code and proxy value (£/unit)."""

    __tablename__ = "measure_definition"
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(40))
    aim: Mapped[str | None] = mapped_column(String(40))
    toms_code: Mapped[str | None] = mapped_column(String(20))
    proxy_value: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    proxy_indicative: Mapped[bool] = mapped_column(default=True)
    people_count: Mapped[bool] = mapped_column(default=False)
    # "stock": a count at the quarter's end (people employed); "flow": what happened in the
    # quarter (starts, hours). A stock's figure for several quarters is their average or the
    # latest (year_figure); a flow's is their sum.
    nature: Mapped[str] = mapped_column(String(10), default="flow", server_default="flow")
    year_figure: Mapped[str] = mapped_column(String(10), default="sum", server_default="sum")
    proxy_per: Mapped[str | None] = mapped_column(String(40))
