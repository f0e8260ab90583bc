"""Browser tests: Playwright driving Debian's chromium against the hub served on a free port.

The live server has a database of its own (SQLite, or PostgreSQL with TEST_DATABASE_URL) with the
registry, the geography and the small demo data set, loaded once for the whole package.

Fixtures for every browser test:
- ``live_server``: the base URL, e.g. ``http://127.0.0.1:43121``;
- ``browser_page``: a fresh Playwright page (its own cookies) for one test;
- ``sign_in(page, email, password=DEMO_PASSWORD)``: signs in through the sign-in form;
- ``check_accessibility(page, name)``: saves a screenshot, runs axe-core in the page and fails on
  any violation.

Without /usr/bin/chromium the tests are skipped, unless EXCHANGE_REQUIRE_BROWSER=1 (CI), where a
missing browser is a failure. Screenshots go to $EXCHANGE_SCREENSHOTS, or --screenshots (when pytest
is started in tests/browser), by default test-output/screenshots.
"""

import json
import os
import threading
from pathlib import Path

import pytest

from config.default import CONFIG_DIR, GEOGRAPHY_DIR
from exchange import create_app
from exchange.context import get_blobs, get_engine, get_uow
from exchange.demo import load_demo
from exchange.demo.accounts import DEMO_PASSWORD, create_demo_accounts
from exchange.models.base import utcnow
from exchange.services.admin import migrations, registry
from exchange.services.cycle.release_schedule import publish_due_releases
from exchange.services.cycle.windows import WindowRules
from exchange.services.directory import geography
from tests import databases

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-dev-shm-usage"]
# WCAG 2.0, 2.1 and 2.2 A and AA rules, and axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


DEFAULT_SHOTS = ROOT / "test-output" / "screenshots"


def pytest_addoption(parser):
    parser.addoption("--screenshots", default=str(DEFAULT_SHOTS),
                     help="Where the browser tests save a screenshot of each page.")


def _missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install -y chromium)"
    if not AXE.exists():
        return f"{AXE} is missing (npm ci)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is missing (pip install -e '.[dev]')"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _missing()
    if reason is None:
        return
    here = Path(__file__).parent
    ours = [item for item in items if here in Path(item.fspath).parents]
    if os.environ.get("EXCHANGE_REQUIRE_BROWSER") == "1" and ours:
        raise pytest.UsageError(f"EXCHANGE_REQUIRE_BROWSER=1 but {reason}")
    for item in ours:
        item.add_marker(pytest.mark.skip(reason=f"browser tests need chromium: {reason}"))


class LiveConfig:
    TESTING = True
    SECRET_KEY = "browser-test-secret-key-not-for-production"  # noqa: S105
    LOGIN_RATE_LIMIT = "1000 per minute"
    TOKEN_RATE_LIMIT = "1000 per minute"  # noqa: S105 (a rate, not a secret)
    SESSION_COOKIE_SECURE = False  # served over plain http on 127.0.0.1


@pytest.fixture(scope="package")
def live_app(tmp_path_factory):
    """The app on a database of its own with the registry, geography and small demo data."""
    url = databases.create_database(tmp_path_factory.mktemp("browser-db"))
    config = type("Config", (LiveConfig,), {
        "DATABASE_URL": url, "BLOB_DIR": str(tmp_path_factory.mktemp("browser-blobs"))})
    app = create_app(config)
    with app.app_context():
        migrations.upgrade(get_engine())
        registry.load_registry(CONFIG_DIR, get_uow())
        geography.load_default_geography(GEOGRAPHY_DIR, get_uow())
        load_demo(get_uow, get_blobs(), GEOGRAPHY_DIR, small=True)
        # As `hub demo` does: the releases the scheduler would have published by now.
        publish_due_releases(get_uow(), utcnow(), int(app.config["RELEASE_GRACE_DAYS"]),
                             WindowRules.from_config(app.config), actor="demo")
        create_demo_accounts(get_uow)
    yield app
    with app.app_context():
        get_engine().dispose()
    databases.drop_database(url)


@pytest.fixture(scope="package")
def live_server(live_app):
    """The base URL of the hub served by werkzeug in a thread, on a free port."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="package")
def _browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(_browser, live_server):
    """A page in a fresh browser context (no cookies), failing the test on a page error."""
    context = _browser.new_context(base_url=live_server, accept_downloads=True,
                                   viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # Console errors and warnings (a CSP refusal, a script error, a chart library warning of a
    # spec from another version) fail the test. A page answering 400 with its form again is
    # expected; a stylesheet, script or image that fails to load is not.
    page.on("console", lambda message: errors.append(f"{message.type}: {message.text}")
            if message.type in ("error", "warning")
            and not message.text.startswith("Failed to load resource") else None)
    page.on("response", lambda response: errors.append(f"{response.status} {response.url}")
            if response.status >= 400 and response.request.resource_type != "document"
            and not response.url.endswith(".csv") else None)
    page.set_default_timeout(15_000)
    yield page
    context.close()
    assert not errors, f"the browser reported errors: {errors}"


@pytest.fixture
def sign_in():
    """sign_in(page, email, password=DEMO_PASSWORD): through the sign-in form, landing home."""

    def go(page, email: str, password: str = DEMO_PASSWORD) -> None:
        page.goto("/login?next=/")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/")

    return go


@pytest.fixture(scope="package")
def screenshot_dir(request) -> Path:
    # --screenshots exists when pytest starts in tests/browser (an option of a conftest below
    # the starting directory is not registered); EXCHANGE_SCREENSHOTS works from anywhere.
    path = Path(os.environ.get("EXCHANGE_SCREENSHOTS")
                or request.config.getoption("--screenshots", default=None) or DEFAULT_SHOTS)
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def check_accessibility(screenshot_dir):
    """check_accessibility(page, name): screenshot to <dir>/<name>.png, then axe-core in the
    page; any WCAG 2.2 A/AA violation (or best-practice one) fails with what and where."""
    source = AXE.read_text(encoding="utf-8")

    def check(page, name: str) -> None:
        page.screenshot(path=str(screenshot_dir / f"{name}.png"), full_page=True)
        # Evaluated over the DevTools protocol: the page's CSP (no inline script) stays on.
        page.evaluate(source)
        results = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
        violations = [{"id": v["id"], "help": v["help"],
                       "nodes": [n["target"] for n in v["nodes"]][:5]}
                      for v in results["violations"]]
        assert not violations, f"{name}: " + json.dumps(violations, indent=1)

    return check
