"""Writing and reading the normalised lines of returns. PostgreSQL takes them by COPY."""

from collections.abc import Sequence

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from exchange.models.lines import LINE_MODELS


class LineRepository:
    def __init__(self, session: Session):
        self.session = session

    def write(self, kind: str, rows: Sequence[dict]) -> None:
        """Insert a batch of normalised rows (each with ``return_id`` and ``row_number``)."""
        if not rows:
            return
        model = LINE_MODELS[kind]
        if self.session.bind.dialect.name == "postgresql":
            self._copy(model.__table__, rows)
        else:
            self.session.execute(insert(model), list(rows))

    def _copy(self, table, rows: Sequence[dict]) -> None:
        columns = [c.name for c in table.columns if c.name != "id"]
        cursor = self.session.connection().connection.driver_connection.cursor()
        names = ", ".join(f'"{c}"' for c in columns)
        with cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:  # noqa: S608
            for row in rows:
                copy.write_row([row.get(c) for c in columns])

    def for_return(self, kind: str, return_id: int, *, after_row: int = 0,
                   limit: int = 1000) -> list:
        model = LINE_MODELS[kind]
        stmt = (select(model).where(model.return_id == return_id, model.row_number > after_row)
                .order_by(model.row_number).limit(limit))
        return list(self.session.scalars(stmt))

    def all_for_return(self, kind: str, return_id: int):
        model = LINE_MODELS[kind]
        stmt = select(model).where(model.return_id == return_id).order_by(model.row_number)
        return self.session.scalars(stmt.execution_options(yield_per=5000))
