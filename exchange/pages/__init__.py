"""Server-rendered pages: one blueprint per area, templates under templates/pages/<area>/."""

from flask import Flask

from exchange.pages import auth, home

BLUEPRINTS: list = [auth.blp, home.blp]


def init_app(app: Flask) -> None:
    for blp in BLUEPRINTS:
        app.register_blueprint(blp)
