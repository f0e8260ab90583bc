"""A live PDF costs seconds of CPU: each person (or client) may have only LIVE_PDF_RATE_LIMIT
of them rendered; the stored copy is served whatever the count."""

from datetime import UTC, datetime

import pytest

from exchange.context import get_uow
from exchange.services.reports.generation import generate_report
from tests.api.oauth_flows import PASSWORD, sign_in
from tests.reports.conftest import YEAR

PDF = f"/reports/rotherham/mid-year/{YEAR}.pdf"


@pytest.fixture
def one_live_pdf(app, monkeypatch):
    monkeypatch.setitem(app.config, "LIVE_PDF_RATE_LIMIT", "1 per hour")


def person(app, make_user, email: str):
    make_user("rmbc", email, PASSWORD)
    browser = app.test_client()
    assert sign_in(browser, email).status_code == 302
    return browser


def test_a_person_past_the_live_render_limit_gets_429_and_the_stored_copy_still_comes(
        world, app, make_user, one_live_pdf):
    ann = person(app, make_user, "ann@rmbc.example")

    first = ann.get(PDF)
    second = ann.get(PDF)
    generate_report(get_uow(), "rotherham", "mid-year", YEAR, datetime.now(UTC))
    stored = ann.get(PDF)

    assert first.status_code == 200 and first.headers["X-Report-Source"] == "live"
    assert second.status_code == 429
    assert int(second.headers["Retry-After"]) > 0
    assert "%PDF" not in second.get_data(as_text=True)
    assert "web page" in second.get_data(as_text=True)
    assert stored.status_code == 200 and stored.headers["X-Report-Source"].startswith("stored")


def test_the_limit_is_per_person_and_per_client(world, app, make_user, partner_token,
                                                one_live_pdf):
    ann = person(app, make_user, "ann@rmbc.example")
    bob = person(app, make_user, "bob@rmbc.example")
    client = {"Authorization": f"Bearer {partner_token('syp', 'views:read')}"}

    assert ann.get(PDF).status_code == 200
    assert bob.get(PDF).status_code == 200
    assert app.test_client().get(PDF, headers=client).status_code == 200
    assert app.test_client().get(PDF, headers=client).status_code == 429
