"""The supplier directory: where a supplier is, whether it is an SME or VCSE, and who said so.

A spend line is placed by the first of these that knows where its supplier is:

1. ``line``: the line's own postcode;
2. ``register``: the partner's own word, by organisation identifier, its own supplier id, then
   normalised name: its current suppliers returns, its data officers' statements on the
   worklist (the newest wins), and other partners' entries it has confirmed on the review list;
3. ``identifier``: another partner's entry, matched by organisation identifier only (GB-COH,
   GB-CHC/GB-SC/GB-NIC, GB-NHS, GB-LAE). Another partner's entry matched by name alone places
   nothing: it is put on the partner's review list (``supplier_review``) for a person to confirm;
4. ``companies_register``: the registered office of the company of its number, else of the one
   active company of its exact normalised name (``exchange.services.directory.company_match``);
5. ``unknown``: never guessed.

SME and VCSE come from the entry that gave the partner's word (2) or the identifier match (3);
where the partner said nothing about SME, the companies register's accounts category may
(``company_match.SME_ACCOUNTS``). Each entry keeps who said it and when (``said``)."""

from operator import itemgetter
from typing import NamedTuple

import polars as pl
from sqlalchemy import select

from exchange.models import SupplierReview, SupplierStatement
from exchange.models.directory import CONFIRMED
from exchange.models.lines import SupplierLine
from exchange.models.returns import PartnerReturn
from exchange.normalise import placeholder_ids
from exchange.repositories.companies import CompanyRepository
from exchange.repositories.frames import flag, query_frame
from exchange.services.directory.company_match import COMPANY_PREFIX, CompanyMatcher
from exchange.services.directory.geography import FOUND, OUTSIDE, UNKNOWN, Locator
from exchange.unit_of_work import UnitOfWork

LINE, REGISTER, IDENTIFIER, COMPANIES = "line", "register", "identifier", "companies_register"
SOURCES = (LINE, REGISTER, IDENTIFIER, COMPANIES, UNKNOWN)
_PLACED = (FOUND, OUTSIDE)  # statuses that place a supplier
_ROW = "row_index"  # a supplier's place in the frame being placed
_PLACED_LIMIT = 200_000  # distinct suppliers remembered per ingestion
# What place_spend_lines works out from these columns of a spend row.
_SUPPLIER = itemgetter("supplier_postcode", "redacted", "org_id", "supplier_id",
                       "supplier_name_normalised")
PLACED = ("location_status", "lad_code", "location_source", "sme", "vcse", "org_id",
          "supplier_key")
KEY_SCHEMA = {"supplier_postcode": pl.String, "redacted": pl.Boolean, "org_id": pl.String,
              "supplier_id": pl.String, "supplier_name_normalised": pl.String}


# An entry of the register (what was said about a supplier, and who said it), as columns.
_ENTRY_SCHEMA = {"entry_org_id": pl.String, "entry_status": pl.String, "entry_lad": pl.String,
                 "entry_sme": pl.Boolean, "entry_vcse": pl.Boolean, "entry_saying": pl.String,
                 "entry_said_id": pl.Int64}


class ReviewCandidate(NamedTuple):
    partner_id: int
    return_id: int
    supplier_id: str
    supplier_name: str


# What the register reads of each thing said about a supplier (by a line of a suppliers return,
# ``said_id`` its return; or a data officer's statement, ``said_id`` the statement).
_SAID = {"partner_id": pl.Int64, "said_id": pl.Int64, "supplier_id": pl.String,
         "supplier_name": pl.String, "name_key": pl.String, "org_id": pl.String,
         "location_status": pl.String, "lad_code": pl.String, "sme": pl.Int8, "vcse": pl.Int8}


def _said_columns(model, said_id, name_key) -> tuple:
    return (model.partner_id, said_id, model.supplier_id, model.supplier_name, name_key,
            model.org_id, model.location_status, model.lad_code, flag(model.sme),
            flag(model.vcse))


