"""The engine and session factory of one app; created by create_app, never at import."""

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker


def database_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs and use psycopg 3 for them."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def make_engine(url: str, *, statement_timeout: float = 0, lock_timeout: float = 0) -> Engine:
    """An engine; SQLite gets foreign keys, WAL and a ``bit_or`` aggregate so it behaves like the
    production database.

    On PostgreSQL every connection gets the statement and lock timeouts (seconds, 0 for none);
    SQLite has one writer at a time, and waits up to 30 s for the database's write lock."""
    url = database_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _prepare_sqlite)
        return engine
    options = (f"-c statement_timeout={int(statement_timeout * 1000)} "
               f"-c lock_timeout={int(lock_timeout * 1000)}")
    return create_engine(url, pool_pre_ping=True, connect_args={"options": options})


class _BitOr:
    """PostgreSQL's ``bit_or`` aggregate, which SQLite lacks (the supplier quarter masks)."""

    def __init__(self):
        self.value = None

    def step(self, value):
        if value is not None:
            self.value = value if self.value is None else self.value | value

    def finalize(self):
        return self.value


def _prepare_sqlite(dbapi_connection, _record) -> None:
    dbapi_connection.create_aggregate("bit_or", 1, _BitOr)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)
