"""COPY text built by the hub reads back as the values psycopg would have sent."""

from datetime import date
from decimal import Decimal

import polars as pl
import pytest
from psycopg import DataError
from psycopg._copy_base import TextFormatter
from psycopg.adapt import Transformer

from exchange.repositories.copytext import TextMemo, copy_text, copy_text_columns

ROWS = [
    (1, None, True, False, Decimal("-12.50"), Decimal("0.00"), date(2021, 10, 1)),
    ("plain", "Café O’Brien", "tab\there", "back\\slash", "two\nlines", "cr\rlf\r\n", "\\N"),
    ("", " spaced ", "=SUM(A1)", "\\t", "\t\t", "\\\\", "end\\"),
]


def psycopg_line(row) -> str:
    formatter = TextFormatter(Transformer())
    formatter.write_row(row)
    return bytes(formatter.end()).decode("utf-8")


@pytest.mark.parametrize("row", ROWS)
def test_a_line_of_copy_text_is_what_psycopg_writes_for_the_same_values(row):
    assert "\t".join(map(copy_text, row)) + "\n" == psycopg_line(row)


def test_text_with_a_nul_character_is_refused_as_psycopg_refuses_it():
    with pytest.raises(DataError, match="NUL"):
        copy_text("a\x00b")
    with pytest.raises(DataError, match="NUL"):
        psycopg_line(("a\x00b",))


def test_a_memo_formats_each_value_once_and_gives_the_same_text():
    memo = TextMemo()
    assert [memo[v] for v in ("a\tb", None, True, "a\tb")] == ["a\\tb", "\\N", "t", "a\\tb"]
    assert len(memo) == 3


def test_columns_of_copy_text_escape_only_what_needs_it_and_read_as_copy_text_per_value():
    # Each text column is escaped only when it holds something to escape.
    frame = pl.DataFrame({
        "plain": ["Acme Ltd", None, "Café O’Brien"],
        "tabbed": ["tab\there", "back\\slash", None],
        "lines": ["two\nlines", "cr\rlf", "\\N"],
        "flag": [True, None, False],
        "count": [1, None, 3],
    })

    text = frame.select(pl.concat_str(copy_text_columns(frame, frame.columns), separator="\t"))

    assert text.to_series().to_list() == ["\t".join(map(copy_text, row))
                                          for row in frame.iter_rows()]
