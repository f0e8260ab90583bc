"""The OAuth endpoints: token, revoke, introspect, authorize, and the server metadata.
Errors here are RFC 6749 error JSON ({"error", "error_description"}), as OAuth clients expect."""

from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import InvalidScopeError
from flask import Blueprint, jsonify, redirect, render_template, request, url_for

from exchange.oauth.endpoints import issuer
from exchange.oauth.limits import client_failures
from exchange.oauth.scopes import SCOPES, describe, narrow_for_user
from exchange.oauth.server import current_server, finish, respond, unsendable
from exchange.oauth.storage import transaction
from exchange.pages.auth import csrf_ok, csrf_token, current_user
from exchange.repositories.users import UserRepository

blp = Blueprint("oauth", __name__)


@blp.post("/oauth/token")
@client_failures
def token():
    """Issue tokens: client credentials, authorization code (with PKCE), refresh token."""
    return respond(lambda server: server.create_token_response())


@blp.post("/oauth/revoke")
@client_failures
def revoke():
    """Revoke an access or refresh token (RFC 7009)."""
    return respond(lambda server: server.create_endpoint_response("revocation"))


@blp.post("/oauth/introspect")
@client_failures
def introspect():
    """Say whether a token is active, and what it allows (RFC 7662)."""
    return respond(lambda server: server.create_endpoint_response("introspection"))


@blp.route("/oauth/authorize", methods=["GET", "POST"])
def authorize():
    """Ask the signed-in person to let an application act for them (GET), and answer (POST)."""
    server = current_server()
    with transaction() as unit:
        user = current_user(UserRepository(unit.session))
        try:
            grant = server.get_consent_grant(end_user=user)
            if user is None:
                return redirect(url_for("auth.login", next=request.full_path))
            if user.must_change_password:  # an administrator reset it: a new one first
                return redirect(url_for("account.password"))
            client = grant.client
            if user.partner_id != client.partner_id:
                return refusal("access_denied", f"{client.name} belongs to "
                               f"{client.partner.name}; you sign in for {user.partner.name}.",
                               403)
            scope = narrow_for_user(grant.request.scope, user.roles)
            if not scope:
                raise InvalidScopeError("You may not grant any of the scopes requested.",
                                        redirect_uri=grant.redirect_uri)
        except OAuth2Error as error:
            return authorization_error(error)
        except ValueError as error:  # Authlib refusing to echo a bad value
            return refusal("invalid_request", unsendable(error), 400)
        if request.method == "GET":
            return render_template("pages/auth/consent.html", client=client, user=user,
                                   scopes=describe(scope), csrf_token=csrf_token())
        if not csrf_ok():
            return refusal("invalid_request", "The form has expired. Go back to the "
                           "application and try again.", 400)
        allowed = request.form.get("decision") == "allow"
        response = server.create_authorization_response(grant_user=user if allowed else None,
                                                        grant=grant)
        return finish(unit, response)


def authorization_error(error: OAuth2Error):
    """Back to the client when its redirect URI is known; otherwise tell the person (or caller)."""
    if error.redirect_uri:
        return current_server().handle_error_response(None, error)
    return refusal(error.error, error.get_error_description(), error.status_code)


def refusal(error: str, description: str, status: int):
    """An error for the person at the browser (HTML) or for a program (RFC 6749 JSON)."""
    body = {"error": error, "error_description": description}
    if request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html":
        return render_template("pages/auth/oauth_error.html", **body), status
    return jsonify(body), status


@blp.get("/.well-known/oauth-authorization-server")
def metadata():
    """The authorization server's metadata (RFC 8414)."""
    base = issuer()
    secret_methods = ["client_secret_basic", "client_secret_post"]
    return jsonify({
        "issuer": base,
        "authorization_endpoint": base + url_for("oauth.authorize"),
        "token_endpoint": base + url_for("oauth.token"),
        "revocation_endpoint": base + url_for("oauth.revoke"),
        "introspection_endpoint": base + url_for("oauth.introspect"),
        "scopes_supported": sorted(SCOPES),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "client_credentials", "refresh_token"],
        "token_endpoint_auth_methods_supported": [*secret_methods, "none"],
        "revocation_endpoint_auth_methods_supported": [*secret_methods, "none"],
        "introspection_endpoint_auth_methods_supported": secret_methods,
        "code_challenge_methods_supported": ["S256"],
        "service_documentation": base + "/api/v1/docs",
    })