_CURRENT_LINES = select(*_said_columns(
    SupplierLine, SupplierLine.return_id, SupplierLine.supplier_name_normalised)).join(
    PartnerReturn, SupplierLine.return_id == PartnerReturn.id).where(PartnerReturn.is_current)
_STATEMENTS = select(*_said_columns(
    SupplierStatement, SupplierStatement.id, SupplierStatement.name_key)).order_by(
    SupplierStatement.id)


def _confirmed(partner_id: int):
    """The other partners' current lines the partner confirmed for a name, under that name."""
    review = SupplierReview
    return (select(*_said_columns(SupplierLine, SupplierLine.return_id, review.name_key))
            .select_from(review)
            .join(PartnerReturn, PartnerReturn.partner_id == review.other_partner_id)
            .join(SupplierLine, (SupplierLine.return_id == PartnerReturn.id)
                  & (SupplierLine.supplier_id == review.other_supplier_id))
            .where(review.partner_id == partner_id, review.status == CONFIRMED,
                   PartnerReturn.is_current))


class SupplierRegister:
    """The directory as one partner's lines see it, read once per ingestion (or rebuild);
    the companies register is read a batch of suppliers at a time, through ``companies``."""

    def __init__(self, uow: UnitOfWork, partner_id: int,
                 companies: CompanyRepository | None = None):
        self.partner_id = partner_id
        self.companies = CompanyMatcher(companies if companies is not None else uow.companies)
        self.reviews: dict[str, ReviewCandidate] = {}  # name key -> found while placing
        self.placed: dict[tuple, dict] = {}  # see place_spend_lines
        # Read as frames: a suppliers return can hold a few hundred thousand lines.
        lines = _said_as(query_frame(uow.session, _CURRENT_LINES, _SAID), "return")
        said = _said_as(query_frame(uow.session, _STATEMENTS, _SAID), "statement")
        confirmed = _said_as(query_frame(uow.session, _confirmed(partner_id), _SAID), "return")
        mine = pl.col("partner_id") == partner_id
        self._tables = _look_ups(lines.filter(mine), said.filter(mine), confirmed,
                                 pl.concat([lines.filter(~mine), said.filter(~mine)]))
        self.others_by_name = _candidates(lines.filter(~mine))

    def place_rows(self, keys: list[tuple], locator: Locator) -> list[tuple]:
        """The columns of PLACED, in that order, for suppliers given by their keys (postcode,
        redacted, org id, supplier id, normalised name): `place_frame` of them."""
        return self.place_frame(_key_frame(keys), locator).rows()

    def place_many(self, keys: list[tuple], locator: Locator,
                   explain: bool = False) -> list[dict]:
        """`place_rows` as dicts; with ``explain``, each also holds ``said``, who said each
        attribute (``line``, ``return:<id>``, ``statement:<id>`` or
        ``companies_register:<register date>``; None where nobody did)."""
        placed = self.place_frame(_key_frame(keys), locator, explain)
        if not explain:
            return placed.to_dicts()
        said = placed.select(location="said_location", sme="said_sme", vcse="said_vcse")
        return [{**row, "said": who} for row, who in zip(
            placed.select(PLACED).to_dicts(), said.to_dicts(), strict=True)]

    def place_frame(self, keys: pl.DataFrame, locator: Locator,
                    explain: bool = False) -> pl.DataFrame:
        """The columns of PLACED for each supplier of ``keys`` (the columns of `KEY_SCHEMA`),
        in its order, worked out a column at a time: where its postcode is, its register entry
        (`_entries`), its company (asked only where it is not placed or no entry gave its SME
        status) and where that company's office is. The postcodes and the companies register
        are each read once for the whole frame. With ``explain``, also who said each
        attribute (``said_location``, ``said_sme``, ``said_vcse``)."""
        col, redacted = pl.col, pl.col("redacted").fill_null(False)
        rows = keys.with_row_index(_ROW)
        rows = _beside(rows, _located(locator, rows["supplier_postcode"], "line"),
                       "supplier_postcode")
        rows = _beside(rows, self._entries(rows.filter(~redacted)), _ROW)
        on_line = (_given("supplier_postcode").is_not_null()
                   & col("line_status").is_in(_PLACED)).fill_null(False)
        by_entry = (col("entry_source").is_not_null()
                    & (col("entry_status") != UNKNOWN)).fill_null(False)
        settled = (on_line | by_entry) & col("entry_sme").is_not_null()
        org_id = pl.coalesce(_given("org_id"), _given("entry_org_id"))
        asking = ~redacted & ~settled
        number = pl.when(asking & org_id.str.starts_with(COMPANY_PREFIX)
                         & (org_id.str.len_chars() > len(COMPANY_PREFIX))) \
            .then(org_id.str.slice(len(COMPANY_PREFIX)))
        name = pl.when(asking & org_id.is_null()).then(_given("supplier_name_normalised"))
        asked = rows.select(number=number, name=name)
        rows = rows.hstack(self.companies.match_frame(asked["number"], asked["name"]))
        rows = _beside(rows, _located(locator, rows["company_postcode"], "office"),
                       "company_postcode")
        by_company = (col("company_number").is_not_null()
                      & col("office_status").is_in(_PLACED)).fill_null(False)

        def placed_by(line, entry, company, otherwise):
            return pl.when(on_line).then(line).when(by_entry).then(entry) \
                .when(by_company).then(company).otherwise(otherwise)

        placed = rows.with_columns(
            location_status=placed_by(col("line_status"), col("entry_status"),
                                      col("office_status"), pl.lit(UNKNOWN)),
            lad_code=placed_by(col("line_lad"), col("entry_lad"), col("office_lad"),
                               pl.lit(None, pl.String)),
            location_source=placed_by(pl.lit(LINE), col("entry_source"), pl.lit(COMPANIES),
                                      pl.lit(UNKNOWN)),
            placed_sme=pl.coalesce("entry_sme", "company_sme"),
            placed_org_id=pl.coalesce(org_id, COMPANY_PREFIX + col("company_number")))
        self._note_reviews(placed.filter(
            col("location_source").is_in([COMPANIES, UNKNOWN]) & ~redacted
            & col("entry_source").is_null())["supplier_name_normalised"])
        return placed.select(
            "location_status", "lad_code", "location_source",
            sme=col("placed_sme"), vcse=col("entry_vcse"), org_id=col("placed_org_id"),
            supplier_key=pl.when(redacted).then(None).otherwise(pl.coalesce(
                "placed_org_id", "name:" + col("supplier_name_normalised").fill_null(""))),
            **(_said(placed) if explain else {}))

    def _entries(self, rows: pl.DataFrame) -> pl.DataFrame:
        """The register entry of each row (by ``_ROW``) that has one, and its source: the
        partner's own by org id, supplier id, then name (``register``), else another
        partner's by org id (``identifier``). A key two entries disagree on matches nothing."""
        found, left = [], rows
        for column, table, source in self._tables:
            hits = left.select(_ROW, key=_given(column)).join(table, on="key", how="inner")
            found.append(hits.select(_ROW, *_ENTRY_SCHEMA, entry_source=pl.lit(source)))
            left = left.join(hits.select(_ROW), on=_ROW, how="anti")
        return pl.concat(found)

    def _note_reviews(self, name_keys: pl.Series) -> None:
        """Put the other partners' suppliers of these names on the review list, in order (the
        first met for a name is kept)."""
        names = name_keys.drop_nulls().to_frame("name_key")
        found = names.join(self.others_by_name, on="name_key", how="inner",
                           maintain_order="left")
        for name_key, *candidate in found.rows():
            self.reviews.setdefault(name_key, ReviewCandidate(*candidate))

    def record_reviews(self, uow: UnitOfWork) -> int:
        """Put the name-only matches found while placing on the partner's review list (those
        not there already, whatever was decided about them); returns how many were new."""
        if not self.reviews:
            return 0
        listed = set(uow.session.execute(
            select(SupplierReview.name_key, SupplierReview.other_partner_id)
            .where(SupplierReview.partner_id == self.partner_id)))
        new = [SupplierReview(partner_id=self.partner_id, name_key=key,
                              supplier_name=c.supplier_name, other_partner_id=c.partner_id,
                              other_return_id=c.return_id, other_supplier_id=c.supplier_id)
               for key, c in self.reviews.items() if (key, c.partner_id) not in listed]
        uow.session.add_all(new)
        uow.session.flush()
        self.reviews.clear()
        return len(new)


