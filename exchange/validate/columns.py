"""`RowValidator`'s rules applied a column at a time, for rows read as columns (polars).

The rules are the same objects: each distinct cell of a typed column is converted once by its
`Cell` (with its cache), and the rows holding it share the result; text cells are checked in
bulk and the few that need a message are handed to `RowValidator.check_text`; rows missing a
required value go to `RowValidator.check_required`. Amounts written plainly (digits, thousands
separators, a minus sign, a pound sign or brackets, at most two decimals) are read by polars
instead, because nearly every amount is different, and so are VAT, company and charity numbers
written plainly (`normalise.PLAIN_VAT_NUMBER` …), because each supplier has its own; everything
else takes the `Cell` path. The
issues, values and totals are those the row validator gives for the same rows
(``tests/ingest/test_columns_match_rows.py``).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl

from exchange import normalise as n
from exchange.repositories.copytext import NULL, TO_ESCAPE, copy_text, escape_text
from exchange.validate import REDACTED, RowValidator
from exchange.validate.cells import (
    FORMULA_START,
    NOT_GIVEN_TEXT,
    as_shown,
)
from exchange.validate.known_cells import KNOWN_LIMIT, MONEY, KnownCells, plain_rule
from schemas.issues import ERROR, Issue

ROW, VALID = "row", "valid"
# Amounts polars reads exactly as `normalise.parse_amount` does: the sign, then the pounds
# (no more than 12 digits, so under a trillion), then up to two decimals.
_PLAIN_MONEY = (r"^(?:-£?|£-?|\()?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,12})(?:\.[0-9]{1,2})?\)?$")
# Plain amounts written as they are read: no sign but a minus, no separators, no brackets. A
# chunk's column of nothing else is its own plain text.
_SIMPLE_MONEY = r"^-?[0-9]{1,12}(?:\.[0-9]{1,2})?$"
# Text `check_text` warns of, at a glance: a formula's first character and more.
_FORMULA = "(?s)^[" + re.escape(FORMULA_START) + "]."


def text_column(name: str) -> str:
    """The column holding a field's value as COPY text."""
    return f"{name}:text"


def value_column(name: str) -> str:
    """The column holding a money field's value as a decimal."""
    return f"{name}:value"


@dataclass
class Checked:
    """One frame of rows, checked: ``frame`` has the row number, whether the row is valid,
    each field's raw text (its own name), the COPY text (`text_column`) of the fields asked
    for and, for money, its value (`value_column`). ``issues`` are in the order the row
    validator finds them."""

    frame: pl.DataFrame
    issues: list[Issue]
    rows: int  # valid rows
    # Warnings past what the caller lists (`ColumnValidator.check`'s ``room``): code -> rows.
    unlisted: dict[str, pl.Series] = field(default_factory=dict)


