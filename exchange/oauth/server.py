"""The Authlib authorization server on the hub's database: one unit of work per OAuth request,
committed only when the response succeeds, and tokens hashed before they are stored (the
storage callbacks are in `exchange.oauth.storage`, which the grants and endpoints share)."""

from collections.abc import Callable

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import InvalidRequestError
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from flask import Flask, Response, current_app

from exchange.oauth import endpoints, grants, hashing
from exchange.oauth.scopes import SCOPES
from exchange.oauth.storage import query_client, save_token, transaction
from exchange.unit_of_work import UnitOfWork

MAX_ACCESS_TOKEN_SECONDS = 3600  # the spec's ceiling, whatever the configuration says


class IssuedToken(dict):
    """The token response. Authlib logs it at DEBUG ("Issue token %r"), so its repr hides the
    secrets; the JSON body is unaffected."""

    SECRET_KEYS = ("access_token", "refresh_token", "id_token")

    def __repr__(self) -> str:
        shown = {k: ("<redacted>" if k in self.SECRET_KEYS else v) for k, v in self.items()}
        return f"IssuedToken({shown!r})"


def current_server() -> AuthorizationServer:
    return current_app.extensions["exchange"]["oauth_server"]


def respond(create: Callable[[AuthorizationServer], Response]) -> Response:
    """Run one Authlib endpoint in a transaction; keep its writes only if it succeeded."""
    server = current_server()
    with transaction() as unit:
        try:
            return finish(unit, create(server))
        except OAuth2Error as error:  # raised before Authlib's own handling, e.g. plain http
            return server.handle_error_response(None, error)
        except ValueError as error:
            return server.handle_error_response(None, InvalidRequestError(unsendable(error)))


def finish(unit: UnitOfWork, response: Response) -> Response:
    """Commit what an OAuth endpoint wrote when its response is a success or a redirect."""
    if response.status_code < 400:
        unit.commit()
    return response


def unsendable(error: ValueError) -> str:
    """What to tell a client whose request Authlib choked on: bytes that are not UTF-8 (in
    HTTP Basic credentials, say), or a bad value Authlib refuses to echo because RFC 6749
    forbids its characters in an error description. Any other ValueError is a bug: re-raised."""
    if isinstance(error, UnicodeError):
        return "The request is not valid UTF-8."
    if "forbidden characters" in str(error):
        return "The request contains characters that are not allowed."
    raise error


def access_token_seconds(client=None, grant_type=None) -> int:
    """ACCESS_TOKEN_SECONDS, read per request (tests change it), and never over an hour."""
    return min(int(current_app.config["ACCESS_TOKEN_SECONDS"]), MAX_ACCESS_TOKEN_SECONDS)


def generate_token(**kwargs) -> IssuedToken:
    bearer = BearerTokenGenerator(
        access_token_generator=lambda **_: hashing.new_token(),
        refresh_token_generator=lambda **_: hashing.new_token(),
        expires_generator=access_token_seconds,
    )
    return IssuedToken(bearer(**kwargs))


def init_app(app: Flask) -> AuthorizationServer:
    server = AuthorizationServer(app, query_client=query_client, save_token=save_token)
    server.scopes_supported = sorted(SCOPES)
    server.register_token_generator("default", generate_token)
    server.register_grant(grants.ClientCredentialsGrant)
    server.register_grant(grants.AuthorizationCodeGrant, [grants.S256CodeChallenge(required=True)])
    server.register_grant(grants.RefreshTokenGrant)
    server.register_endpoint(endpoints.RevocationEndpoint)
    server.register_endpoint(endpoints.IntrospectionEndpoint)
    app.extensions["exchange"]["oauth_server"] = server
    return server

