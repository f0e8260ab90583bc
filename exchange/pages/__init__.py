"""Server-rendered pages: one blueprint per area, templates under templates/pages/<area>/.

The blueprints are imported in init_app, not here, so that exchange.pages.formatting (no Flask)
can be used by reports and charts without importing every page."""

from flask import Flask


def blueprints() -> list:
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
        standard_page,
        suppliers,
        upload,
    )

    return [auth.blp, account.blp, home.blp, upload.blp, returns_pages.blp, approvals.blp,
            dashboards.blp, admin.blp, reports.blp, column_mappings.blp, standard_page.blp,
            suppliers.blp]


def init_app(app: Flask) -> None:
    from exchange import web
    from exchange.pages.formatting import FILTERS

    web.init_app(app)
    app.jinja_env.filters.update(FILTERS)
    for blp in blueprints():
        app.register_blueprint(blp)
