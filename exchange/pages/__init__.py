"""Server-rendered pages: one blueprint per area, templates under templates/pages/<area>/."""

from flask import Flask

BLUEPRINTS: list = []


def init_app(app: Flask) -> None:
    for blp in BLUEPRINTS:
        app.register_blueprint(blp)
