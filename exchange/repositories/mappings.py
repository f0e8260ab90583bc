"""Queries over the column mappings partners saved."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.models.mappings import ColumnMapping


class ColumnMappingRepository:
    def __init__(self, session: Session):
        self.session = session

    def for_partner(self, partner_id: int, kind: str | None = None) -> list[ColumnMapping]:
        """A partner's mappings, newest first; with ``kind``, only that kind's."""
        stmt = select(ColumnMapping).where(ColumnMapping.partner_id == partner_id)
        if kind is not None:
            stmt = stmt.where(ColumnMapping.kind == kind)
        return list(self.session.scalars(stmt.order_by(ColumnMapping.saved_at.desc(),
                                                       ColumnMapping.id.desc())))

    def get(self, mapping_id: int, partner_id: int) -> ColumnMapping | None:
        """One mapping, only if it is that partner's."""
        mapping = self.session.get(ColumnMapping, mapping_id)
        return mapping if mapping is not None and mapping.partner_id == partner_id else None

    def for_headings(self, partner_id: int, kind: str, key: str) -> ColumnMapping | None:
        stmt = select(ColumnMapping).where(ColumnMapping.partner_id == partner_id,
                                           ColumnMapping.kind == kind,
                                           ColumnMapping.headings_key == key)
        return self.session.scalars(stmt).first()

    def add(self, mapping: ColumnMapping) -> ColumnMapping:
        self.session.add(mapping)
        self.session.flush()
        return mapping

    def delete(self, mapping: ColumnMapping) -> None:
        self.session.delete(mapping)
        self.session.flush()
