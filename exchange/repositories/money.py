"""Money in SQL: exact whole pence, on SQLite as on PostgreSQL."""

from sqlalchemy import BigInteger, cast, func
from sqlalchemy.sql.elements import ColumnElement


def to_pence(amount) -> ColumnElement:
    """An amount column in whole pence: exact sums on SQLite, where NUMERIC may be a float."""
    return cast(func.round(amount * 100), BigInteger)
