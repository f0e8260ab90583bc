"""One upload's lines through one pipeline: read → check → write → totals.

`choose` decides once per submission, from the file and the database, how the lines go:
as columns (polars, `ColumnPath`) or row by row (`RowPath`), and whether they stream down one
COPY. Both paths take the same validator (its rules public in `exchange.validate`), the same
writer (`exchange.ingest.linewriters`, which owns how lines reach the database) and the same
totals check, and give the same rows, issues, notes and totals; nothing after them knows which
ran (``tests/ingest/test_columns_match_rows.py``).
"""

from exchange.ingest.choice import Choice, choose
from exchange.ingest.columns import ColumnPath
from exchange.ingest.rows import LinePath, RowPath

__all__ = ["Choice", "ColumnPath", "LinePath", "RowPath", "choose"]
