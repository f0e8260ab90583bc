"""The OAuth consent page in a real browser: allowing an application sends the browser back to
the application's own site, which the page's Content-Security-Policy must not stop."""

from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from exchange.context import get_uow
from exchange.services.admin import accounts
from tests.api.oauth_flows import authorize_url, pkce_pair


def test_allowing_an_application_returns_the_browser_to_it_with_a_code(
        browser_page, sign_in, live_server, live_app, check_accessibility):
    port = urlsplit(live_server).port
    callback = f"http://localhost:{port}/callback"  # another origin than 127.0.0.1
    with live_app.app_context():
        client = accounts.create_client(get_uow(), "rmbc", "returns:read",
                                        redirect_uris=[callback], public=True)
    page = browser_page
    sign_in(page, "demo@rmbc.example")

    page.goto(authorize_url(client.client_id, pkce_pair()[1], redirect_uri=callback))
    check_accessibility(page, "oauth-consent")
    page.get_by_role("button", name="Allow", exact=True).click()

    page.wait_for_url(f"{callback}?*")
    query = parse_qs(urlsplit(page.url).query)
    assert query["state"] == ["xyz"] and query["code"][0]
    expect(page.locator("body")).not_to_contain_text("Allow")
