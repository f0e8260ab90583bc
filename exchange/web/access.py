"""Who is signed in to the pages, and the guards a page puts on itself.

Flask's signed session cookie holds a random session id; the hub keeps its hash as a row
(exchange.services.admin.web_sessions), which signing out, a password change or reset and disabling
the person end at once, as do the idle and absolute timeouts. Pages load the person once per
request. Someone whose password an administrator reset may only choose a new one."""

from collections.abc import Callable
from functools import wraps

from flask import abort, current_app, redirect, request, session, url_for

from exchange.context import get_uow
from exchange.models.users import User
from exchange.services.admin import web_sessions

ENVIRON_KEY = "exchange.page_user"
SESSION_KEY = "sid"
# Where someone who must choose a new password may still go.
WHILE_RESET = {"account.password", "auth.logout"}


def signed_in_user() -> User | None:
    """The signed-in person for this request (a detached User, partner loaded), or None."""
    # Kept in the request's WSGI environ, not ``g``: ``g`` outlives a request when an app context
    # was already pushed (tests, CLI), and a person must never carry over to another request.
    if ENVIRON_KEY not in request.environ:
        request.environ[ENVIRON_KEY] = _load(session.get(SESSION_KEY))
    return request.environ[ENVIRON_KEY]


def _load(session_id) -> User | None:
    timeouts = web_sessions.Timeouts.from_config(current_app.config)
    user_id = web_sessions.user_of(get_uow(), session_id, timeouts)
    if user_id is None:
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
        user = signed_in_user()
        if user is None:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        if user.must_change_password and request.endpoint not in WHILE_RESET:
            return redirect(url_for("account.password"))
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
