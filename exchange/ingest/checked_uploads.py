"""The bytes of a "check only" upload, kept for the web session that checked it so that
"Submit this file" submits exactly what was checked (no second choice of file, no other bytes).

Security (see the dry-run note in the README): a check still stores nothing in the blob store and
no return; the bytes live in one ``checked_upload`` row of the session — deleted with the session
(signing out, a password change, timeouts), when submitted, when the session checks another file,
and after ``CHECKED_UPLOAD_MINUTES``; files over ``CHECKED_UPLOAD_MAX_BYTES`` are not kept (the
person chooses the file again)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from exchange.models.checks import CheckedUpload
from exchange.models.sessions import WebSession
from exchange.services.admin.web_sessions import digest
from exchange.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Limits:
    minutes: int
    max_bytes: int

    @classmethod
    def from_config(cls, config) -> "Limits":
        return cls(int(config["CHECKED_UPLOAD_MINUTES"]), int(config["CHECKED_UPLOAD_MAX_BYTES"]))


@dataclass(frozen=True)
class Checked:
    kind: str
    period: str
    filename: str | None
    sha256: str
    content: bytes


def keep_checked(uow: UnitOfWork, session_id: str, user_id: int, check_id: str, kind: str,
                 period: str, filename: str | None, sha256: str, content: bytes,
                 now: datetime, limits: Limits) -> bool:
    """Keep a checked file for this web session in place of any earlier one; False (nothing
    kept) when it is too big or the session is gone."""
    if len(content) > limits.max_bytes:
        return False
    with uow:
        session_row = _session_row(uow, session_id)
        if session_row is None:
            return False
        uow.session.execute(delete(CheckedUpload).where(
            (CheckedUpload.web_session_id == session_row)
            | (CheckedUpload.created_at < now - timedelta(minutes=limits.minutes))))
        uow.session.add(CheckedUpload(id=check_id, web_session_id=session_row, user_id=user_id,
                                      kind=kind, period=period, filename=filename,
                                      sha256=sha256, created_at=now, content=content))
        uow.commit()
    return True


def take_checked(uow: UnitOfWork, session_id: str, user_id: int, check_id: str, now: datetime,
                 limits: Limits) -> Checked | None:
    """The kept file of this check, for this session and person, removed as it is taken; None
    when there is none (another session's, expired, already submitted)."""
    with uow:
        session_row = _session_row(uow, session_id)
        found = uow.session.scalars(select(CheckedUpload).where(
            CheckedUpload.id == check_id, CheckedUpload.web_session_id == session_row,
            CheckedUpload.user_id == user_id)).first() if session_row else None
        if found is None:
            return None
        taken = Checked(found.kind, found.period, found.filename, found.sha256,
                        bytes(found.content))
        fresh = found.created_at >= now - timedelta(minutes=limits.minutes)
        uow.session.delete(found)
        uow.commit()
    return taken if fresh else None


def has_checked(uow: UnitOfWork, session_id: str, check_id: str) -> bool:
    with uow:
        session_row = _session_row(uow, session_id)
        return session_row is not None and uow.session.scalar(select(CheckedUpload.id).where(
            CheckedUpload.id == check_id, CheckedUpload.web_session_id == session_row)) is not None


def _session_row(uow: UnitOfWork, session_id: str | None) -> int | None:
    if not session_id:
        return None
    return uow.session.scalar(select(WebSession.id).where(
        WebSession.id_hash == digest(session_id)))
