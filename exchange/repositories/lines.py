"""Writing and reading the normalised lines of returns. PostgreSQL takes them by COPY; SQLite
(the only other database) by one executemany a batch. Lines already written as COPY text
(`exchange.ingest.spendlines`) go to SQLite too: polars reads the text back a column at a
time into the values SQLAlchemy would have stored."""

import io
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from itertools import compress
from operator import itemgetter
from typing import NamedTuple

import polars as pl
from psycopg.copy import QueuedLibpqWriter
from sqlalchemy import Boolean, Date, DateTime, Integer, Numeric, String, delete, select, text
from sqlalchemy.orm import Session

from exchange.models.lines import LINE_MODELS, SpendLine
from exchange.repositories.copytext import NULL, copy_text_columns, unescape_text
from exchange.repositories.frames import flag, query_frames
from exchange.repositories.money import to_pence


class Insertable(NamedTuple):
    """Rows of a table made ready to insert (`LineRepository.ready`): the frame, and on
    PostgreSQL its COPY text."""
    frame: pl.DataFrame
    text: str | None


class LineRepository:
    def __init__(self, session: Session):
        self.session = session
        self._open: tuple | None = None  # (kind, copy, columns) while a stream is open
        self._text_of: tuple | None = None  # (kind, columns) of write_text without a COPY

    @property
    def streams(self) -> bool:
        """Whether ``stream`` really holds a COPY open (and so the session while it does)."""
        return self.session.bind.dialect.name == "postgresql"

    def write(self, kind: str, rows: Sequence[dict]) -> None:
        """Insert a batch of normalised rows (each with ``return_id`` and ``row_number``)."""
        if not rows:
            return
        model = LINE_MODELS[kind]
        if self._open is not None:
            open_kind, copy, columns = self._open
            if open_kind != kind:
                raise ValueError(f"a stream of {open_kind} lines is open, not of {kind}")
            _copy_rows(copy, columns, rows)
        elif self.streams:
            with self._copy(model.__table__) as (copy, columns):
                _copy_rows(copy, columns, rows)
        else:
            self._insert_many(model.__table__, rows)

    @contextmanager
    def stream(self, kind: str, columns: Sequence[str] | None = None) -> Iterator[None]:
        """Send every ``write`` (and ``write_text``) of ``kind`` in the block down one COPY
        (PostgreSQL only), so the server stores lines while the caller reads the next batch.
        ``columns`` orders the columns of ``write_text`` lines (the table's order by default).
        The session cannot run other statements until the block ends."""
        table = LINE_MODELS[kind].__table__
        if not self.streams:
            self._text_of = (kind, list(columns or _names(table)))
            try:
                yield
            finally:
                self._text_of = None
            return
        with self._copy(table, columns) as (copy, names):
            self._open = (kind, copy, names)
            try:
                yield
            finally:
                self._open = None

    def write_text(self, text: str | bytes) -> None:
        """Lines already in COPY text format (UTF-8 if bytes), columns as the open ``stream``
        was given."""
        if self._open is not None:
            if text:
                self._open[1].write(text)
            return
        if self._text_of is None:
            raise ValueError("write_text needs an open stream")
        if text:
            kind, columns = self._text_of
            self._insert_text(LINE_MODELS[kind].__table__, columns, text)

    def insert_frame(self, table, frame: pl.DataFrame) -> None:
        """Rows of any table as a polars frame (columns named as the table's), such as a
        return's aggregates, the quickest way the database takes them: on PostgreSQL one COPY,
        in the order of the table's primary key (so its index is appended to, not scattered
        into: half the time for half a million rows); else one executemany."""
        with self.inserting(table, frame):
            pass

    def ready(self, table, frame: pl.DataFrame) -> Insertable:
        """The rows as `inserting` sends them: on PostgreSQL, COPY text in the order of the
        table's primary key. Made without the session, so a caller may make one table's rows
        ready while the server stores another's."""
        if frame.is_empty() or not self.streams:
            return Insertable(frame, None)
        names = frame.columns
        # The key's columns holding one value throughout (the return, the partner) order
        # nothing: sorting 200,000 rows by five columns took twice as long as by the two that
        # differ.
        key = [c.name for c in table.primary_key.columns
               if c.name in names and not _constant(frame[c.name])]
        ordered = frame.sort(key) if key else frame
        return Insertable(frame, ordered.select(copy_text_columns(ordered, names)).write_csv(
            separator="\t", quote_style="never", include_header=False))

    @contextmanager
    def inserting(self, table, rows: pl.DataFrame | Insertable) -> Iterator[None]:
        """`insert_frame`, the database storing the rows (a frame, or made `ready`) while the
        block runs: on PostgreSQL the COPY's data is sent from a thread, and the block ends
        once the server has stored them. The block must not use the session."""
        if isinstance(rows, pl.DataFrame):
            rows = self.ready(table, rows)
        if rows.text is None:
            self._executemany(table, rows.frame)
            yield
            return
        with self._copy(table, rows.frame.columns) as (copy, _):
            copy.write(rows.text)
            yield

    @contextmanager
    def refilling(self, table, rows: Insertable) -> Iterator[None]:
        """`inserting` the rows in place of every row the table held. On PostgreSQL the table
        is truncated and its primary key dropped while the rows are copied, then built again
        over them all at once: for 200,000 rows 0.2 s, where adding each row to the key took
        0.34 s (both in the key's order). The COPY and the key's build both run in a thread
        while the block does; readers of the table wait for the transaction to end."""
        if rows.text is None:
            self.session.execute(delete(table))
            with self.inserting(table, rows):
                yield
            return
        key = table.primary_key
        columns = ", ".join(f'"{c.name}"' for c in key.columns)
        self.session.execute(text(f"TRUNCATE {table.name}"))
        self.session.execute(text(f'ALTER TABLE {table.name} DROP CONSTRAINT "{key.name}"'))
        cursor = self._cursor()

        def store() -> None:
            with cursor.copy(_copy_sql(table, rows.frame.columns)) as copy:
                copy.write(rows.text)
            cursor.execute(f'ALTER TABLE {table.name} ADD CONSTRAINT "{key.name}" '
                           f"PRIMARY KEY ({columns})")

        with ThreadPoolExecutor(max_workers=1) as worker:
            stored = worker.submit(store)
            try:
                yield
            finally:
                stored.result()  # waits; the thread's error, if any, is raised here

    def _insert_many(self, table, rows: Sequence[dict]) -> None:
        """One executemany of plain tuples of the table's columns but ``id`` (a row lacking one
        gives NULL), each value passed through its column type's own conversion: what Core does
        per row, at a third of the cost on SQLite; without the columns NULL in every row
        (`_filled`)."""
        dialect = self.session.get_bind().dialect
        names = _filled(table, _names(table),
                        lambda name: all(row.get(name) is None for row in rows))
        convert = [table.columns[name].type.dialect_impl(dialect).bind_processor(dialect)
                   for name in names]
        pick = itemgetter(*names) if len(names) > 1 else (lambda row: (row[names[0]],))
        values = []
        for row in rows:
            try:
                picked = pick(row)
            except KeyError:
                picked = [row.get(c) for c in names]
            values.append(tuple(v if f is None or v is None else f(v)
                                for v, f in zip(picked, convert, strict=True)))
        self.session.connection().exec_driver_sql(_insert_sql(table, names), values)

    def _insert_text(self, table, columns: list[str], text: str | bytes) -> None:
        """COPY text lines inserted into SQLite: each column read back as its stored value."""
        data = text.encode() if isinstance(text, str) else bytes(text)
        frame = pl.read_csv(io.BytesIO(data), has_header=False, new_columns=columns,
                            separator="\t", quote_char=None, infer_schema=False,
                            null_values=NULL, empty_string_is_null=False)
        types = {c.name: c.type for c in table.columns}
        texts = [name for name in columns if isinstance(types[name], String)]
        # Only text holding a backslash has escapes to undo: most columns of most files none.
        escaped = set(compress(texts, frame.select(
            pl.col(texts).str.contains("\\", literal=True).any()).row(0))) if texts else set()
        frame = frame.select(_stored(pl.col(name), types[name], name in escaped)
                             for name in columns)
        self._executemany(table, frame)

    def _executemany(self, table, frame: pl.DataFrame) -> None:
        """SQLite: one executemany of the frame's rows, without the columns NULL in every row
        (`_filled`: a third of the columns of a typical spend file are empty)."""
        if frame.is_empty():
            return
        empty = dict(zip(frame.columns, frame.select(pl.all().is_null().all()).row(0),
                         strict=True))
        names = _filled(table, frame.columns, empty.get)
        self.session.connection().exec_driver_sql(_insert_sql(table, names),
                                                  list(frame.select(names).iter_rows()))

    @contextmanager
    def _copy(self, table, columns: Sequence[str] | None = None):
        columns = list(columns or _names(table))
        cursor = self._cursor()
        # The queued writer sends from a thread, so `write` returns while the server reads.
        with cursor.copy(_copy_sql(table, columns), writer=QueuedLibpqWriter(cursor)) as copy:
            yield copy, columns

    def _cursor(self):
        """A cursor of the session's own connection (and so its transaction), for COPY."""
        return self.session.connection().connection.driver_connection.cursor()

    def for_return(self, kind: str, return_id: int, *, after_row: int = 0,
                   limit: int = 1000) -> list:
        model = LINE_MODELS[kind]
        stmt = (select(model).where(model.return_id == return_id, model.row_number > after_row)
                .order_by(model.row_number).limit(limit))
        return list(self.session.scalars(stmt))

    def spend_frames(self, return_id: int, size: int = 200_000) -> Iterator[pl.DataFrame]:
        """A spend return's lines as polars frames of what the aggregates need
        (`spend_totals.LineTotals.FRAME_COLUMNS`, the amount as whole ``pence``), read as
        `frames.query_frames` reads them."""
        line = SpendLine
        stmt = select(to_pence(line.amount).label("pence"), line.location_status, line.lad_code,
                      line.location_source, flag(line.sme).label("sme"),
                      flag(line.vcse).label("vcse"), line.supplier_key
                      ).where(line.return_id == return_id)
        for frame in query_frames(self.session, stmt, _SPEND_FRAME, size):
            yield _spend_frame(frame)

    def all_for_return(self, kind: str, return_id: int):
        model = LINE_MODELS[kind]
        stmt = select(model).where(model.return_id == return_id).order_by(model.row_number)
        return self.session.scalars(stmt.execution_options(yield_per=5000))


