"""Who is signed in to the pages, and the guards a page puts on itself.

The signed-in person's id lives in Flask's signed session cookie (exchange.pages.auth signs in and
out). Pages load the person once per request."""

from collections.abc import Callable
from functools import wraps

from flask import abort, redirect, request, session, url_for

from exchange.context import get_uow
from exchange.models.users import User

ENVIRON_KEY = "exchange.page_user"


def signed_in_user() -> User | None:
    """The signed-in person for this request (a detached User, partner loaded), or None."""
    # Kept in the request's WSGI environ, not ``g``: ``g`` outlives a request when an app context
    # was already pushed (tests, CLI), and a person must never carry over to another request.
    if ENVIRON_KEY not in request.environ:
        request.environ[ENVIRON_KEY] = _load(session.get("user_id"))
    return request.environ[ENVIRON_KEY]


def _load(user_id) -> User | None:
    if not isinstance(user_id, int):
        return None
    with get_uow() as uow:
        user = uow.session.get(User, user_id)
        if user is None or user.disabled:
            return None
        uow.session.expunge(user)
        return user


def login_required(view: Callable) -> Callable:
    """Send someone who is not signed in to the sign-in page, and back here afterwards."""

    @wraps(view)
    def guarded(*args, **kwargs):
        if signed_in_user() is None:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return guarded


def role_required(role: str) -> Callable:
    """Signed in and holding ``role`` (approver, admin); anyone else gets 403."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args, **kwargs):
            user = signed_in_user()
            if user is None:
                return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
            if not user.has_role(role):
                abort(403)
            return view(*args, **kwargs)

        return login_required(guarded)

    return decorate
