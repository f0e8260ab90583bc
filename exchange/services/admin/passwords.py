"""A person's password: changed by the person (with the current one), or reset by an
administrator (a temporary one, to be changed at the next sign-in). Either ends every session of
the person; each is audited, without the password."""

import secrets
from dataclasses import dataclass

from exchange.errors import NotFound
from exchange.models.users import User
from exchange.oauth import hashing
from exchange.repositories.users import UserRepository
from exchange.services.admin import web_sessions
from exchange.services.admin.accounts import MIN_PASSWORD
from exchange.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Changed:
    """The outcome of a change: errors by field, or the id of the session that goes on."""

    errors: dict[str, str]
    session_id: str | None = None


def change_password(uow: UnitOfWork, user_id: int, current: str, new: str,
                    confirm: str) -> Changed:
    """Set a new password, end every session of the person and start one for this browser."""
    errors = {}
    if len(new) < MIN_PASSWORD:
        errors["new_password"] = f"Use a new password of at least {MIN_PASSWORD} characters."
    elif new != confirm:
        errors["confirm_password"] = "The two new passwords are not the same."  # noqa: S105
    with uow:
        user = UserRepository(uow.session).get(user_id)
        if user is None or user.disabled:
            raise NotFound("There is no such person.")
        if not hashing.verify_password(user.password_hash, current):
            errors = {"current_password": "Your current password is not right.",  # noqa: S105
                      **errors}
        elif new == current and not errors:
            errors["new_password"] = "Choose a password that is not your current one."  # noqa: S105
        if errors:
            return Changed(errors)
        _set(uow, user, new, must_change=False)
        session_id = web_sessions.start(uow, user.id)
        uow.audit.add(f"user:{user.email}", "user.password_change",
                      partner_slug=user.partner.slug, subject=user.email)
        uow.commit()
        return Changed({}, session_id)


def reset_password(uow: UnitOfWork, *, user_id: int | None = None, email: str | None = None,
                   actor: str = "cli") -> tuple[str, str]:
    """Give the person a temporary password they must change at their next sign-in, and end
    every session of theirs; returns (their email address, the temporary password)."""
    temporary = secrets.token_urlsafe(12)
    with uow:
        users = UserRepository(uow.session)
        user = users.get(user_id) if user_id is not None else users.by_email(email or "")
        if user is None:
            raise NotFound(f"There is no user {email or user_id}.")
        _set(uow, user, temporary, must_change=True)
        uow.audit.add(actor, "user.password_reset", partner_slug=user.partner.slug,
                      subject=user.email)
        uow.commit()
        return user.email, temporary


def _set(uow: UnitOfWork, user: User, password: str, *, must_change: bool) -> None:
    user.password_hash = hashing.hash_password(password)
    user.must_change_password = must_change
    web_sessions.end_all(uow, user.id)
