"""The hub's supplier register: current suppliers returns of every partner, matched by org id,
then by the partner's own supplier id, then by normalised name. It places spend lines that
carry no postcode of their own, and tells SME and VCSE status."""

from dataclasses import dataclass
from operator import itemgetter

from sqlalchemy import select

from exchange.models.lines import SupplierLine
from exchange.models.returns import PartnerReturn
from exchange.normalise import is_placeholder_id
from exchange.services.geography import FOUND, OUTSIDE, UNKNOWN, Locator
from exchange.unit_of_work import UnitOfWork

AMBIGUOUS = object()
_PLACED_LIMIT = 200_000  # distinct suppliers remembered per ingestion
# What place_spend_lines works out from these columns of a spend row.
_SUPPLIER = itemgetter("supplier_postcode", "redacted", "org_id", "supplier_id",
                       "supplier_name_normalised")
PLACED = ("location_status", "lad_code", "location_source", "sme", "vcse", "org_id",
          "supplier_key")


@dataclass(frozen=True)
class RegisterEntry:
    org_id: str | None
    location_status: str
    lad_code: str | None
    sme: bool | None
    vcse: bool | None


class SupplierRegister:
    """In-memory look-ups over the register, built once per ingestion."""

    def __init__(self, uow: UnitOfWork, partner_id: int):
        self.partner_id = partner_id
        self.by_org: dict[str, RegisterEntry | object] = {}
        self.by_supplier_id: dict[str, RegisterEntry] = {}
        self.by_name: dict[str, RegisterEntry | object] = {}
        self.placed: dict[tuple, dict] = {}  # see place_spend_lines
        stmt = (select(SupplierLine).join(PartnerReturn, SupplierLine.return_id == PartnerReturn.id)
                .where(PartnerReturn.is_current))
        for line in uow.session.scalars(stmt):
            entry = RegisterEntry(line.org_id, line.location_status, line.lad_code, line.sme,
                                  line.vcse)
            if line.org_id:
                _put(self.by_org, line.org_id, entry)
            if line.partner_id == partner_id and not is_placeholder_id(line.supplier_id):
                self.by_supplier_id[line.supplier_id] = entry
            if line.supplier_name_normalised:
                _put(self.by_name, line.supplier_name_normalised, entry)

    def match(self, org_id: str | None, supplier_id: str | None,
              name_normalised: str | None) -> RegisterEntry | None:
        """The register's entry for a supplier, or None when there is none or it is ambiguous.
        A supplier id saying there is none ('Redacted', 'N/A') is no key to match on."""
        if supplier_id and is_placeholder_id(supplier_id):
            supplier_id = None
        for table, key in ((self.by_org, org_id), (self.by_supplier_id, supplier_id),
                           (self.by_name, name_normalised)):
            if key:
                entry = table.get(key)
                if isinstance(entry, RegisterEntry):
                    return entry
        return None


def _put(table: dict, key: str, entry: RegisterEntry) -> None:
    """Two entries that disagree on where the supplier is make the key ambiguous: never guess."""
    existing = table.get(key)
    if existing is None:
        table[key] = entry
    elif existing is not AMBIGUOUS and (existing.location_status, existing.lad_code) != (
            entry.location_status, entry.lad_code):
        table[key] = AMBIGUOUS


def place_spend_lines(rows: list[dict], locator: Locator, register: SupplierRegister) -> None:
    """Give each spend row its location (line postcode, else register, else unknown), its
    supplier key for distinct counts, and SME/VCSE status from the register."""
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
        locations = locator.locate_many(key[0] for key in new)
        for key, where in zip(new, locations, strict=True):
            placed[key] = place_supplier(key, where, register)
    for row, key in zip(rows, keys, strict=True):
        row.update(placed[key])


def place_supplier(key: tuple, where, register: SupplierRegister) -> dict:
    """The columns of PLACED for one supplier, from its key and where its postcode is."""
    postcode, redacted, org_id, supplier_id, name_normalised = key
    entry = None if redacted else register.match(org_id, supplier_id, name_normalised)
    if postcode and where.status in (FOUND, OUTSIDE):
        location = (where.status, where.lad_code, "line")
    elif entry is not None and entry.location_status != UNKNOWN:
        location = (entry.location_status, entry.lad_code, "register")
    else:
        location = (UNKNOWN, None, "unknown")
    org_id = org_id or (entry.org_id if entry else None)
    supplier_key = None if redacted else org_id or f"name:{name_normalised or ''}"
    return dict(zip(PLACED, (*location, entry.sme if entry else None,
                             entry.vcse if entry else None, org_id, supplier_key), strict=True))


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
