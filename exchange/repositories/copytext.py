"""Values in PostgreSQL's COPY text format, for writers that build whole lines themselves."""

from psycopg import DataError

NULL = "\\N"
_ESCAPES = (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r"))


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
        for char, escaped in _ESCAPES:
            value = value.replace(char, escaped)
    return value


class TextMemo(dict):
    """COPY text of values that repeat (dates, categories): ``memo[value]`` works each out once.
    Only for columns whose equal values print the same (not 1 and True, not 1.0 and 1.00)."""

    def __missing__(self, value) -> str:
        text = self[value] = copy_text(value)
        return text