def _said(placed: pl.DataFrame) -> dict[str, pl.Expr]:
    """Who said each attribute of the rows `SupplierRegister.place_frame` placed."""
    col = pl.col
    has_entry = col("entry_source").is_not_null()
    by_entry = col("entry_saying") + ":" + col("entry_said_id").cast(pl.String)
    by_company = f"{COMPANIES}:" + col("company_date").cast(pl.String)
    source = col("location_source")
    return {
        "said_location": pl.when(source == LINE).then(pl.lit(LINE))
        .when(source.is_in([REGISTER, IDENTIFIER])).then(by_entry)
        .when(source == COMPANIES).then(by_company),
        "said_sme": pl.when(has_entry & col("entry_sme").is_not_null()).then(by_entry)
        .when(col("placed_sme").is_not_null()).then(by_company),
        "said_vcse": pl.when(has_entry & col("entry_vcse").is_not_null()).then(by_entry),
    }


def _beside(rows: pl.DataFrame, found: pl.DataFrame, on: str) -> pl.DataFrame:
    """``rows`` in their order, each with what ``found`` holds for its ``on``, if anything."""
    return rows.join(found, on=on, how="left", maintain_order="left")


def _located(locator: Locator, postcodes: pl.Series, prefix: str) -> pl.DataFrame:
    """Where each distinct postcode is, as ``postcodes``' column and ``<prefix>_status``,
    ``<prefix>_lad``."""
    return locator.locate_frame(postcodes).rename(
        {"postcode": postcodes.name, "status": f"{prefix}_status", "lad_code": f"{prefix}_lad"})


