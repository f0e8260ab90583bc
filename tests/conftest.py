"""One migrated database per test run (SQLite, or PostgreSQL with TEST_DATABASE_URL); each test
starts from the registry and geography only: everything else is emptied after it."""

import os

import pytest
from sqlalchemy import delete, func, select

from config.default import CONFIG_DIR, GEOGRAPHY_DIR
from exchange import create_app
from exchange.context import get_engine, get_uow
from exchange.models import AuditEvent, Base
from exchange.models.audit import APPEND_ONLY
from exchange.services.admin import migrations, registry
from exchange.services.directory import geography
from tests import databases

# Tables that hold the registry and geography, loaded once per run and kept between tests.
REFERENCE_TABLES = {
    "place", "place_lad", "partner", "partner_place", "charter_commitment", "measure_definition",
    "combined_authority", "lad", "postcode", "postcode_coverage", "alembic_version",
}


def pytest_report_header(config):
    url = databases.configured_url()
    return f"database: {'PostgreSQL ' + url if url else 'SQLite (temporary file)'}"


def pytest_sessionstart(session):
    if os.environ.get("EXCHANGE_REQUIRE_POSTGRES") == "1":
        url = databases.configured_url()
        if not url or not databases.is_postgres(url):
            raise pytest.UsageError("EXCHANGE_REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not a "
                                    "PostgreSQL URL")


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """In the PostgreSQL run, a test skipped for want of PostgreSQL is a failure of the run."""
    if os.environ.get("EXCHANGE_REQUIRE_POSTGRES") != "1":
        return
    skipped = [r for r in terminalreporter.stats.get("skipped", [])
               if "PostgreSQL" in str(r.longrepr)]
    if skipped:
        terminalreporter.write_line(f"{len(skipped)} PostgreSQL tests were skipped", red=True)
        terminalreporter._session.exitstatus = 1


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = databases.create_database(tmp_path_factory.mktemp("db"))
    yield url
    databases.drop_database(url)


class TestConfig:
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
    RATELIMIT_ENABLED = True


@pytest.fixture(scope="session")
def _prepared_app(database_url, tmp_path_factory):
    config = type("Config", (TestConfig,), {
        "DATABASE_URL": database_url,
        "BLOB_DIR": str(tmp_path_factory.mktemp("blobs")),
    })
    app = create_app(config)
    with app.app_context():
        migrations.upgrade(get_engine())
        registry.load_registry(CONFIG_DIR, get_uow())
        geography.load_default_geography(GEOGRAPHY_DIR, get_uow())
    return app


@pytest.fixture
def app(_prepared_app):
    """The app, with only the registry and geography in its database."""
    with _prepared_app.app_context():
        yield _prepared_app
        _empty_non_reference_tables()


def _empty_non_reference_tables() -> None:
    with get_engine().begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name == "audit_event":
                _empty_audit_log(connection)
            elif table.name not in REFERENCE_TABLES:
                connection.execute(delete(table))


def _empty_audit_log(connection) -> None:
    """The audit log refuses DELETE (migration 0019): lift its triggers to empty it between
    tests, then put them back, in the same transaction."""
    if connection.scalar(select(func.count()).select_from(AuditEvent)) == 0:
        return
    create, drop = APPEND_ONLY[connection.dialect.name]
    for statement in drop:
        connection.exec_driver_sql(statement)
    connection.execute(delete(AuditEvent))
    for statement in create:
        connection.exec_driver_sql(statement)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def uow(app):
    return get_uow()


requires_postgres = pytest.mark.skipif(
    not (databases.configured_url() and databases.is_postgres(databases.configured_url())),
    reason="needs PostgreSQL (set TEST_DATABASE_URL)",
)


# OAuth: clients, tokens and people of partners, made the way the hub makes them.


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Tests share one app, so each starts with empty rate-limit counters."""
    from exchange.oauth import limits

    limits.reset()
    yield


@pytest.fixture
def make_client(app):
    """make_client("rmbc", "returns:write", redirect_uris=[...], public=False) -> (id, secret)."""
    from exchange.services.admin import accounts

    def make(partner_slug: str, scopes: str, **kw) -> tuple[str, str | None]:
        new = accounts.create_client(get_uow(), partner_slug, scopes, **kw)
        return new.client_id, new.client_secret

    return make


@pytest.fixture
def partner_token(app, make_client):
    """partner_token("rmbc", "returns:write") -> an access token from a real client-credentials
    request to /oauth/token."""

    def token(partner_slug: str, scopes: str) -> str:
        client_id, secret = make_client(partner_slug, scopes)
        response = app.test_client().post("/oauth/token", data={
            "grant_type": "client_credentials", "scope": scopes},
            auth=(client_id, secret))
        assert response.status_code == 200, response.get_json()
        return response.get_json()["access_token"]

    return token


@pytest.fixture
def make_user(app):
    """make_user("rmbc", "ann@rmbc.example", "a long password", roles=("approver",)) -> id."""
    from exchange.services.admin import accounts

    def make(partner_slug: str, email: str, password: str, roles=(), name: str = "Test User"):
        return accounts.create_user(get_uow(), partner_slug, email, name, password, roles=roles)

    return make


@pytest.fixture(params=["directory", "database"])
def blob_store(request, app, monkeypatch):
    """The test runs once with each blob store (BLOB_STORE)."""
    monkeypatch.setitem(app.config, "BLOB_STORE", request.param)
    return request.param