_SPEND_FRAME = {"pence": pl.Int64, "location_status": pl.String, "lad_code": pl.String,
                "location_source": pl.String, "sme": pl.Int8, "vcse": pl.Int8,
                "supplier_key": pl.String}




def _spend_frame(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(pl.col("sme").cast(pl.Boolean), pl.col("vcse").cast(pl.Boolean))


def _copy_rows(copy, columns: list[str], rows: Sequence[dict]) -> None:
    # itemgetter builds each tuple in C; a row lacking a column falls back to None for it.
    pick, write_row = itemgetter(*columns), copy.write_row
    for row in rows:
        try:
            values = pick(row)
        except KeyError:
            values = [row.get(c) for c in columns]
        write_row(values)


def _copy_sql(table, columns: Sequence[str]) -> str:
    names = ", ".join(f'"{c}"' for c in columns)
    return f"COPY {table.name} ({names}) FROM STDIN"  # noqa: S608 (our own names)


def _constant(column: pl.Series) -> bool:
    """Whether the column holds one value (not null) in every row."""
    return column.null_count() == 0 and column.min() == column.max()


def _names(table) -> list[str]:
    return [c.name for c in table.columns if c.name != "id"]


def _filled(table, names: Sequence[str], empty) -> list[str]:
    """The columns an insert into SQLite names: all but those NULL in every row
    (``empty(name)``) that have no default to fill in instead, since SQLite stores NULL for
    a column left out and each value bound costs a Python call. All of them if none is left."""
    kept = [name for name in names
            if table.columns[name].server_default is not None or not empty(name)]
    return kept or list(names)


def _insert_sql(table, names: list[str]) -> str:
    """SQLite's INSERT of ``names``, one ``?`` each, for executemany."""
    return (f"INSERT INTO {table.name} ({', '.join(names)}) "  # noqa: S608 (our own names)
            f"VALUES ({', '.join('?' * len(names))})")


def _stored(text: pl.Expr, kind, escaped: bool = True) -> pl.Expr:
    """A column of COPY text (nulls already read) as SQLite stores its type through SQLAlchemy:
    dates as YYYY-MM-DD text (what COPY text holds), numbers as REAL or INTEGER, booleans as
    1/0, text unescaped (if it holds a backslash: ``escaped``)."""
    if isinstance(kind, Boolean):
        return (text == "t").cast(pl.Int8)
    if isinstance(kind, Integer):
        return text.cast(pl.Int64)
    if isinstance(kind, Numeric):
        return text.cast(pl.Float64)
    if isinstance(kind, Date) and not isinstance(kind, DateTime):
        return text
    if isinstance(kind, String):
        return unescape_text(text) if escaped else text
    raise TypeError(f"no SQLite value for COPY text of {kind!r}")
