"""A very short in-process memory of validated bearer tokens, so a burst of API calls with one
token reads it from the database once every ``TTL_SECONDS``, not on every request.

Revocation still takes effect:

- **at once in this process**: any UPDATE or DELETE of a token, client, person or partner row
  through this app's engine empties the memory as it runs, when its transaction commits and
  when the connection returns to the pool (and an entry read while such a write was under way
  is not kept), so the next request reads the row again;
- **within ``TTL_SECONDS`` in every other process** (other gunicorn workers, the CLI): entries
  are forgotten that long after they were read.

Only live tokens are remembered (an unknown or dead token is looked up every time), keyed by
the hash of the token, never the token itself; expiry is checked on every request."""

import threading
import time
import weakref

from sqlalchemy import event
from sqlalchemy.engine import Engine

TTL_SECONDS = 2.0
MAX_ENTRIES = 10_000
WATCHED_TABLES = ("oauth_token", "oauth_client", "hub_user", "partner")
_STALE = "exchange.token_cache.stale"
_COMMITTED = "exchange.token_cache.committed"


class TokenCache:
    """Entries kept ``ttl`` seconds at most, all forgotten when a watched table is written."""

    def __init__(self, ttl: float = TTL_SECONDS):
        self.ttl = ttl
        self._entries: dict[str, tuple[float, object]] = {}
        self._generation = 0
        self._lock = threading.Lock()

    @property
    def generation(self) -> int:
        return self._generation

    def get(self, key: str):
        entry = self._entries.get(key)
        if entry is None or entry[0] <= time.monotonic():
            return None
        return entry[1]

    def put(self, key: str, value, generation: int) -> None:
        """Remember ``value`` unless a watched write happened since ``generation`` was read."""
        with self._lock:
            if generation != self._generation:
                return
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()
            self._entries[key] = (time.monotonic() + self.ttl, value)

    def clear(self) -> None:
        with self._lock:
            self._generation += 1
            self._entries.clear()


_caches: "weakref.WeakKeyDictionary[Engine, dict[str, TokenCache]]" = (
    weakref.WeakKeyDictionary())
_setup = threading.Lock()


def cache_for(engine: Engine, name: str = "tokens", tables: tuple[str, ...] = WATCHED_TABLES,
              ttl: float = TTL_SECONDS) -> TokenCache:
    """The engine's memory called ``name`` (the tokens by default), watching the engine's
    writes to ``tables`` from its first use."""
    cache = _caches.get(engine, {}).get(name)
    if cache is not None:
        return cache
    with _setup:
        named = _caches.setdefault(engine, {})
        if name not in named:
            named[name] = TokenCache(ttl)
            _watch(engine, named[name], name, tables)
        return named[name]


def _writes(statement: str, tables: tuple[str, ...]) -> bool:
    head = statement.lstrip()[:6].upper()
    if head not in ("UPDATE", "DELETE"):
        return False
    lowered = statement.lower()
    return any(table in lowered for table in tables)


def _watch(engine: Engine, cache: TokenCache, name: str, tables: tuple[str, ...]) -> None:
    stale, committed = f"{_STALE}.{name}", f"{_COMMITTED}.{name}"

    @event.listens_for(engine, "before_cursor_execute")
    def _on_write(conn, cursor, statement, parameters, context, executemany):
        if _writes(statement, tables):
            conn.info[stale] = True
            cache.clear()

    @event.listens_for(engine, "commit")
    def _on_commit(conn):
        if conn.info.pop(stale, False):
            cache.clear()
            conn.info[committed] = True

    @event.listens_for(engine, "checkin")
    def _on_checkin(dbapi_connection, record):
        # once more when the connection is back in the pool, the commit surely done
        if record.info.pop(committed, False):
            cache.clear()

    @event.listens_for(engine, "rollback")
    def _on_rollback(conn):
        conn.info.pop(stale, False)
