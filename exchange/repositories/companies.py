"""The companies register's table: replaced whole, by COPY on PostgreSQL."""

import re
from collections.abc import Collection, Iterable, Sequence
from datetime import date
from itertools import islice

from psycopg.copy import QueuedLibpqWriter
from psycopg.errors import UniqueViolation
from sqlalchemy import and_, any_, delete, func, insert, or_, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from exchange.models import Company
from exchange.repositories.copytext import copy_text
from exchange.repositories.keys import KEYS_PER_QUERY, key_array

COLUMNS = ("number", "name", "name_key", "postcode", "status", "category",
           "accounts_category", "sic_text", "register_date")
_BATCH = 10_000
_KEY = re.compile(r"\(number\)=\(([^)]*)\)")


def _matching(by_number, by_name, active: str):
    columns = (Company.number, Company.name_key, Company.postcode, Company.status,
               Company.accounts_category, Company.register_date)
    return select(*columns).where(or_(by_number, and_(by_name, Company.status == active)))


class DuplicateCompany(Exception):
    """The rows give one company number twice; ``number`` is it, when the database says."""

    def __init__(self, number: str | None):
        super().__init__(number)
        self.number = number


class CompanyRepository:
    def __init__(self, session: Session):
        self.session = session

    def replace(self, rows: Iterable[Sequence]) -> int:
        """Empty the table and write ``rows`` (tuples in ``COLUMNS`` order) in its place, in the
        session's transaction; returns how many were written. Raises DuplicateCompany if a
        number comes twice."""
        try:
            return self._replace(rows)
        except UniqueViolation as err:
            detail = _KEY.search(err.diag.message_detail or "")
            raise DuplicateCompany(detail[1] if detail else None) from err
        except IntegrityError as err:
            raise DuplicateCompany(None) from err

    def _replace(self, rows: Iterable[Sequence]) -> int:
        if self.session.bind.dialect.name == "postgresql":
            # TRUNCATE is transactional in PostgreSQL, and leaves no dead rows to vacuum.
            self.session.execute(text("TRUNCATE company"))
            return self._copy(rows)
        self.session.execute(delete(Company))
        count, rows = 0, iter(rows)
        while batch := list(islice(rows, _BATCH)):
            self.session.execute(insert(Company), [dict(zip(COLUMNS, r, strict=True))
                                                   for r in batch])
            count += len(batch)
        return count

    def _copy(self, rows: Iterable[Sequence]) -> int:
        cursor = self.session.connection().connection.driver_connection.cursor()
        count, lines = 0, []
        with cursor.copy(f"COPY company ({', '.join(COLUMNS)}) FROM STDIN",  # noqa: S608
                         writer=QueuedLibpqWriter(cursor)) as copy:
            for row in rows:
                lines.append("\t".join(map(copy_text, row)))
                if len(lines) >= _BATCH:
                    copy.write("\n".join(lines) + "\n")
                    count, lines = count + len(lines), []
            if lines:
                copy.write("\n".join(lines) + "\n")
                count += len(lines)
        return count

    def register_date(self) -> date | None:
        """The date of the register loaded now, if any."""
        return self.session.scalar(select(func.max(Company.register_date)))

    def get(self, number: str) -> Company | None:
        return self.session.get(Company, number)

    def count(self) -> int:
        return self.session.scalar(select(func.count()).select_from(Company)) or 0

    def is_empty(self) -> bool:
        """Whether no register is loaded (one row looked for, not counted)."""
        return self.session.scalar(select(Company.number).limit(1)) is None

    def for_suppliers(self, numbers: Collection[str], name_keys: Collection[str],
                      active: str) -> list:
        """Companies with one of ``numbers``, and ``active`` companies with one of
        ``name_keys``: one query on PostgreSQL (each set bound as one array: 200,000 keys as
        placeholders take seconds to bind), in slices of a few thousand keys on SQLite (its
        limit on parameters)."""
        numbers, name_keys = list(numbers), list(name_keys)
        if self.session.get_bind().dialect.name == "postgresql":
            return list(self.session.execute(_matching(
                Company.number == any_(key_array(numbers)),
                Company.name_key == any_(key_array(name_keys)), active)))
        found = []
        for start in range(0, max(len(numbers), len(name_keys)), KEYS_PER_QUERY):
            found.extend(self.session.execute(_matching(
                Company.number.in_(numbers[start:start + KEYS_PER_QUERY]),
                Company.name_key.in_(name_keys[start:start + KEYS_PER_QUERY]), active)))
        return found
