"""Paths to partner samples, and a tiny amount parser that does not share code with the adapter."""

import re
from decimal import Decimal
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
FIXTURES = REPO / "tests" / "fixtures" / "partners"
# Big real files stay in the shared data folder that CI checks out beside the repo.
REAL_SPEND = (REPO / ".." / "shared" / "data" / "real" / "spend").resolve()


@pytest.fixture
def fixture_path():
    """Path of a small sample under tests/fixtures/partners/."""
    return lambda name: FIXTURES / name


@pytest.fixture
def real_spend():
    """Path of a real file under ../shared/data/real/spend/; skips if that folder is absent."""

    def find(name: str) -> Path:
        if not REAL_SPEND.is_dir():
            pytest.skip(f"real spend data not checked out at {REAL_SPEND}")
        return REAL_SPEND / name

    return find


def parse_amount(text: str) -> Decimal:
    """'£1,234.50' -> 1234.50; '(12.00)' -> -12.00; quotes and spaces ignored."""
    cleaned = re.sub(r"[£,\"\s]", "", text)
    if cleaned.startswith("(") and cleaned.endswith(")"):
        return -Decimal(cleaned[1:-1])
    return Decimal(cleaned)


@pytest.fixture
def count_and_total():
    """(number of rows, sum of their amounts) for an iterable of (row number, row) pairs."""

    def tally(rows) -> tuple[int, Decimal]:
        count, total = 0, Decimal(0)
        for _number, row in rows:
            count += 1
            total += parse_amount(row["amount"])
        return count, total

    return tally