def _given(column: str) -> pl.Expr:
    """The column where it holds something (an empty text is none)."""
    return pl.when(pl.col(column) != "").then(pl.col(column))


def _key_frame(keys: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(keys, schema=KEY_SCHEMA, orient="row")


def _said_as(said: pl.DataFrame, saying: str) -> pl.DataFrame:
    """Things said (`_SAID`), each with its entry (`_ENTRY_SCHEMA`): who said it is
    ``saying`` (``return`` or ``statement``) and its ``said_id``."""
    col = pl.col
    return said.with_columns(
        entry_org_id=col("org_id"), entry_status=col("location_status"),
        entry_lad=col("lad_code"), entry_sme=col("sme").cast(pl.Boolean),
        entry_vcse=col("vcse").cast(pl.Boolean), entry_saying=pl.lit(saying),
        entry_said_id=col("said_id"))


def _look_ups(lines: pl.DataFrame, said: pl.DataFrame, confirmed: pl.DataFrame,
              others: pl.DataFrame) -> list[tuple[str, pl.DataFrame, str]]:
    """The register's look-ups as frames (``key``, `_ENTRY_SCHEMA`), each with the column of a
    supplier it matches and its source, in the order they are tried: the partner's own word
    by org id, supplier id, then name, and the ``others``' by org id.

    The partner's own word is the ``lines`` of its suppliers returns, then its officers'
    statements (``said``, oldest first), each of which replaces what was said before about
    its keys; for a name it has said nothing about, the other partners' entry it
    ``confirmed``. A key whose entries disagree on where the supplier is matches nothing."""
    has_id = ~placeholder_ids(pl.col("supplier_id"))
    by_name = _replaced(_undisputed(lines, "name_key"), _newest(said, "name_key"))
    by_name = pl.concat([by_name, _newest(confirmed, "name_key", keep="first").join(
        by_name, on="key", how="anti")])
    return [
        ("org_id", _agreed(_replaced(_undisputed(lines, "org_id"), _newest(said, "org_id"))),
         REGISTER),
        ("supplier_id", _agreed(_newest(pl.concat([lines, said]).filter(has_id),
                                        "supplier_id")), REGISTER),
        ("supplier_name_normalised", _agreed(by_name), REGISTER),
        ("org_id", _agreed(_undisputed(others, "org_id")), IDENTIFIER)]


def _keyed(entries: pl.DataFrame, key: str) -> pl.DataFrame:
    """The entries by their ``key`` where they have one."""
    return entries.select(_given(key).alias("key"), *_ENTRY_SCHEMA).drop_nulls("key")


def _undisputed(entries: pl.DataFrame, key: str) -> pl.DataFrame:
    """The first entry for each key, ``disputed`` where another says the supplier is
    elsewhere."""
    return _keyed(entries, key).group_by("key", maintain_order=True).agg(
        pl.all().first(), disputed=pl.struct("entry_status", "entry_lad").n_unique() > 1)


def _newest(entries: pl.DataFrame, key: str, keep: str = "last") -> pl.DataFrame:
    """The last (or first) entry for each key: what was said last replaces the rest."""
    return _keyed(entries, key).unique("key", keep=keep, maintain_order=True).with_columns(
        disputed=pl.lit(False))


def _replaced(before: pl.DataFrame, after: pl.DataFrame) -> pl.DataFrame:
    """``before``'s keys that ``after`` says nothing about, and ``after``."""
    return pl.concat([before.join(after, on="key", how="anti"), after])


def _agreed(look_up: pl.DataFrame) -> pl.DataFrame:
    return look_up.filter(~pl.col("disputed")).drop("disputed")


def _candidates(lines: pl.DataFrame) -> pl.DataFrame:
    """Other partners' lines by name (``name_key``, then the fields of `ReviewCandidate`): a
    name two partners give is nobody's in particular."""
    return lines.select(
        _given("name_key").alias("name_key"), "partner_id", return_id="said_id",
        supplier_id="supplier_id", supplier_name=pl.col("supplier_name").fill_null(""),
    ).drop_nulls("name_key").group_by("name_key", maintain_order=True).agg(
        pl.all().first(), disputed=pl.col("partner_id").n_unique() > 1,
    ).filter(~pl.col("disputed")).drop("disputed")


def place_spend_lines(rows: list[dict], locator: Locator, register: SupplierRegister) -> None:
    """Give each spend row its location, its source, its supplier key for distinct counts, and
    SME/VCSE status (see the module)."""
    # Everything placed here depends only on the supplier's columns, and spend files repeat a
    # few thousand suppliers a million times: work each distinct supplier out once.
    placed = register.placed
    if len(placed) > _PLACED_LIMIT:
        placed.clear()
    try:
        keys = list(map(_SUPPLIER, rows))
    except KeyError:  # rows from elsewhere than the validator may lack a column
        keys = [(row.get("supplier_postcode"), row.get("redacted", False), row.get("org_id"),
                 row.get("supplier_id"), row.get("supplier_name_normalised")) for row in rows]
    new = list(set(keys).difference(placed))
    if new:
        placed.update(zip(new, register.place_many(new, locator), strict=True))
    for row, key in zip(rows, keys, strict=True):
        row.update(placed[key])


def place_supplier_lines(rows: list[dict], locator: Locator) -> None:
    """A supplier is where its trading site is, else its registered office."""
    sites = locator.locate_many(row.get("site_postcode") for row in rows)
    offices = locator.locate_many(row.get("registered_postcode") for row in rows)
    for row, site, office in zip(rows, sites, offices, strict=True):
        where = site if site.status != UNKNOWN else office
        row.update(location_status=where.status, lad_code=where.lad_code)


def place_contribution_lines(rows: list[dict], locator: Locator) -> None:
    for row, where in zip(rows, locator.locate_many(r.get("contributor_postcode") for r in rows),
                          strict=True):
        row["lad_code"] = where.lad_code
