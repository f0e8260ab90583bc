"""The OAuth 2.0 authorization server (placeholder until the OAuth work lands)."""

from flask import Flask


def init_app(app: Flask) -> None:
    pass
