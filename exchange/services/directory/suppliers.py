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

from sqlalchemy import select

from exchange.models import SupplierReview, SupplierStatement
from exchange.models.directory import CONFIRMED
from exchange.models.lines import SupplierLine
from exchange.models.returns import PartnerReturn
from exchange.normalise import is_placeholder_id
from exchange.repositories.companies import CompanyRepository
from exchange.services.directory.company_match import CompanyMatcher, company_number_of
from exchange.services.directory.geography import FOUND, OUTSIDE, UNKNOWN, Locator
from exchange.unit_of_work import UnitOfWork

LINE, REGISTER, IDENTIFIER, COMPANIES = "line", "register", "identifier", "companies_register"
SOURCES = (LINE, REGISTER, IDENTIFIER, COMPANIES, UNKNOWN)
AMBIGUOUS = object()
_NO_MATCH = (None, None)
_NO_ASK = (None, None)
_NOWHERE = (UNKNOWN, None, UNKNOWN)
_PLACED_STATUSES = (FOUND, OUTSIDE)
_PLACED_LIMIT = 200_000  # distinct suppliers remembered per ingestion
# What place_spend_lines works out from these columns of a spend row.
_SUPPLIER = itemgetter("supplier_postcode", "redacted", "org_id", "supplier_id",
                       "supplier_name_normalised")
PLACED = ("location_status", "lad_code", "location_source", "sme", "vcse", "org_id",
          "supplier_key")


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

    def match(self, org_id: str | None, supplier_id: str | None,
              name_normalised: str | None) -> tuple[RegisterEntry | None, str | None]:
        """The entry for a supplier and its source (``register`` or ``identifier``), or
        (None, None). A supplier id saying there is none ('Redacted', 'N/A') is no key: the
        register never keeps one."""
        if org_id:
            entry = self.by_org.get(org_id)
            if entry.__class__ is RegisterEntry:
                return entry, REGISTER
        if supplier_id:
            entry = self.by_supplier_id.get(supplier_id)
            if entry is not None:
                return entry, REGISTER
        if name_normalised:
            entry = self.by_name.get(name_normalised)
            if entry.__class__ is RegisterEntry:
                return entry, REGISTER
        if org_id:
            entry = self.others_by_org.get(org_id)
            if entry.__class__ is RegisterEntry:
                return entry, IDENTIFIER
        return _NO_MATCH

    def place_rows(self, keys: list[tuple], locator: Locator) -> list[tuple]:
        """The columns of PLACED, in that order, for suppliers given by their keys (postcode,
        redacted, org id, supplier id, normalised name): the postcodes and the companies
        register are each read once for the whole batch."""
        place = self._place
        return [place(*each) for each in self._matched(keys, locator)]

    def place_many(self, keys: list[tuple], locator: Locator,
                   explain: bool = False) -> list[dict]:
        """`place_rows` as dicts; with ``explain``, each also holds ``said``, who said each
        attribute (see ``_said``)."""
        placings = []
        for key, where, match, company, office in self._matched(keys, locator):
            placed = dict(zip(PLACED, self._place(key, where, match, company, office),
                              strict=True))
            if explain:
                placed["said"] = _said(placed["location_source"], match[0], company,
                                       placed["sme"])
            placings.append(placed)
        return placings

    def _matched(self, keys: list[tuple], locator: Locator):
        """Each key with where its postcode is, its register match, its company and where
        that company's office is."""
        wheres = locator.locate_many(key[0] for key in keys)
        match = self.match
        matches = [_NO_MATCH if key[1] else match(key[2], key[3], key[4]) for key in keys]
        asks = [_asks_companies(key, where, entry) for key, where, (entry, _) in
                zip(keys, wheres, matches, strict=True)]
        self.companies.fetch((company_number_of(o) for o, _ in asks if o),
                             (k for _, k in asks if k))
        company = self.companies.match
        found = [company(*ask) if ask is not _NO_ASK else None for ask in asks]
        offices = locator.locate_many(c.postcode if c else None for c in found)
        return zip(keys, wheres, matches, found, offices, strict=True)

    def _place(self, key, where, match, company, office) -> tuple:
        postcode, redacted, org_id, supplier_id, name_normalised = key
        entry, source = match
        if postcode and where.status in _PLACED_STATUSES:
            location = (where.status, where.lad_code, LINE)
        elif entry is not None and entry.location_status != UNKNOWN:
            location = (entry.location_status, entry.lad_code, source)
        elif company is not None and office.status in _PLACED_STATUSES:
            location = (office.status, office.lad_code, COMPANIES)
        else:
            location = _NOWHERE
        if location[2] in (COMPANIES, UNKNOWN) and not redacted and entry is None:
            self._note_review(name_normalised)
        sme = entry.sme if entry is not None else None
        if sme is None and company is not None:
            sme = company.sme
        org_id = org_id or (entry.org_id if entry else None) or (
            f"GB-COH-{company.number}" if company else None)
        supplier_key = None if redacted else org_id or f"name:{name_normalised or ''}"
        return (*location, sme, entry.vcse if entry else None, org_id, supplier_key)

    def _note_review(self, name_key: str | None) -> None:
        candidate = self.others_by_name.get(name_key) if name_key else None
        if isinstance(candidate, ReviewCandidate):
            self.reviews.setdefault(name_key, candidate)

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


def _said(source: str, entry: RegisterEntry | None, company, sme: bool | None) -> dict:
    """Who said each attribute: ``line``, ``return:<id>``, ``statement:<id>`` or
    ``companies_register:<register date>``; None where nobody did."""
    by_company = f"{COMPANIES}:{company.register_date.isoformat()}" if company else None
    by_entry = entry.said if entry is not None else None
    location = {LINE: LINE, REGISTER: by_entry, IDENTIFIER: by_entry,
                COMPANIES: by_company}.get(source)
    sme_said = by_entry if entry is not None and entry.sme is not None else (
        by_company if sme is not None else None)
    vcse_said = by_entry if entry is not None and entry.vcse is not None else None
    return {"location": location, "sme": sme_said, "vcse": vcse_said}


def _asks_companies(key: tuple, where, entry: RegisterEntry | None) -> tuple:
    """(company org id, name key) to look for in the companies register: for a supplier not
    placed by its own postcode or an entry, or one whose SME status no entry gave; else
    `_NO_ASK`."""
    postcode, redacted, org_id, _, name_key = key
    if redacted:
        return _NO_ASK
    placed = (postcode and where.status in _PLACED_STATUSES) or (
        entry is not None and entry.location_status != UNKNOWN)
    if placed and entry is not None and entry.sme is not None:
        return _NO_ASK
    org_id = org_id or (entry.org_id if entry else None)
    ask = (org_id if company_number_of(org_id) else None, None if org_id else name_key)
    return ask if any(ask) else _NO_ASK


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
