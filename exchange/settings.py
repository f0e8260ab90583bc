"""Load settings: defaults, then a test object or the environment; refuse unsafe production."""

import os
from datetime import timedelta

from flask import Flask

from exchange import instance_key
from exchange.errors import ConfigError


def load_settings(app: Flask, config_object=None) -> None:
    """Fill ``app.config``; production (EXCHANGE_ENV=production) fails without real secrets."""
    app.config.from_object("config.default")
    if config_object is not None:
        app.config.from_object(config_object)
        use_instance_key(app.config)
        limit_cookie_lifetime(app.config)
        return
    if os.environ.get("EXCHANGE_ENV") == "production":
        app.config.from_object("config.production")
    # Read without the EXCHANGE_ prefix too: the names operators (and other tools) know them by.
    for name in ("DATABASE_URL", "SECRET_KEY", "SMTP_URL", "RATELIMIT_STORAGE_URI", "BLOB_STORE"):
        if os.environ.get(name):
            app.config[name] = os.environ[name]
    app.config.from_prefixed_env("EXCHANGE")
    use_instance_key(app.config)
    limit_cookie_lifetime(app.config)
    check_production(app.config)


def limit_cookie_lifetime(config) -> None:
    """No session cookie outlives the session it names (Flask's default is 31 days)."""
    config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=float(config["SESSION_MAX_HOURS"]))


def use_instance_key(config) -> None:
    """Without a SECRET_KEY, sign with the instance's own random key: made on first use outside
    production; in production only one already there (several hosts need the same SECRET_KEY)."""
    if config.get("SECRET_KEY"):
        return
    if config.get("ENV") == "production":
        config["SECRET_KEY"] = instance_key.read(config["SECRET_KEY_FILE"])
    else:
        config["SECRET_KEY"] = instance_key.ensure(config["SECRET_KEY_FILE"])[0]


def check_production(config) -> None:
    """Refuse to serve production without a secret key or with the default database."""
    if config.get("ENV") != "production":
        return
    if not config.get("SECRET_KEY"):
        raise ConfigError("SECRET_KEY must be set in production: in the environment, or as a "
                          "key file at SECRET_KEY_FILE (`hub init` writes one outside production).")
    if not os.environ.get("DATABASE_URL") and not os.environ.get("EXCHANGE_DATABASE_URL"):
        raise ConfigError("DATABASE_URL must be set in the environment in production.")
