"""hub init sets a fresh database up, and running it again changes nothing."""

import os
import stat

from sqlalchemy import func, select

from exchange import create_app
from exchange.cli import cli
from exchange.context import get_uow
from exchange.models import Base
from tests import databases


def counts() -> dict[str, int]:
    with get_uow() as uow:
        return {t.name: uow.session.scalar(select(func.count()).select_from(t))
                for t in Base.metadata.sorted_tables}


def test_hub_init_twice_migrates_loads_and_duplicates_nothing(tmp_path):
    url = databases.create_database(tmp_path)
    config = type("Config", (), {"TESTING": True, "DATABASE_URL": url,
                                 "BLOB_DIR": str(tmp_path / "blobs"),
                                 "SECRET_KEY_FILE": str(tmp_path / "instance" / "secret_key")})
    app = create_app(config)
    try:
        runner = app.test_cli_runner()
        first = runner.invoke(cli, ["init"])
        assert first.exit_code == 0, first.output
        assert "postcodes loaded" in first.output
        key_file = tmp_path / "instance" / "secret_key"
        assert f"Secret key: the instance's own, in {key_file}" in first.output
        assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
        assert key_file.read_text().strip() == app.secret_key
        with app.app_context():
            after_first = counts()
        second = runner.invoke(cli, ["init"])
        assert second.exit_code == 0, second.output
        assert "already loaded" in second.output
        assert key_file.read_text().strip() == app.secret_key
        with app.app_context():
            assert counts() == {**after_first, "audit_event": after_first["audit_event"] + 1}
        assert after_first["postcode"] > 78_000
        assert after_first["partner"] >= 12
    finally:
        app.extensions["exchange"]["engine"].dispose()
        databases.drop_database(url)
