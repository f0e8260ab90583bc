"""The REST API under /api/v1: one flask-smorest Blueprint per resource."""

from importlib.resources import files

from flask import Blueprint, Flask, send_from_directory
from flask_smorest import Api
from swagger_ui_bundle import swagger_ui_path

from exchange.api import (
    admin,
    feeds,
    mappings,
    meta,
    partners,
    periods,
    return_reports,
    returns,
    standard,
    suppliers,
    views,
)
from exchange.api.docs import ErrorSchema
from exchange.oauth.scopes import SCOPES

BLUEPRINTS = [meta.blp, partners.blp, returns.blp, return_reports.blp, standard.blp, views.blp,
              feeds.blp, periods.blp, admin.blp, mappings.blp, suppliers.blp]

swagger_assets = Blueprint("swagger_ui", __name__)


class ExchangeApi(Api):
    """flask-smorest's Api, documenting the hub's own error body."""

    ERROR_SCHEMA = ErrorSchema


@swagger_assets.get("/static/swagger-ui/<path:filename>")
def swagger_ui_asset(filename: str):
    """Swagger UI served from the installed package, so the docs work without the internet."""
    return send_from_directory(swagger_ui_path, filename)


def init_app(app: Flask) -> Api:
    flows = {
        "clientCredentials": {"tokenUrl": "/oauth/token", "scopes": SCOPES},
        "authorizationCode": {"authorizationUrl": "/oauth/authorize",
                              "tokenUrl": "/oauth/token", "refreshUrl": "/oauth/token",
                              "scopes": SCOPES},
    }
    guide = files("exchange.api").joinpath("guide.md").read_text(encoding="utf-8")
    api = ExchangeApi(app, spec_kwargs={
        "info": {"description": guide},
        "components": {"securitySchemes": {"oauth2": {"type": "oauth2", "flows": flows}}}})
    for blp in BLUEPRINTS:
        api.register_blueprint(blp, url_prefix="/api/v1")
    app.register_blueprint(swagger_assets)
    app.add_url_rule("/healthz", "healthz", meta.healthz)
    app.add_url_rule("/readyz", "readyz", meta.readyz)
    app.extensions["exchange"]["api"] = api
    return api
