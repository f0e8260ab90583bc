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
from exchange.normalise import is_placeholder_id
from exchange.repositories.companies import CompanyRepository
from exchange.services.directory.company_match import COMPANY_PREFIX, CompanyMatcher
from exchange.services.directory.geography import FOUND, OUTSIDE, UNKNOWN, Locator
from exchange.unit_of_work import UnitOfWork

LINE, REGISTER, IDENTIFIER, COMPANIES = "line", "register", "identifier", "companies_register"
SOURCES = (LINE, REGISTER, IDENTIFIER, COMPANIES, UNKNOWN)
AMBIGUOUS = object()
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


class RegisterEntry(NamedTuple):
    """One statement about a supplier, by ``saying`` (``return``: a suppliers return;
    ``statement``: a data officer on the worklist) number ``said_id``. A named tuple: a
    suppliers return of a few hundred thousand lines makes as many entries per ingestion."""

    org_id: str | None
    location_status: str
    lad_code: str | None
    sme: bool | None
    vcse: bool | None
    saying: str = ""
    said_id: int | None = None

    @property
    def said(self) -> str:
        """Who said it and when: ``return:<id>``, ``statement:<id>``."""
        return f"{self.saying}:{self.said_id}" if self.saying else ""


_ENTRY_SCHEMA = {"entry_org_id": pl.String, "entry_status": pl.String, "entry_lad": pl.String,
                 "entry_sme": pl.Boolean, "entry_vcse": pl.Boolean, "entry_saying": pl.String,
                 "entry_said_id": pl.Int64}  # a RegisterEntry's fields, as columns


class ReviewCandidate(NamedTuple):
    partner_id: int
    return_id: int
    supplier_id: str
    supplier_name: str


_ENTRY_COLUMNS = (SupplierLine.partner_id, SupplierLine.return_id, SupplierLine.supplier_id,
                  SupplierLine.supplier_name, SupplierLine.supplier_name_normalised,
                  SupplierLine.org_id, SupplierLine.location_status, SupplierLine.lad_code,
                  SupplierLine.sme, SupplierLine.vcse)


def _entry(line) -> RegisterEntry:
    """The entry a suppliers return's line makes (a SupplierLine or a row of _ENTRY_COLUMNS)."""
    return RegisterEntry(line.org_id, line.location_status, line.lad_code, line.sme, line.vcse,
                         "return", line.return_id)


