"""POST /api/v1/returns/{id}/approve: a person of the same partner, not the submitter, approves
the current accepted return once; releases count a partner requiring approval only then."""

from datetime import date

import pytest
from sqlalchemy import select

from exchange.context import get_uow
from exchange.errors import Forbidden
from exchange.feeds.sources import counting_returns
from exchange.models import AuditEvent
from exchange.models.base import utcnow
from exchange.services.cycle.approvals import approve_return
from tests.api.oauth_flows import user_tokens
from tests.api.returns_support import post_return
from tests.cycle.conftest import at, spend_file

APPROVER = "returns:approve returns:read returns:write"


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def person(app, make_client, make_user, email, partner="rmbc", roles=("approver",),
           scopes=APPROVER) -> str:
    """An access token of a signed-in person, through the authorization-code flow."""
    *_, tokens = user_tokens(app, make_client, make_user, partner=partner, email=email,
                             scopes=scopes, roles=roles)
    return tokens["access_token"]


def upload(client, token, amount="1000.00"):
    text = spend_file(date(2025, 4, 1), amount)
    response = post_return(client, token, text, period="2025-26-Q1")
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def approve(client, token, return_id):
    return client.post(f"/api/v1/returns/{return_id}/approve", headers=bearer(token))


def test_a_person_of_the_partner_approves_a_return_a_system_submitted(
        app, client, partner_token, make_client, make_user):
    return_id = upload(client, partner_token("rmbc", "returns:write"))
    token = person(app, make_client, make_user, "ann@rmbc.example")
    response = approve(client, token, return_id)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["id"], body["approved_by"]) == (return_id, "user:ann@rmbc.example")
    assert body["approved_at"]
    with get_uow() as uow:
        events = list(uow.session.scalars(select(AuditEvent).where(
            AuditEvent.action.in_(["return.accept", "return.approve"])).order_by(AuditEvent.id)))
    assert [(e.action, e.subject) for e in events] == [
        ("return.accept", f"return:{return_id}"), ("return.approve", f"return:{return_id}")]
    assert events[1].actor == "user:ann@rmbc.example"
    assert events[1].partner_slug == "rmbc"
    status = client.get("/api/v1/periods/2025-26-Q1/status", headers=bearer(token)).get_json()
    [spend] = [i for i in status["items"] if (i["partner"], i["kind"]) == ("rmbc", "spend")]
    assert spend["status"] == "approved"


def test_approving_twice_is_a_conflict(app, client, partner_token, make_client, make_user):
    return_id = upload(client, partner_token("rmbc", "returns:write"))
    token = person(app, make_client, make_user, "ann@rmbc.example")
    assert approve(client, token, return_id).status_code == 200
    again = approve(client, token, return_id)
    assert again.status_code == 409
    assert "already approved by user:ann@rmbc.example" in again.get_json()["message"]


def test_the_person_who_submitted_a_return_cannot_approve_it(app, client, make_client,
                                                             make_user):
    token = person(app, make_client, make_user, "ann@rmbc.example")
    return_id = upload(client, token)
    refused = approve(client, token, return_id)
    assert refused.status_code == 403
    assert refused.get_json()["message"] == ("You submitted this return, someone else must "
                                             "approve it.")
    colleague = person(app, make_client, make_user, "bob@rmbc.example")
    assert approve(client, colleague, return_id).status_code == 200


def test_a_client_credentials_token_cannot_approve(client, partner_token):
    return_id = upload(client, partner_token("rmbc", "returns:write"))
    refused = approve(client, partner_token("rmbc", "returns:approve"), return_id)
    assert refused.status_code == 403
    assert "needs a person" in refused.get_json()["message"]


def test_another_partners_return_is_not_found(app, client, partner_token, make_client,
                                              make_user):
    return_id = upload(client, partner_token("syp", "returns:write"))
    token = person(app, make_client, make_user, "ann@rmbc.example")
    assert approve(client, token, return_id).status_code == 404
    assert approve(client, token, 999_999).status_code == 404


def test_approving_needs_the_approve_scope(app, client, partner_token, make_client, make_user):
    return_id = upload(client, partner_token("rmbc", "returns:write"))
    token = person(app, make_client, make_user, "ann@rmbc.example", roles=(),
                   scopes="returns:read returns:write")
    refused = approve(client, token, return_id)
    assert refused.status_code == 403
    assert refused.get_json()["error"] == "insufficient_scope"


def test_only_the_current_accepted_version_can_be_approved(app, client, partner_token,
                                                          make_client, make_user):
    system = partner_token("rmbc", "returns:write")
    first = upload(client, system, "1000.00")
    second = upload(client, system, "1500.00")
    rejected = post_return(client, system, "Payment Date,Amount,Supplier Name\nsoon,lots,X\n",
                           period="2025-26-Q1")
    assert rejected.status_code == 422
    token = person(app, make_client, make_user, "ann@rmbc.example")
    superseded = approve(client, token, first)
    assert superseded.status_code == 409
    assert "superseded" in superseded.get_json()["message"]
    assert approve(client, token, rejected.get_json()["id"]).status_code == 409
    assert approve(client, token, second).status_code == 200


def test_a_person_whose_approver_role_was_removed_cannot_approve(app, client, partner_token,
                                                                 make_user):
    return_id = upload(client, partner_token("rmbc", "returns:write"))
    user_id = make_user("rmbc", "cat@rmbc.example", "a long password 1", roles=())
    holder = type("Holder", (), {"id": user_id})()
    with pytest.raises(Forbidden, match="approver role"):
        approve_return(get_uow(), return_id, approver=holder, now=utcnow())


def test_a_partner_requiring_approval_counts_in_releases_only_once_approved(
        app, client, submit, make_client, make_user):
    rmbc = submit(at("2025-07-10 10:00"), "rmbc")
    syp = submit(at("2025-07-10 10:00"), "syp")
    with get_uow() as uow:
        ids = [uow.partners.get("rmbc").id, uow.partners.get("syp").id]
        assert uow.partners.get("rmbc").requires_approval
        before = {r.id for r in counting_returns(uow, ids, "2025-26-Q1")}
    assert before == {syp.id}
    token = person(app, make_client, make_user, "ann@rmbc.example")
    assert approve(client, token, rmbc.id).status_code == 200
    with get_uow() as uow:
        after = {r.id for r in counting_returns(uow, ids, "2025-26-Q1")}
    assert after == {rmbc.id, syp.id}
