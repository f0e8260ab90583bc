"""The OAuth 2.0 authorization server: client credentials, authorization code with PKCE (S256),
rotating refresh tokens, revocation (RFC 7009), introspection (RFC 7662), metadata (RFC 8414).

Flask is imported inside ``init_app`` only, so services and models may use the pure modules of
this package (``hashing``, ``scopes``) from jobs and the CLI without a web request.
"""


def init_app(app) -> None:
    """Wire the authorization server, its grants and endpoints, the limiter and the routes."""
    from exchange.oauth import limits, routes, server

    server.init_app(app)
    limits.init_app(app)
    app.register_blueprint(routes.blp)
