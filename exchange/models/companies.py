"""The companies register: Companies House's Basic Company Data, as last loaded."""

from datetime import date

from sqlalchemy import Date, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from exchange.models.base import Base


class Company(Base):
    """A company on the register, keyed by its 8-character number (``01234567``, ``SC123456``).

    ``name_key`` is the name as ``normalise_supplier_name`` reduces it, for matching spend lines
    by name; ``register_date`` is the date of the register file it came from."""

    __tablename__ = "company"
    number: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    name_key: Mapped[str] = mapped_column(Text, index=True)
    postcode: Mapped[str | None] = mapped_column(String(8))
    status: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(Text)
    accounts_category: Mapped[str | None] = mapped_column(Text)
    sic_text: Mapped[str | None] = mapped_column(Text)
    register_date: Mapped[date] = mapped_column(Date)
