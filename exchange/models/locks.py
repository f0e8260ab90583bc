"""Named write locks: one row per thing that only one transaction at a time may change.

Taking a lock upserts its row (INSERT … ON CONFLICT DO UPDATE), which holds the row's lock until
the transaction ends: on PostgreSQL a second taker waits for the first to commit or roll back; on
SQLite the upsert takes the database's write lock at once, before the transaction has read
anything, so nothing it reads can go stale. The same mechanism on both databases."""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from exchange.models.base import Base


class WriteLock(Base):
    __tablename__ = "write_lock"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
