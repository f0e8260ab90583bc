"""Signing in and out of the hub with an email address and password.

Signing in starts a session kept by the hub (exchange.services.admin.web_sessions) whose random id
goes in Flask's signed session cookie; signing out ends it. Forms carry a CSRF token kept in the
same cookie (exchange.web.csrf checks it before every page POST). The API never reads this session:
it is bearer-only (exchange.auth)."""

from urllib.parse import urlsplit

from flask import Blueprint, abort, redirect, render_template, request, session, url_for

from exchange.context import get_uow
from exchange.emails import normalise_email
from exchange.models.users import User
from exchange.oauth import hashing
from exchange.oauth.limits import login_failures
from exchange.repositories.users import UserRepository
from exchange.services.admin import web_sessions
from exchange.web.access import SESSION_KEY, signed_in_user
from exchange.web.csrf import csrf_ok, csrf_token

__all__ = ["blp", "csrf_ok", "csrf_token", "current_user", "safe_next"]

blp = Blueprint("auth", __name__)


def current_user(users: UserRepository) -> User | None:
    """The signed-in person (in ``users``' database session), if there is one."""
    found = signed_in_user()
    return users.get(found.id) if found is not None else None


def safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect to somewhere else, nor a header
    split by a line break (or any other control character or space) in the Location."""
    if (not target or not target.startswith("/") or target.startswith("//") or "\\" in target
            or any(ord(c) <= 0x20 or ord(c) == 0x7F for c in target)):
        return url_for("auth.signed_in")
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else url_for("auth.signed_in")


@blp.route("/login", methods=["GET", "POST"])
@login_failures
def login():
    """Sign in with email address and password."""
    next_url = request.values.get("next", "")
    if request.method == "GET":
        return render_template("pages/auth/login.html", next=next_url, errors={}, email="",
                               csrf_token=csrf_token())
    email = request.form.get("email", "").strip().lower()
    password = request.form.get("password", "")
    errors = {}
    if not csrf_ok():
        errors["form"] = "Your session has expired. Please sign in again."
    if not email:
        errors["email"] = "Enter your email address."
    if not password:
        errors["password"] = "Enter your password."  # noqa: S105 (a message, not a password)
    if errors:
        return _login_again(errors, email, next_url)
    with get_uow() as uow:
        users = UserRepository(uow.session)
        user = users.by_email(canonical_email(email))
        ok = hashing.verify_password(user.password_hash if user else None, password)
        if not ok or user.disabled:
            return _login_again({"form": "The email address or password is not right."},
                                email, next_url)
        if hashing.password_needs_rehash(user.password_hash):
            user.password_hash = hashing.hash_password(password)
        uow.audit.add(f"user:{user.email}", "user.login", partner_slug=user.partner.slug)
        session_id = web_sessions.start(uow, user.id)
        uow.commit()
    session.clear()  # a new session on sign-in: nothing from before carries over
    session[SESSION_KEY] = session_id
    return redirect(safe_next(next_url))


def canonical_email(typed: str) -> str:
    """The address as accounts are stored (exchange.emails), or as typed when it is none."""
    try:
        return normalise_email(typed)
    except ValueError:
        return typed


def _login_again(errors: dict, email: str, next_url: str):
    return render_template("pages/auth/login.html", next=next_url, errors=errors, email=email,
                           csrf_token=csrf_token()), 400


@blp.route("/logout", methods=["GET", "POST"])
def logout():
    """Sign out (GET asks first, so a link elsewhere cannot sign you out)."""
    if request.method == "GET":
        return render_template("pages/auth/logout.html", csrf_token=csrf_token())
    if not csrf_ok():
        abort(400)
    web_sessions.end(get_uow(), session.get(SESSION_KEY))
    session.clear()
    return redirect(url_for("auth.login"))


@blp.get("/signed-in")
def signed_in():
    """Where sign-in lands when nothing asked for a page (the partner home comes later)."""
    with get_uow() as uow:
        user = current_user(UserRepository(uow.session))
        if user is None:
            return redirect(url_for("auth.login"))
        return render_template("pages/auth/signed_in.html", user=user, csrf_token=csrf_token())
