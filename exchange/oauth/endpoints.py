"""Token revocation (RFC 7009) and introspection (RFC 7662) on hashed storage.

Authlib has no SQLAlchemy helper for these, and its defaults judge a token by its access half
only; here the presented string is hashed and matched against both halves, and each half is
judged on its own (a live refresh token may outlive its access token)."""

from authlib.consts import default_json_headers
from authlib.oauth2.rfc7009 import RevocationEndpoint as _RevocationEndpoint
from authlib.oauth2.rfc7662 import IntrospectionEndpoint as _IntrospectionEndpoint
from flask import current_app
from flask import request as flask_request

from exchange.models.base import utcnow
from exchange.models.oauth import OAuthClient, OAuthToken
from exchange.oauth import hashing
from exchange.oauth.storage import repo, uow


def find_token(value: str, hint: str | None) -> tuple[OAuthToken | None, str | None]:
    """The token whose access or refresh half is ``value``, and which half it is. The hint
    only orders the search (RFC 7009 2.1, RFC 7662 2.1)."""
    kinds = ["refresh_token", "access_token"] if hint == "refresh_token" else [
        "access_token", "refresh_token"]
    for kind in kinds:
        find = repo().token_by_refresh if kind == "refresh_token" else repo().token_by_access
        token = find(value)
        if token is not None:
            return token, kind
    return None, None


def is_active(token: OAuthToken, kind: str) -> bool:
    if token.client.revoked_at is not None or (token.user is not None and token.user.disabled):
        return False
    if kind == "refresh_token":
        return token.refresh_usable()
    return not token.is_revoked() and not token.is_expired()


class RevocationEndpoint(_RevocationEndpoint):
    """A client revokes one of its own tokens; revoking a refresh token ends the whole grant."""

    CLIENT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]

    def query_token(self, token_string: str, token_type_hint: str | None):
        return find_token(token_string, token_type_hint)[0]

    def revoke_token(self, token: OAuthToken, request) -> None:
        presented = hashing.hash_token(request.form["token"])
        now = utcnow()
        if presented == token.refresh_token_hash:
            # RFC 7009 2.1: revoking a refresh token SHOULD revoke the access tokens of its grant.
            count = repo().revoke_family(token.family, now)
            kind = "refresh_token"
        else:
            count = int(token.revoked_at is None)
            token.revoked_at = token.revoked_at or now
            kind = "access_token"
        uow().audit.add(f"client:{request.client.client_id}", "token.revoke",
                        partner_slug=token.partner.slug, subject=f"token:{token.id}",
                        kind=kind, tokens_revoked=count)


class IntrospectionEndpoint(_IntrospectionEndpoint):
    """Confidential clients only; a client sees tokens of its own partner, or all with admin."""

    CLIENT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

    def create_endpoint_response(self, request):
        client = self.authenticate_endpoint_client(request)
        self.check_params(request, client)
        token, kind = find_token(request.form["token"], request.form.get("token_type_hint"))
        if (token is None or not self.check_permission(token, client, request)
                or not is_active(token, kind)):
            return 200, {"active": False}, default_json_headers
        return 200, self.introspect(token, kind), default_json_headers

    def check_permission(self, token: OAuthToken, client: OAuthClient, request) -> bool:
        return token.partner_id == client.partner_id or "admin" in client.scope.split()

    def introspect(self, token: OAuthToken, kind: str) -> dict:
        expires = token.refresh_expires_at if kind == "refresh_token" else token.expires_at
        body = {
            "active": True,
            "scope": token.scope,
            "client_id": token.client_id,
            "exp": int(expires.timestamp()),
            "iat": int(token.issued_at.timestamp()),
            "iss": issuer(),
            "sub": f"user:{token.user.email}" if token.user else f"client:{token.client_id}",
            "partner": token.partner.slug,
        }
        if kind == "access_token":
            body["token_type"] = token.token_type
        if token.user is not None:
            body["username"] = token.user.email
        return body

    def introspect_token(self, token: OAuthToken) -> dict:
        return self.introspect(token, "access_token")


def issuer() -> str:
    """OAUTH2_ISSUER when configured (behind a proxy), else this server's own root URL."""
    return current_app.config.get("OAUTH2_ISSUER") or flask_request.url_root.rstrip("/")
