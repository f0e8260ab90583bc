"""The one decision of a submission: which path its lines take."""

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Choice:
    """How one submission's lines are read and written, decided once (`choose`).

    ``columns``: read and checked as columns (polars) — a spend CSV, on either database.
    ``streams``: the lines go down one COPY that holds the session, so look-ups
    (postcodes, the companies register) run on a second connection."""

    columns: bool
    streams: bool

    def by_rows(self) -> "Choice":
        """The same submission read again row by row (the column reader declined the file)."""
        return replace(self, columns=False)


def choose(kind: str, table, lines, allow_columns: bool = True) -> Choice:
    """The path for ``table`` (a `partners.Table`) of ``kind``, going to the line repository
    ``lines``. ``allow_columns`` False reads every file row by row."""
    streams = lines.streams
    columns = allow_columns and kind == "spend" and table.text is not None
    return Choice(columns=columns, streams=streams)
