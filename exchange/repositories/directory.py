"""Queries of the supplier directory's worklist: a partner's unlocated suppliers, its data
officers' statements and its review list. They take a Session and never commit."""

from sqlalchemy import Integer, cast, func, select
from sqlalchemy.orm import Session

from exchange.models import PartnerReturn, SpendLine, SupplierReview, SupplierStatement
from exchange.repositories.money import to_pence


class DirectoryRepository:
    def __init__(self, session: Session):
        self.session = session

    def _current_spend(self, partner_id: int):
        return (select(PartnerReturn.id).where(PartnerReturn.partner_id == partner_id,
                                               PartnerReturn.kind == "spend",
                                               PartnerReturn.is_current))

    def spend_size_pence(self, partner_id: int) -> int:
        """The partner's current spend by value (credits by their size), in pence."""
        return int(self.session.scalar(
            select(func.coalesce(func.sum(func.abs(to_pence(SpendLine.amount))), 0))
            .where(SpendLine.return_id.in_(self._current_spend(partner_id)))) or 0)

    def unlocated(self, partner_id: int, limit: int, offset: int = 0) -> list:
        """Suppliers (by normalised name) of the partner's current spend lines that nothing
        placed, biggest by value first: name key, a name as written, a supplier id, company
        and charity numbers as given, pence by size, net pence and lines."""
        size = func.sum(func.abs(to_pence(SpendLine.amount)))
        stmt = (select(SpendLine.supplier_name_normalised, func.min(SpendLine.supplier_name),
                       func.min(SpendLine.supplier_id), func.min(SpendLine.company_number),
                       func.min(SpendLine.charity_number), size,
                       func.sum(to_pence(SpendLine.amount)), cast(func.count(), Integer))
                .where(SpendLine.return_id.in_(self._current_spend(partner_id)),
                       SpendLine.location_source == "unknown",
                       SpendLine.redacted.is_(False),
                       SpendLine.supplier_name_normalised.is_not(None))
                .group_by(SpendLine.supplier_name_normalised)
                .order_by(size.desc(), SpendLine.supplier_name_normalised)
                .limit(limit).offset(offset))
        return list(self.session.execute(stmt))

    def add_statement(self, statement: SupplierStatement) -> SupplierStatement:
        self.session.add(statement)
        self.session.flush()
        return statement

    def statements(self, partner_id: int, limit: int = 200) -> list[SupplierStatement]:
        return list(self.session.scalars(
            select(SupplierStatement).where(SupplierStatement.partner_id == partner_id)
            .order_by(SupplierStatement.id.desc()).limit(limit)))

    def reviews(self, partner_id: int, status: str | None = None) -> list[SupplierReview]:
        stmt = select(SupplierReview).where(SupplierReview.partner_id == partner_id)
        if status is not None:
            stmt = stmt.where(SupplierReview.status == status)
        return list(self.session.scalars(stmt.order_by(SupplierReview.id)))

    def review(self, partner_id: int, review_id: int) -> SupplierReview | None:
        """One review of the partner's list; another partner's is None, as if it did not
        exist."""
        found = self.session.get(SupplierReview, review_id)
        return found if found is not None and found.partner_id == partner_id else None
