"""The column mappings a partner saved (from the upload page's mapping step or the API's
``columns``): listed, and deleted one at a time."""

from flask import Blueprint, redirect, render_template, url_for

from exchange.context import get_uow
from exchange.ingest.mappings import delete_mapping, list_mappings
from exchange.services.cycle.approvals import actor_of
from exchange.web.access import login_required, signed_in_user
from exchange.web.error_pages import use_error_pages
from partners.template.labels import label

blp = Blueprint("column_mappings_page", __name__)
use_error_pages(blp)


@blp.get("/column-mappings")
@login_required
def mappings():
    """Your partner's saved column mappings, newest first."""
    saved = list_mappings(get_uow(), signed_in_user().partner_id)
    return render_template("pages/column_mappings/list.html", mappings=saved, label=label)


@blp.post("/column-mappings/<int:mapping_id>/delete")
@login_required
def delete(mapping_id: int):
    """Forget one mapping; a mapping of another partner is a 404."""
    user = signed_in_user()
    delete_mapping(get_uow(), user.partner_id, user.partner.slug, mapping_id, actor_of(user))
    return redirect(url_for("column_mappings_page.mappings"))