class ColumnValidator:
    """Checks frames of rows given as columns of stripped text
    (`partners.formats.columns.ColumnReader`)."""

    def __init__(self, validator: RowValidator, texts: tuple[str, ...] | None = None):
        """``texts``: the fields whose COPY text is wanted (all by default); the others are
        only checked."""
        self.validator = validator
        self.texts = set(validator.cells if texts is None else texts)
        self.cells = validator.cells
        self._known: dict[str, KnownCells] = {}  # typed field -> its cells seen, converted
        if validator.groups:
            raise ValueError(f"{validator.kind} rows need one of several fields; check them "
                             "with RowValidator")
        self._money = {name for name, cell in self.cells.items() if cell.parse is n.parse_amount}
        self._plain = {name: rule for name, cell in self.cells.items()
                       if (rule := plain_rule(cell)) is not None}

    def check(self, frame: pl.DataFrame, room: Callable[[str], int] | None = None,
              plain: bool = False) -> Checked:
        """Three passes over the frame, each computing every column at once: what each text
        cell is and whether it needs a message; the typed cells' distinct values, converted
        once in Python; and every value mapped back to its rows. ``room``: how many more
        warnings of a code the caller lists; the rest are only counted (`Checked.unlisted`),
        so a file warned on every line does not make an issue for each. ``plain``: the text
        cells are known to hold nothing COPY text escapes (`ColumnReader.plain_text`)."""
        found: list[tuple[int, int, Issue]] = []  # (row, field position, issue)
        listing = _Listing(room)
        given = {name: cell for name, cell in self.cells.items() if name in frame.columns}
        texts = [name for name, cell in given.items() if cell.parse is None]
        money = [name for name in given if name in self._money]
        glance = [pl.col(name).str.contains(_SIMPLE_MONEY).all().alias(name) for name in money]
        if not plain:
            glance += [pl.col(name).str.contains(TO_ESCAPE).any().alias(name) for name in texts]
        looks = frame.select(glance).row(0, named=True) if glance else {}
        escape = {name for name in texts if looks.get(name)}
        simple = {name for name in money if looks[name]}
        first = frame.with_columns(*self._first_pass(given, escape, simple))
        if self._money & given.keys():
            first = first.with_columns(*self._money_pass(given))
            first = first.with_columns(self._plain_expr(name).alias(_part(name, "plain"))
                                       for name in self._money & given.keys())
        self._text_messages(first, given, found)
        mapped = first.with_columns(*self._typed_pass(first, given, found, listing))
        blanks = self.validator.blanks
        missing = [pl.col(_part(name, "empty")) if name in given
                   else pl.lit(cell.convert(None) is None)
                   for name, cell in self.cells.items() if cell.required and name not in blanks]
        if missing:
            self._required(mapped, missing, found)
        invalid = {row for row, _, issue in found if issue.severity == ERROR}
        if self.validator.redactable and "supplier_name" in given:
            self._redacted(mapped, invalid, found, listing)
        found.sort(key=lambda item: (item[0], item[1]))
        issues = [issue for _, _, issue in found]
        absent = [pl.lit(copy_text(cell.convert(None))).alias(text_column(name))
                  for name, cell in self.cells.items() if name not in given and name in self.texts]
        absent += [pl.lit(None, MONEY).alias(value_column(name))
                   for name in self._money if name not in given]
        out = mapped.with_columns(*absent, (~pl.col(ROW).is_in(list(invalid))).alias(VALID))
        return Checked(out, issues, frame.height - len(invalid), listing.unlisted)

    def _first_pass(self, given: dict, escape: set[str], simple: set[str]) -> list[pl.Expr]:
        """Text cells: empty or not, suspect or not, and their COPY text (escaped in the
        fields of ``escape``); money cells written plainly: their value (the cells as they are
        in the fields of ``simple``, each cell of which is `_SIMPLE_MONEY`)."""
        exprs = []
        for name, cell in given.items():
            raw = pl.col(name)
            if cell.parse is None:
                empty = _empty(raw, cell)
                # A superset (bytes are at least characters): `check_text` decides.
                suspect = (raw.str.len_bytes() > cell.max_length) | raw.str.contains(_FORMULA)
                escaped = escape_text(raw) if name in escape else raw
                exprs += [empty.alias(_part(name, "empty")),
                          suspect.alias(_part(name, "suspect"))]
                if name in self.texts:
                    blank = copy_text(self.validator.blanks.get(name))
                    exprs.append(pl.when(empty).then(pl.lit(blank)).otherwise(escaped)
                                 .alias(text_column(name)))
            elif name in simple:
                exprs += [pl.lit(True).alias(_part(name, "shape")),
                          raw.alias(_part(name, "plain text"))]
            elif name in self._money:
                negative = (raw.str.starts_with("-") | raw.str.starts_with("£-")
                            | raw.str.starts_with("("))
                digits = raw.str.strip_chars_start("-£(").str.strip_chars_end(")") \
                    .str.replace_all(",", "", literal=True)
                # Brackets must close; the value (and so whether it is plain) comes next.
                exprs += [(raw.str.contains(_PLAIN_MONEY)
                           & (raw.str.starts_with("(") == raw.str.ends_with(")")))
                          .alias(_part(name, "shape")),
                          pl.when(negative).then(pl.lit("-") + digits).otherwise(digits)
                          .alias(_part(name, "plain text"))]
        return exprs

    def _money_pass(self, given: dict) -> list[pl.Expr]:
        """Plain money cells: their value, and whether they are plain (a zero amount may carry
        a warning, so it goes the long way)."""
        exprs = []
        for name in self._money & given.keys():
            value = pl.col(_part(name, "plain text")).cast(MONEY, strict=False)
            exprs.append(value.alias(_part(name, "plain value")))
        return exprs

    def _plain_expr(self, name: str) -> pl.Expr:
        value = pl.col(_part(name, "plain value"))
        plain = pl.col(_part(name, "shape")) & value.is_not_null()
        return plain & (value != 0) if self.cells[name].warn_if_zero else plain

    def _text_messages(self, first: pl.DataFrame, given: dict, found: list) -> None:
        """The row validator's messages for text cells too long or starting like a formula."""
        check = self.validator.check_text
        for position, (name, cell) in enumerate(self.cells.items()):
            if name not in given or cell.parse is not None:
                continue
            suspects = first.filter(pl.col(_part(name, "suspect"))).select(ROW, name)
            for number, text in suspects.iter_rows():
                issues: list[Issue] = []
                check(number, name, text, issues)
                found.extend((number, position, issue) for issue in issues)

    def _typed_pass(self, first: pl.DataFrame, given: dict, found: list,
                    listing: "_Listing") -> list[pl.Expr]:
        """Each distinct typed cell (other than plain money) converted once per file by its
        `Cell`; the expressions mapping the cells to their COPY text, emptiness and money
        value (through `KnownCells`, so the chunk's cells seen before cost no Python)."""
        typed = [name for name, cell in given.items() if cell.parse is not None]
        if not typed:
            return []
        plainly = {name: self._plain_identifier(name) for name in typed
                   if name in self._plain}
        distinct = first.select(
            (pl.col(name).filter(~pl.col(_part(name, "plain"))) if name in self._money
             else pl.col(name).filter(~plainly[name][0]) if name in plainly
             else pl.col(name)).drop_nulls().unique().implode() for name in typed)
        exprs = []
        for name in typed:
            cell, position = given[name], list(self.cells).index(name)
            known = self._known.get(name)
            if known is None or known.size > KNOWN_LIMIT:
                known = self._known[name] = KnownCells(cell, name in self._money)
            texts = distinct[name][0]
            cells = known.add(texts)  # the chunk's: mapping only those is quicker
            if known.flags and (flagged := {
                    text: known.flags[text] for text in
                    texts.filter(texts.is_in(list(known.flags))).to_list()}):
                self._flags(name, first, flagged, position, found, listing)
            raw = pl.col(name)
            # Only an empty value prints as NULL; a value that could not be read as ""
            text = raw.replace_strict(cells["raw"], cells["text"], default=None,
                                      return_dtype=pl.String).fill_null(NULL)
            if name in plainly:
                takes, value = plainly[name]
                text = pl.when(takes).then(value).otherwise(text)
            if name in self._money:
                plain = pl.col(_part(name, "plain"))
                slow = raw.replace_strict(cells["raw"], cells["value"],
                                          default=None, return_dtype=MONEY)
                exprs.append(pl.when(plain).then(pl.col(_part(name, "plain value")))
                             .otherwise(slow).alias(value_column(name)))
                text = pl.when(plain).then(pl.col(_part(name, "plain text"))).otherwise(text)
            if name in self.texts:
                exprs.append(text.alias(text_column(name)))
            if cell.required:
                exprs.append((text == NULL).alias(_part(name, "empty")))
        return exprs

    def _flags(self, name, first: pl.DataFrame, flagged: dict, position: int,
               found: list, listing: "_Listing") -> None:
        header, letter = self.validator.where[name]
        hit = first.filter(pl.col(name).is_in(list(flagged))).select(ROW, name)
        kinds: dict[tuple[str, str], list[str]] = {}  # (code, severity) -> the cells
        for text, flag in flagged.items():
            kinds.setdefault((flag.code, flag.severity), []).append(text)
        for (code, severity), texts in kinds.items():
            rows = hit.filter(pl.col(name).is_in(texts)) if len(kinds) > 1 else hit
            if severity != ERROR:  # every error is made: it marks its row invalid
                rows = listing.listed(code, rows)
            for number, text in rows.iter_rows():
                flag = flagged[text]
                found.append((number, position, Issue(flag.severity, flag.code, flag.message,
                                                      number, header, letter, as_shown(text))))

    # --- rows ------------------------------------------------------------------------------

    def _redacted(self, frame: pl.DataFrame, invalid: set[int], found: list,
                  listing: "_Listing") -> None:
        """Valid rows whose supplier name is blank or says it is withheld get the row
        validator's warning, after the row's other issues. The frame's distinct names are
        judged afresh (`normalise.names_redacted` sieves them quickly): remembering those
        judged cost more, at 200,000 suppliers, than judging them again."""
        names = frame["supplier_name"].unique()
        withheld = names.filter(n.names_redacted(names.to_frame().select(
            self.text_value("supplier_name")).to_series()))
        if not withheld.len():
            return
        hit = frame.filter(pl.col("supplier_name").is_in(withheld.implode())
                           & ~pl.col(ROW).is_in(list(invalid))).select(ROW, "supplier_name")
        last = len(self.cells) + 1
        issue = self.validator.redacted_issue
        for number, name in listing.listed(REDACTED, hit).iter_rows():
            found.append((number, last, issue(number, name)))

    def text_value(self, name: str) -> pl.Expr:
        """A text field's values as `RowValidator.text_value` keeps them, from its cells."""
        raw = pl.col(name)
        return pl.when(raw.is_null() | _empty(raw, self.cells[name])).then(
            pl.lit(self.validator.blanks.get(name), pl.String)).otherwise(raw).alias(name)

    def _plain_identifier(self, name: str) -> tuple[pl.Expr, pl.Expr]:
        """Whether a cell of an identifier field is written plainly, and its value if so."""
        takes, value = self._plain[name]
        raw = pl.col(name)
        return takes(raw) & (value(raw).str.len_chars() <= self.cells[name].max_length), \
            value(raw)

    def values_of(self, name: str, raw: pl.Series) -> pl.Series:
        """A field's values for cells that `check` has seen (stripped text): a typed field's
        as its `Cell` converted them, as text (a flag's value; None for one that could not be
        read), a text field's (or an absent typed field's) as `text_value` keeps them."""
        known = self._known.get(name)
        if known is None:
            return raw.to_frame(name).select(self.text_value(name)).to_series()
        cells = raw.rename(name).to_frame().with_columns(known.values_of(raw).alias("value"))
        if name not in self._plain:
            return cells["value"].rename(name)
        takes, plain = self._plain_identifier(name)
        return cells.select(pl.when(takes).then(plain).otherwise("value").alias(name)
                            ).to_series()

    def _required(self, frame: pl.DataFrame, missing: list[pl.Expr], found: list) -> None:
        """Rows with a required value missing get the row validator's own messages."""
        validator = self.validator
        names = list(self.cells)
        required = [name for name, cell in self.cells.items()
                    if cell.required and name not in validator.blanks]
        fields = tuple(name for name in names if name in frame.columns)
        lacking = frame.filter(pl.any_horizontal(missing))
        if not lacking.height:
            return
        gaps = lacking.select(m.alias(str(i)) for i, m in enumerate(missing))
        for (number, *values), empties in zip(lacking.select(ROW, *fields).iter_rows(),
                                              gaps.iter_rows(), strict=True):
            out = [True] * len(names)
            for name, empty in zip(required, empties, strict=True):
                if empty:
                    out[names.index(name)] = None
            issues: list[Issue] = []
            validator.check_required(number, tuple(out), tuple(values), fields, issues)
            found.extend((number, len(names), issue) for issue in issues)


