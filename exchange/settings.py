"""Load settings: defaults, then a test object or the environment; refuse unsafe production."""

import os

from flask import Flask

from config import default
from exchange.errors import ConfigError


def load_settings(app: Flask, config_object=None) -> None:
    """Fill ``app.config``; production (EXCHANGE_ENV=production) fails without real secrets."""
    app.config.from_object("config.default")
    if config_object is not None:
        app.config.from_object(config_object)
        return
    if os.environ.get("EXCHANGE_ENV") == "production":
        app.config.from_object("config.production")
    for name in ("DATABASE_URL", "SECRET_KEY", "SMTP_URL"):
        if os.environ.get(name):
            app.config[name] = os.environ[name]
    app.config.from_prefixed_env("EXCHANGE")
    check_production(app.config)


def check_production(config) -> None:
    """Refuse to serve production with the development secret or the default database."""
    if config.get("ENV") != "production":
        return
    if not config.get("SECRET_KEY") or config["SECRET_KEY"] == default.SECRET_KEY:
        raise ConfigError("SECRET_KEY must be set in the environment in production.")
    if not os.environ.get("DATABASE_URL") and not os.environ.get("EXCHANGE_DATABASE_URL"):
        raise ConfigError("DATABASE_URL must be set in the environment in production.")