class SupplierRegister:
    """The directory as one partner's lines see it, read once per ingestion (or rebuild);
    the companies register is read a batch of suppliers at a time, through ``companies``."""

    def __init__(self, uow: UnitOfWork, partner_id: int,
                 companies: CompanyRepository | None = None):
        self.partner_id = partner_id
        self.by_org: dict[str, RegisterEntry | object] = {}  # the partner's own
        self.by_supplier_id: dict[str, RegisterEntry] = {}
        self.by_name: dict[str, RegisterEntry | object] = {}
        self.others_by_org: dict[str, RegisterEntry | object] = {}
        self.others_by_name: dict[str, ReviewCandidate | object] = {}
        self.companies = CompanyMatcher(companies if companies is not None else uow.companies)
        self.reviews: dict[str, ReviewCandidate] = {}  # name key -> found while placing
        self.placed: dict[tuple, dict] = {}  # see place_spend_lines
        self._frames: list | None = None  # see _tables
        # Only the columns placing reads, as plain rows: a suppliers return can hold a
        # few hundred thousand lines, and ORM objects cost several times as much to load.
        current = select(*_ENTRY_COLUMNS).join(
            PartnerReturn, SupplierLine.return_id == PartnerReturn.id).where(
            PartnerReturn.is_current)
        for line in uow.session.execute(current):
            self._add_line(*line)
        statements = select(SupplierStatement).order_by(SupplierStatement.id)
        for said in uow.session.scalars(statements):
            self._add_statement(said)
        self._add_confirmed(uow)

    def _add_line(self, partner_id, return_id, supplier_id, supplier_name, name_key, org_id,
                  location_status, lad_code, sme, vcse) -> None:
        """One line of a current suppliers return (the columns of `_ENTRY_COLUMNS`)."""
        entry = RegisterEntry(org_id, location_status, lad_code, sme, vcse, "return", return_id)
        if partner_id != self.partner_id:
            if org_id:
                _put(self.others_by_org, org_id, entry)
            if name_key:
                _put(self.others_by_name, name_key, ReviewCandidate(
                    partner_id, return_id, supplier_id, supplier_name))
            return
        if org_id:
            _put(self.by_org, org_id, entry)
        if not is_placeholder_id(supplier_id):
            self.by_supplier_id[supplier_id] = entry
        if name_key:
            _put(self.by_name, name_key, entry)

    def _add_statement(self, said: SupplierStatement) -> None:
        """A data officer's statement replaces what the partner said before about the
        supplier (it is newer); another partner's counts only through its identifier."""
        entry = RegisterEntry(said.org_id, said.location_status, said.lad_code, said.sme,
                              said.vcse, "statement", said.id)
        if said.partner_id != self.partner_id:
            if said.org_id:
                _put(self.others_by_org, said.org_id, entry)
            return
        if said.org_id:
            self.by_org[said.org_id] = entry
        if said.supplier_id and not is_placeholder_id(said.supplier_id):
            self.by_supplier_id[said.supplier_id] = entry
        self.by_name[said.name_key] = entry

    def _add_confirmed(self, uow: UnitOfWork) -> None:
        """Other partners' entries the partner confirmed for a name: its own word from then on
        (unless it said something itself)."""
        stmt = (select(SupplierReview.name_key, SupplierLine)
                .join(PartnerReturn, PartnerReturn.partner_id == SupplierReview.other_partner_id)
                .join(SupplierLine, (SupplierLine.return_id == PartnerReturn.id)
                      & (SupplierLine.supplier_id == SupplierReview.other_supplier_id))
                .where(SupplierReview.partner_id == self.partner_id,
                       SupplierReview.status == CONFIRMED, PartnerReturn.is_current))
        for name_key, line in uow.session.execute(stmt):
            self.by_name.setdefault(name_key, _entry(line))

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
            placed_org_id=pl.coalesce(org_id, "GB-COH-" + col("company_number")))
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
        for column, table, source in self._tables():
            hits = left.select(_ROW, key=_given(column)).join(table, on="key", how="inner")
            found.append(hits.select(_ROW, *_ENTRY_SCHEMA, entry_source=pl.lit(source)))
            left = left.join(hits.select(_ROW), on=_ROW, how="anti")
        return pl.concat(found)

    def _tables(self) -> list[tuple[str, pl.DataFrame, str]]:
        """The register's look-ups as frames (key, `_ENTRY_SCHEMA`), in the order they are
        tried: worked out once, as the register does not change while it places."""
        if self._frames is None:
            self._frames = [(column, _entry_frame(table), source) for column, table, source in (
                ("org_id", self.by_org, REGISTER), ("supplier_id", self.by_supplier_id, REGISTER),
                ("supplier_name_normalised", self.by_name, REGISTER),
                ("org_id", self.others_by_org, IDENTIFIER))]
        return self._frames

    def _note_reviews(self, name_keys: pl.Series) -> None:
        """Put the other partners' suppliers of these names on the review list, in order (the
        first met for a name is kept)."""
        others, reviews = self.others_by_name, self.reviews
        for name_key in name_keys.drop_nulls().to_list():
            candidate = others.get(name_key) if name_key else None
            if candidate.__class__ is ReviewCandidate:
                reviews.setdefault(name_key, candidate)

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


def _entry_frame(table: dict) -> pl.DataFrame:
    """A look-up's entries (ambiguous keys left out), as rows of key and `_ENTRY_SCHEMA`."""
    rows = [(key, *entry) for key, entry in table.items() if entry.__class__ is RegisterEntry]
    return pl.DataFrame(rows, schema={"key": pl.String, **_ENTRY_SCHEMA}, orient="row")


def _put(table: dict, key: str, entry) -> None:
    """Two entries that disagree make the key ambiguous: never guess."""
    existing = table.get(key)
    if existing is None:
        table[key] = entry
    elif existing is not AMBIGUOUS and _differs(existing, entry):
        table[key] = AMBIGUOUS


def _differs(one, other) -> bool:
    if isinstance(one, RegisterEntry):
        return (one.location_status, one.lad_code) != (other.location_status, other.lad_code)
    return one.partner_id != other.partner_id


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
