"""Security headers on every response, and the session cookie's flags.

The Content-Security-Policy allows scripts, styles and images from this site only: no inline
script or style (GOV.UK Frontend's ``govuk-frontend-supported`` class is set by a static file)."""

import re
from urllib.parse import urlsplit

from flask import Flask, Response, request

DIRECTIVES = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
]
CONTENT_SECURITY_POLICY = "; ".join([*DIRECTIVES, "form-action 'self'"])
# The consent form's answer redirects to the application's redirect URI: browsers apply
# form-action to that redirect, so the consent page also allows the redirect URI's origin.
CONSENT_ENDPOINT = "oauth.authorize"
# A host and port only: nothing that could end the directive or add another (";", spaces).
HOST = re.compile(r"[A-Za-z0-9.-]+(:[0-9]{1,5})?")

PUBLIC_PATHS = ("/api/v1/standard", "/api/v1/openapi.json", "/api/v1/docs")

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def init_app(app: Flask) -> None:
    """Session cookies HttpOnly and SameSite=Lax always; Secure from SESSION_COOKIE_SECURE
    (true in production, false for development over plain http)."""
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    policy = app.config.get("CONTENT_SECURITY_POLICY") or CONTENT_SECURITY_POLICY

    @app.after_request
    def secure_headers(response: Response) -> Response:
        consent = request.endpoint == CONSENT_ENDPOINT and response.mimetype == "text/html"
        response.headers.setdefault("Content-Security-Policy",
                                    consent_policy() if consent else policy)
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if app.config.get("SESSION_COOKIE_SECURE"):  # served over HTTPS: keep it that way
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if response.mimetype == "text/html" or _private(request.path):
            cache = response.headers.get("Cache-Control", "")
            if "private" not in cache and "no-store" not in cache:
                response.headers["Cache-Control"] = "no-store"
        return response


def _private(path: str) -> bool:
    """API and OAuth answers carry partner data or tokens: no cache keeps them (a response that
    says ``private`` itself, as the feeds do for their ETags, keeps its own rule). The published
    standard and the API's description are for anyone."""
    return path.startswith(("/api/", "/oauth/")) and not path.startswith(PUBLIC_PATHS)


def consent_policy() -> str:
    """The policy of the OAuth consent page: forms may go to this site and to the origin of the
    redirect URI asked for (Authlib checked it against the client's registered ones before
    showing the page). Without one, the client's registered default is used: any https origin."""
    target = urlsplit(request.args.get("redirect_uri", ""))
    if target.scheme in ("http", "https") and HOST.fullmatch(target.netloc):
        allowed = f"{target.scheme}://{target.netloc}"
    else:
        allowed = "https:"
    return "; ".join([*DIRECTIVES, f"form-action 'self' {allowed}"])