class _Listing:
    """Which warnings of one check are made into issues: while the caller lists more of their
    code (``room``), in row order; the rows of the others are kept, to be counted."""

    def __init__(self, room: Callable[[str], int] | None):
        self.room = room
        self.used: dict[str, int] = {}
        self.unlisted: dict[str, pl.Series] = {}

    def listed(self, code: str, rows: pl.DataFrame) -> pl.DataFrame:
        """The first of ``rows`` (a frame of ``ROW`` and more, in row order) still listed."""
        if self.room is None:
            return rows
        used = self.used.get(code, 0)
        kept = rows.head(max(self.room(code) - used, 0))
        self.used[code] = used + kept.height
        if kept.height < rows.height:
            rest = rows[ROW].slice(kept.height)
            before = self.unlisted.get(code)
            self.unlisted[code] = rest if before is None else pl.concat([before, rest])
        return kept


def _empty(raw: pl.Expr, cell) -> pl.Expr:
    """A text cell left empty (or, where the field is required, saying it is not given)."""
    empty = raw == ""
    return empty | raw.is_in(sorted(NOT_GIVEN_TEXT)) if cell.required else empty


def _part(name: str, what: str) -> str:
    """A working column of a field: ``empty``, ``suspect``, ``shape``, ``plain``, ``plain
    text``, ``plain value``."""
    return f"{name}:{what}"
