"""Values in PostgreSQL's COPY text format, for writers that build whole lines themselves."""

from collections.abc import Iterable

import polars as pl
from psycopg import DataError

NULL = "\\N"
ESCAPES = (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r"))
TO_ESCAPE = r"[\\\t\n\r]"  # a text holding one of these has escapes to make


def copy_text(value) -> str:
    """One column's value as COPY text: NULL, t/f, escaped text, or the value's own str()
    (ints, Decimals, and dates as YYYY-MM-DD)."""
    if value is None:
        return NULL
    if value is True or value is False:
        return "t" if value else "f"
    if value.__class__ is not str:
        return str(value)
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value or "\x00" in value:
        if "\x00" in value:  # what psycopg says of the same value
            raise DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes")
        for char, escaped in ESCAPES:
            value = value.replace(char, escaped)
    return value


def copy_text_column(column: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """`copy_text` of each value of a text or boolean column, a column at a time (for text
    without NUL, which the column readers leave to the row path)."""
    if dtype == pl.Boolean:
        return pl.when(column.is_null()).then(pl.lit(NULL)).when(column).then(pl.lit("t")) \
            .otherwise(pl.lit("f"))
    if dtype.is_numeric() or dtype.is_temporal():  # digits, signs and points: nothing to escape
        return column.cast(pl.String).fill_null(NULL)
    return escape_text(column.cast(pl.String)).fill_null(NULL)


def copy_text_columns(frame: pl.DataFrame, names: Iterable[str]) -> list[pl.Expr]:
    """`copy_text_column` of the frame's columns ``names``, each named as it is, escaping only
    the text columns holding something to escape: one pass over each to find out, where
    escaping any text takes four (most columns of most frames hold nothing to escape)."""
    names = list(names)
    texts = [name for name in names if frame.schema[name] == pl.String]
    found = frame.select(pl.col(name).str.contains(TO_ESCAPE).any()
                         for name in texts).row(0) if texts else ()
    plain = {name for name, escapes in zip(texts, found, strict=True) if not escapes}
    return [(pl.col(name).fill_null(NULL) if name in plain
             else copy_text_column(pl.col(name), frame.schema[name])).alias(name)
            for name in names]


def escape_text(text: pl.Expr) -> pl.Expr:
    """A text column with COPY text's escapes (`ESCAPES`) made, a column at a time."""
    for char, escaped in ESCAPES:
        text = text.str.replace_all(char, escaped, literal=True)
    return text


def unescape_text(text: pl.Expr) -> pl.Expr:
    """A column of COPY text with its escapes undone: the text that was escaped."""
    # "\\" first, held as NUL (COPY text never holds one), so "\\t" stays a backslash and t.
    for code, char in (("\\\\", "\x00"), ("\\t", "\t"), ("\\n", "\n"), ("\\r", "\r"),
                       ("\x00", "\\")):
        text = text.str.replace_all(code, char, literal=True)
    return text


class TextMemo(dict):
    """COPY text of values that repeat (dates, categories): ``memo[value]`` works each out once.
    Only for columns whose equal values print the same (not 1 and True, not 1.0 and 1.00)."""

    def __missing__(self, value) -> str:
        text = self[value] = copy_text(value)
        return text
