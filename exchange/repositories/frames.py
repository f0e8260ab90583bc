"""The rows of a SELECT as polars frames: on PostgreSQL one CSV ``COPY (query) TO STDOUT``
read by polars, a column at a time (a few hundred thousand rows in a tenth of the time psycopg
takes to make them tuples); on SQLite ``size`` rows at a time."""

import io
from collections.abc import Iterator

import polars as pl
from sqlalchemy import case
from sqlalchemy.orm import Session


def query_frames(session: Session, stmt, schema: dict, size: int = 200_000
                 ) -> Iterator[pl.DataFrame]:
    """Frames of the rows of ``stmt``, its columns named and typed by ``schema`` (in its order).
    Text read from PostgreSQL's CSV takes NULL and the empty text alike, as null."""
    dialect = session.get_bind().dialect
    if dialect.name == "postgresql":
        query = stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True})
        cursor = session.connection().connection.driver_connection.cursor()
        data = io.BytesIO()
        with cursor.copy(f"COPY ({query}) TO STDOUT (FORMAT csv)") as copy:
            for block in copy:
                data.write(block)
        if data.tell():
            data.seek(0)
            yield pl.read_csv(data, has_header=False, new_columns=list(schema),
                              schema_overrides=schema)
        return
    for rows in session.execute(stmt.execution_options(yield_per=size)).partitions():
        yield pl.DataFrame(rows, schema=schema, orient="row")


def query_frame(session: Session, stmt, schema: dict) -> pl.DataFrame:
    """All the rows of ``stmt`` as one frame (see `query_frames`)."""
    return pl.concat([pl.DataFrame(schema=schema),
                      *query_frames(session, stmt, schema)], how="vertical")


def flag(column):
    """A boolean as 1, 0 or NULL: the same in PostgreSQL's CSV as in SQLite (read as Int8)."""
    return case((column.is_(True), 1), (column.is_(False), 0))
