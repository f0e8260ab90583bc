"""GET /api/v1/periods and /api/v1/periods/{period}/status over HTTP, with the clock set."""

import time_machine

from exchange.context import get_uow
from exchange.services.cycle.windows import WindowRules, owing_partners
from tests.cycle.conftest import at


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def owed_per_quarter() -> int:
    with get_uow() as uow:
        return sum(len(kinds) for _, kinds in owing_partners(uow, WindowRules.from_config()))


def test_periods_lists_each_quarter_from_the_cycle_start_with_its_window_and_counts(
        client, partner_token, submit):
    submit(at("2025-07-20 10:00"), "rmbc")
    with time_machine.travel(at("2025-08-15 12:00"), tick=False):
        token = partner_token("symca", "views:read")
        response = client.get("/api/v1/periods", headers=bearer(token))
    assert response.status_code == 200, response.get_json()
    periods = response.get_json()["periods"]
    assert [p["period"] for p in periods] == ["2025-26-Q1", "2025-26-Q2"]
    q1, q2 = periods
    assert (q1["opens"], q1["deadline"]) == ("2025-07-01", "2025-07-31")
    owed = owed_per_quarter()
    assert q1["counts"] == {"not_due": 0, "open": 0, "submitted": 1, "approved": 0, "late": 0,
                            "missing": owed - 1}
    assert q2["counts"]["not_due"] == q2["total"] == owed


def test_periods_start_at_the_earliest_quarter_with_a_return(client, partner_token, submit):
    submit(at("2021-11-01 10:00"), "rmbc", period="2021-22-Q2")
    with time_machine.travel(at("2025-05-01 12:00"), tick=False):
        token = partner_token("rmbc", "views:read")
        periods = client.get("/api/v1/periods", headers=bearer(token)).get_json()["periods"]
    assert periods[0]["period"] == "2021-22-Q2"
    assert periods[-1]["period"] == "2025-26-Q1"
    assert len(periods) == 16


def test_period_status_shows_each_partner_and_kind_with_deadline_and_return(
        client, partner_token, submit):
    receipt = submit(at("2025-08-03 09:00"), "syp")
    with time_machine.travel(at("2025-08-04 12:00"), tick=False):
        token = partner_token("rmbc", "views:read")
        response = client.get("/api/v1/periods/2025-26-q1/status", headers=bearer(token))
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["period"] == "2025-26-Q1"
    assert body["description"] == "April to June 2025"
    items = {(i["partner"], i["kind"]): i for i in body["items"]}
    assert len(items) == owed_per_quarter()
    syp = items[("syp", "spend")]
    assert (syp["status"], syp["late"], syp["return_id"], syp["version"]) == (
        "late", True, receipt.id, 1)
    assert syp["deadline"] == "2025-07-31"
    assert syp["submitted_at"].startswith("2025-08-03T08:00")
    assert items[("rmbc", "spend")]["status"] == "missing"
    assert items[("rmbc", "spend")]["requires_approval"] is True
    assert body["counts"]["late"] == 1


def test_a_partner_token_with_returns_read_sees_only_its_own_partner(client, partner_token,
                                                                     submit):
    submit(at("2025-07-03 09:00"), "syp")
    with time_machine.travel(at("2025-07-04 12:00"), tick=False):
        token = partner_token("rmbc", "returns:read")
        status = client.get("/api/v1/periods/2025-26-Q1/status", headers=bearer(token))
        listing = client.get("/api/v1/periods", headers=bearer(token))
    assert {i["partner"] for i in status.get_json()["items"]} == {"rmbc"}
    assert status.get_json()["counts"]["open"] == 5
    assert listing.get_json()["periods"][0]["counts"] == {
        "not_due": 0, "open": 5, "submitted": 0, "approved": 0, "late": 0, "missing": 0}


def test_a_period_that_is_not_a_quarter_is_a_400_that_says_why(client, partner_token):
    headers = bearer(partner_token("rmbc", "views:read"))
    for period, says in [("2025-26-Q5", "no quarter Q5"), ("next-quarter", "not a period"),
                         ("2025-27-Q1", "consecutive"), ("2025-26", "per quarter")]:
        response = client.get(f"/api/v1/periods/{period}/status", headers=headers)
        body = response.get_json()
        assert response.status_code == 400, period
        assert says in body["message"], body
        assert body["errors"]["period"]


def test_periods_need_views_read_or_returns_read(client, partner_token):
    token = partner_token("rmbc", "feeds:read")
    for url in ("/api/v1/periods", "/api/v1/periods/2025-26-Q1/status"):
        refused = client.get(url, headers=bearer(token))
        assert refused.status_code == 403
        assert refused.get_json()["error"] == "insufficient_scope"
        assert client.get(url).status_code == 401
