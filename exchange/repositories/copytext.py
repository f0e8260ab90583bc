"""Values in PostgreSQL's COPY text format, for writers that build whole lines themselves."""

import polars as pl
from psycopg import DataError

NULL = "\\N"
ESCAPES = (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r"))


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
    return escape_text(column.cast(pl.String)).fill_null(NULL)


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
