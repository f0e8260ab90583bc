"""Signed-in sessions kept by the hub (exchange.models.sessions): started at sign-in, checked
on every page against the idle and absolute timeouts, and ended by signing out, a password
change or reset, or disabling the person. The browser holds the random id; the hub its hash."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from exchange.models.base import utcnow
from exchange.models.sessions import WebSession
from exchange.repositories.web_sessions import WebSessionRepository
from exchange.unit_of_work import UnitOfWork

# last_seen_at is written at most this often: not a database write for every page.
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class Timeouts:
    idle: timedelta  # unused this long, a session ends
    absolute: timedelta  # however much it is used, a session ends this long after sign-in

    @classmethod
    def from_config(cls, config) -> "Timeouts":
        return cls(timedelta(minutes=float(config["SESSION_IDLE_MINUTES"])),
                   timedelta(hours=float(config["SESSION_MAX_HOURS"])))


def digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def start(uow: UnitOfWork, user_id: int) -> str:
    """A new session of the person, in the caller's transaction; returns its id (for the
    cookie only: the hub keeps its hash)."""
    session_id = secrets.token_urlsafe(32)
    WebSessionRepository(uow.session).add(WebSession(id_hash=digest(session_id),
                                                     user_id=user_id))
    return session_id


def end_all(uow: UnitOfWork, user_id: int) -> int:
    """End every session of the person, in the caller's transaction."""
    return WebSessionRepository(uow.session).delete_for_user(user_id)


def end(uow: UnitOfWork, session_id: str | None) -> None:
    """Sign one browser out."""
    if not session_id:
        return
    with uow:
        WebSessionRepository(uow.session).delete_by_hash(digest(session_id))
        uow.commit()


def user_of(uow: UnitOfWork, session_id: object, timeouts: Timeouts,
            now: datetime | None = None) -> int | None:
    """The id of the person signed in with this session id, or None: unknown, ended, idle for
    longer than ``timeouts.idle`` or older than ``timeouts.absolute`` (it is ended then)."""
    if not isinstance(session_id, str) or not session_id:
        return None
    now = now or utcnow()
    with uow:
        sessions = WebSessionRepository(uow.session)
        found = sessions.by_hash(digest(session_id))
        if found is None:
            return None
        if now - found.last_seen_at > timeouts.idle or now - found.created_at > timeouts.absolute:
            sessions.delete_by_hash(found.id_hash)
            uow.commit()
            return None
        if now - found.last_seen_at >= TOUCH_EVERY:
            found.last_seen_at = now
            uow.commit()
        return found.user_id
