"""What every page of the site shares: security headers, CSRF, the signed-in person and the
navigation. The API (bearer tokens, JSON) shares only the headers."""

from flask import Flask

from exchange.web import csrf, demo, navigation, people, security


def init_app(app: Flask) -> None:
    security.init_app(app)
    csrf.init_app(app)
    navigation.init_app(app)
    demo.init_app(app)
    people.init_app(app)
