"""What a transaction may wait for: named write locks, and the database's timeouts.

Every connection has a lock timeout and a statement timeout (DATABASE_LOCK_TIMEOUT_SECONDS,
DATABASE_STATEMENT_TIMEOUT_SECONDS, set by exchange.db on PostgreSQL); a request that runs into
one is answered 503 with Retry-After. A submission waits longer for its own lock
(SUBMISSION_WAIT_SECONDS), and bulk writes, bounded by the upload limit instead, lift the
statement timeout for their transaction."""

from sqlalchemy import text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from exchange.models.locks import WriteLock

_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}

# How long a submission waits for another version of the same return to be stored first.
SUBMISSION_WAIT_SECONDS = 60

# The view aggregates and supplier scopes shared by every partner: one acceptance at a time.
AGGREGATES = "aggregates"


def submission_key(partner_id: int, kind: str, period: str) -> str:
    """One partner's returns of one kind for one period: one new version at a time."""
    return f"return:{partner_id}:{kind}:{period}"


def hold(session: Session, key: str, wait_seconds: float | None = None) -> None:
    """Take the lock named ``key`` for the rest of the session's transaction, waiting at most
    ``wait_seconds`` (which then bounds every lock wait of the transaction; else the
    connection's lock timeout). Call it first in the transaction, before reading what it
    protects."""
    dialect = session.get_bind().dialect.name
    if wait_seconds is not None and dialect == "postgresql":
        session.execute(text("SELECT set_config('lock_timeout', :ms, true)"),
                        {"ms": f"{int(wait_seconds * 1000)}ms"})
    insert = _INSERT[dialect]
    stmt = insert(WriteLock).values(key=key[:200])
    session.execute(stmt.on_conflict_do_update(index_elements=["key"],
                                               set_={"key": stmt.excluded.key}))


def bulk(session: Session) -> None:
    """Lift the statement timeout for the rest of this transaction (a whole return's lines, a
    rebuild of every aggregate)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT set_config('statement_timeout', '0', true)"))
