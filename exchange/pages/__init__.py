"""Server-rendered pages: one blueprint per area, templates under templates/pages/<area>/."""

from flask import Flask

from exchange.pages import (
    account,
    admin,
    approvals,
    auth,
    column_mappings,
    dashboards,
    home,
    reports,
    returns_pages,
    upload,
)

BLUEPRINTS: list = [auth.blp, account.blp, home.blp, upload.blp, returns_pages.blp,
                    approvals.blp, dashboards.blp, admin.blp, reports.blp, column_mappings.blp]


def init_app(app: Flask) -> None:
    from exchange import web

    web.init_app(app)
    for blp in BLUEPRINTS:
        app.register_blueprint(blp)
