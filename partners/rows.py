"""Turn records below the headings into (row number, {field: text}), setting aside non-payments.

The common case (every key field filled in) takes a short path: one itemgetter, one tuple. Rows with
a key field empty are looked at more closely: blank rows, "Total" lines, a summary table appended
after the data, and rows with nothing in any key column are set aside with a reason; any other row
is yielded for the validator to judge, because a missing amount is the partner's to fix.

`Rows` hands the rows out as dicts, or as tuples in the order of its ``fields`` for a reader that
would rather not build a dict for each of a million rows (the submission service).
"""

from collections.abc import Callable, Iterator
from operator import itemgetter

from partners.fields import AGGREGATES, REQUIRED, normalise_header
from partners.headers import Layout
from partners.lines import TOTAL_NAMES, footer_text, total_label

BLANK = "Blank row"
TOTAL_LINE = "A total line"  # how the reason of every total or subtotal left out starts
TEXT_LINE = "A line of report text"
_NAMED = 10  # rows a note names


def _getter(indexes: list[int]):
    """itemgetter that always returns a tuple, even for one index."""
    if len(indexes) == 1:
        only = indexes[0]
        return lambda cells: (cells[only],)
    return itemgetter(*indexes)


class RowReader:
    """Iterates one table's rows, filling in ``skipped`` and ``notes`` as it goes."""

    def __init__(self, layout: Layout, kind: str, skipped: list, notes: list,
                 strip: Callable[[str], str] = str.strip):
        """``strip``: how a cell loses its surrounding spaces (JSON's keeps nested values
        marked)."""
        self.layout = layout
        self.strip = strip
        self.skipped = skipped
        self.notes = notes
        self.fields = tuple(layout.columns)
        self.indexes = [column.index for column in layout.columns.values()]
        self.keys = [f for group in REQUIRED[kind] for f in group if f in layout.columns]
        self.key_positions = [self.fields.index(key) for key in self.keys]
        # A supplier column saying only "TOTAL" makes a row a total, even with a date.
        self.name_at = self.fields.index("supplier_name") if "supplier_name" in self.fields else 0
        self.labels = TOTAL_NAMES if "supplier_name" in self.fields else frozenset()
        self.amount_at = self.fields.index("amount") if "amount" in self.fields else None
        self.header = [cell.strip() for cell in layout.header]
        self.headings = set(layout.profile.lookup(kind)) | {
            normalise_header(h) for h in self.header if h
        }
        self.summary_from: int | None = None

    def __call__(self, records: Iterator[list[str]], first: int) -> "Rows":
        """The rows that may be payment lines, numbered from ``first``."""
        return Rows(self.fields, self._tuples(records, first), self)

    def _tuples(self, records: Iterator[list[str]], first: int) -> Iterator[tuple[int, tuple]]:
        """Yield (row number, stripped cells in the order of ``fields``) for every row that may
        be a payment line."""
        pick, keys = _getter(self.indexes), _getter(self.key_positions)
        name_at, labels = self.name_at, self.labels
        pad = [""] * (max(self.indexes) + 1)
        raw_header = self.layout.header
        pending: list[int] = []
        last = previous = None
        last_number = 0
        open_ = True  # False once a summary table has started: nothing after it is a payment
        strip = self.strip
        for number, cells in enumerate(records, first):
            try:
                values = pick(cells)
            except IndexError:
                values = pick(cells + pad)
            # In C, not a comprehension: this runs for every row of the file.
            values = tuple(map(strip, values))
            if open_ and all(keys(values)) and cells != raw_header and \
                    values[name_at] not in labels:  # as `is_payment`, inline: every row
                if pending:
                    self._flush(pending)
                previous, last, last_number = last, cells, number
                yield number, values
                continue
            reason = self.reason(number, cells, values)
            open_ = self.summary_from is None
            if reason is BLANK:
                pending.append(number)
            elif reason:
                self.skipped.append((number, reason))
            else:
                if pending:
                    self._flush(pending)
                previous, last, last_number = last, cells, number
                yield number, values
        self._finish(pending, last_number, last, previous)

    def reason(self, number: int, cells: list[str], values: tuple) -> str | None:
        """Why this row is not a payment line, or None to yield it."""
        texts = [cell.strip() for cell in cells]
        if not any(texts):
            return BLANK
        if self.summary_from is not None:
            return f"Part of the summary table that starts at row {self.summary_from}"
        if texts == self.header:
            return "The column headings again"
        filled = [text for text in texts if text]
        known = sum(1 for text in filled if self._is_heading(text))
        if known >= 2 and 2 * known >= len(filled):
            self.summary_from = number
            self.notes.append(
                f"Stopped reading at row {number}: it starts a summary table "
                f"({', '.join(filled[:4])}), not payment lines."
            )
            return f"Part of the summary table that starts at row {number}"
        label = total_label(filled)
        if label:
            return f"{TOTAL_LINE} ('{label}'), not a payment"
        # Report text never has an amount: a note in a payment's own row stays a payment.
        text = footer_text(filled) if self.amount_at is None or not values[self.amount_at] \
            else None
        if text:
            return f"{TEXT_LINE} ('{text}'), not a payment"
        if not any(values[position] for position in self.key_positions):
            what = ", ".join(key.replace("_", " ") for key in self.keys)
            shown = ", ".join(f"'{t}'" for t in filled[:3])
            return f"Nothing in the {what} columns, so not a payment line (it holds {shown})"
        return None

    def is_payment(self, values: tuple, cells: list[str]) -> bool:
        """Whether a row is a payment line at a glance (every key field filled in, not the
        headings again, no total label for a supplier); other rows go to `reason`."""
        return all(values[position] for position in self.key_positions) and \
            cells != self.layout.header and values[self.name_at] not in self.labels

    def _is_heading(self, text: str) -> bool:
        """Text that reads like a column heading: a known name or 'Sum of ...', 'Total'."""
        name = normalise_header(text)
        return name in self.headings or name.startswith(AGGREGATES)

    def _flush(self, pending: list[int]) -> None:
        """Blank rows followed by more data are worth telling the partner about."""
        self.skipped.extend((number, BLANK) for number in pending)
        if len(self.skipped) > len(pending) and self.skipped[-len(pending) - 1][0] > pending[0]:
            self.skipped.sort()
        pending.clear()

    def _finish(self, trailing: list[int], last_number: int, last, previous) -> None:
        """File-level notes known only at the end."""
        if self.summary_from is not None:
            after = sum(1 for row, _ in self.skipped if row >= self.summary_from)
            self.notes.append(f"{after} rows of the summary table were not read as payments.")
        ends = None if last is None or previous is None else [(0, previous), (last_number, last)]
        self.notes.extend(end_notes(len(trailing), ends, self.layout))
        if last is None:
            self.notes.append("There are no rows with data below the headings.")


