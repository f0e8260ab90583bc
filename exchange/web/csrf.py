"""CSRF protection for every form: a token per session, checked before any page POST.

The API and the OAuth token endpoints are exempt: they take bearer tokens or client credentials,
never the session cookie, so a cross-site request cannot borrow a signed-in person's rights."""

import hmac
import secrets

from flask import Flask, render_template, request, session

FIELD = "csrf_token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# Endpoints that never read the session cookie: client-authenticated or bearer-only.
EXEMPT_ENDPOINTS = {"oauth.token", "oauth.revoke", "oauth.introspect"}
EXEMPT_PREFIXES = ("/api/",)
# Forms that check the token themselves, to show their own error summary with the form again.
SELF_CHECKED = {"auth.login"}


def csrf_token() -> str:
    """This session's CSRF token, made on first use."""
    if FIELD not in session:
        session[FIELD] = secrets.token_urlsafe(32)
    return session[FIELD]


def csrf_ok() -> bool:
    """Whether the form sent this session's token."""
    sent = request.form.get(FIELD, "")
    kept = session.get(FIELD, "")
    return bool(sent) and bool(kept) and hmac.compare_digest(sent, kept)


def exempt() -> bool:
    return (request.method in SAFE_METHODS or request.endpoint in EXEMPT_ENDPOINTS | SELF_CHECKED
            or request.path.startswith(EXEMPT_PREFIXES))


def init_app(app: Flask) -> None:
    app.jinja_env.globals["csrf_token"] = csrf_token

    @app.before_request
    def check_csrf():
        if exempt() or csrf_ok():
            return None
        return render_template("pages/auth/form_expired.html"), 400