class Rows:
    """A table's rows, read once: iterating gives (row number, {field: text}); ``tuples()``
    gives (row number, (text, ...)) with the cells in the order of ``fields`` instead."""

    def __init__(self, fields: tuple[str, ...], tuples: Iterator[tuple[int, tuple]],
                 reader: RowReader | None = None):
        self.fields = fields
        self._tuples = tuples
        self.reader = reader  # what decided which rows these are
        self._dicts: Iterator[tuple[int, dict]] | None = None

    def tuples(self) -> Iterator[tuple[int, tuple]]:
        return self._tuples

    def __iter__(self) -> Iterator[tuple[int, dict]]:
        if self._dicts is None:
            fields = self.fields
            self._dicts = ((number, dict(zip(fields, values, strict=True)))
                           for number, values in self._tuples)
        return self._dicts

    def __next__(self) -> tuple[int, dict]:
        return next(iter(self))


def end_notes(trailing: int, last_two: list[tuple[int, list[str]]] | None,
              layout: Layout) -> list[str]:
    """The notes about a file's end, whichever reader read it: ``trailing`` empty rows after
    the last payment, and a last row (of ``last_two``, (row number, cells) of the last two
    records read) shorter than the one before it and than the headings."""
    notes = []
    if trailing:
        many = trailing > 1
        notes.append(f"{trailing:,} empty row{'s' if many else ''} after the last payment line "
                     f"{'were' if many else 'was'} ignored.")
    if last_two and len(last_two) >= 2:
        (_, previous), (number, last) = last_two[-2:]
        width = len(layout.header)
        if len(last) < min(width, len(previous)):
            notes.append(f"The last row (row {number}) has only {len(last)} of the {width} "
                         "columns: the file may have been cut short.")
    return notes


def left_out_notes(skipped: list[tuple[int, str]]) -> list[str]:
    """Notes naming the rows left out as totals and as report text, which are never counted
    (every row left out is also a warning of its own)."""
    notes = []
    for start, what in ((TOTAL_LINE, "totals or subtotals"),
                        (TEXT_LINE, "report text around the data")):
        rows = [number for number, reason in skipped if reason.startswith(start)]
        if rows:
            named = ", ".join(f"{row:,}" for row in rows[:_NAMED])
            more = f" and {len(rows) - _NAMED:,} more" if len(rows) > _NAMED else ""
            notes.append(f"Left out as {what}, not payments, and never counted: "
                         f"row{'s' if len(rows) > 1 else ''} {named}{more}.")
    return notes
