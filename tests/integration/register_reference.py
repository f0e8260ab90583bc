"""The supplier directory's rules (``exchange.services.directory.suppliers``) written out one
supplier at a time with dicts, plainly and slowly: the model `SupplierRegister.place_frame`,
which works them out as columns, is compared with."""

from typing import NamedTuple

from sqlalchemy import select

from exchange.models import SupplierReview, SupplierStatement
from exchange.models.companies import Company
from exchange.models.directory import CONFIRMED
from exchange.models.lines import SupplierLine
from exchange.models.returns import PartnerReturn
from exchange.normalise import is_placeholder_id
from exchange.services.directory.company_match import ACTIVE, sme_of
from exchange.services.directory.suppliers import ReviewCandidate

DISPUTED = object()  # two entries put the supplier in different places: never guess
PLACES = ("found", "outside")


class Entry(NamedTuple):
    org_id: str | None
    location_status: str
    lad_code: str | None
    sme: bool | None
    vcse: bool | None
    said: str  # "return:<id>" or "statement:<id>"


def _put(table: dict, key, entry, differs) -> None:
    """The first entry for a key stays, unless a later one differs: then nobody's."""
    if key not in table:
        table[key] = entry
    elif table[key] is not DISPUTED and differs(table[key], entry):
        table[key] = DISPUTED


def _elsewhere(one: Entry, other: Entry) -> bool:
    return (one.location_status, one.lad_code) != (other.location_status, other.lad_code)


class ReferenceRegister:
    def __init__(self, session, partner_id: int):
        self.session, self.partner_id = session, partner_id
        self.by_org, self.by_id, self.by_name, self.others_by_org = {}, {}, {}, {}
        self.others_by_name: dict = {}
        self.reviews: dict[str, ReviewCandidate] = {}
        lines = session.execute(select(SupplierLine).join(
            PartnerReturn, SupplierLine.return_id == PartnerReturn.id).where(
            PartnerReturn.is_current)).scalars()
        for line in lines:
            entry = Entry(line.org_id, line.location_status, line.lad_code, line.sme, line.vcse,
                          f"return:{line.return_id}")
            if line.partner_id != partner_id:
                if line.org_id:
                    _put(self.others_by_org, line.org_id, entry, _elsewhere)
                if line.supplier_name_normalised:
                    _put(self.others_by_name, line.supplier_name_normalised, ReviewCandidate(
                        line.partner_id, line.return_id, line.supplier_id, line.supplier_name),
                        lambda one, other: one.partner_id != other.partner_id)
                continue
            if line.org_id:
                _put(self.by_org, line.org_id, entry, _elsewhere)
            if not is_placeholder_id(line.supplier_id):
                self.by_id[line.supplier_id] = entry
            if line.supplier_name_normalised:
                _put(self.by_name, line.supplier_name_normalised, entry, _elsewhere)
        for said in session.scalars(select(SupplierStatement).order_by(SupplierStatement.id)):
            entry = Entry(said.org_id, said.location_status, said.lad_code, said.sme, said.vcse,
                          f"statement:{said.id}")
            if said.partner_id != partner_id:
                if said.org_id:
                    _put(self.others_by_org, said.org_id, entry, _elsewhere)
                continue
            if said.org_id:
                self.by_org[said.org_id] = entry
            if said.supplier_id and not is_placeholder_id(said.supplier_id):
                self.by_id[said.supplier_id] = entry
            self.by_name[said.name_key] = entry
        confirmed = session.execute(
            select(SupplierReview.name_key, SupplierLine)
            .join(PartnerReturn, PartnerReturn.partner_id == SupplierReview.other_partner_id)
            .join(SupplierLine, (SupplierLine.return_id == PartnerReturn.id)
                  & (SupplierLine.supplier_id == SupplierReview.other_supplier_id))
            .where(SupplierReview.partner_id == partner_id, SupplierReview.status == CONFIRMED,
                   PartnerReturn.is_current))
        for name_key, line in confirmed:
            self.by_name.setdefault(name_key, Entry(
                line.org_id, line.location_status, line.lad_code, line.sme, line.vcse,
                f"return:{line.return_id}"))

    def match(self, org_id, supplier_id, name) -> tuple[Entry | None, str | None]:
        for key, table, source in ((org_id, self.by_org, "register"),
                                   (supplier_id, self.by_id, "register"),
                                   (name, self.by_name, "register"),
                                   (org_id, self.others_by_org, "identifier")):
            entry = table.get(key) if key else None
            if isinstance(entry, Entry):
                return entry, source
        return None, None

    def company(self, org_id: str | None, name: str | None):
        """By number when there is one, else the one active company of the name."""
        if org_id:
            number = org_id.removeprefix("GB-COH-")
            return self.session.get(Company, number) \
                if org_id.startswith("GB-COH-") and number else None
        if not name:
            return None
        found = list(self.session.scalars(select(Company).where(
            Company.name_key == name, Company.status == ACTIVE)))
        return found[0] if len(found) == 1 else None

    def place(self, key: tuple, locator) -> dict:
        postcode, redacted, org_id, supplier_id, name = key
        where = locator.locate(postcode)
        entry, source = (None, None) if redacted else self.match(org_id, supplier_id, name)
        on_line = bool(postcode) and where.status in PLACES
        by_entry = entry is not None and entry.location_status != "unknown"
        company = office = None
        if not redacted and not ((on_line or by_entry) and entry and entry.sme is not None):
            company = self.company(org_id or (entry.org_id if entry else None), name)
            office = locator.locate(company.postcode) if company else None
        if on_line:
            location = (where.status, where.lad_code, "line")
        elif by_entry:
            location = (entry.location_status, entry.lad_code, source)
        elif company is not None and office.status in PLACES:
            location = (office.status, office.lad_code, "companies_register")
        else:
            location = ("unknown", None, "unknown")
        if location[2] in ("companies_register", "unknown") and not redacted and entry is None:
            candidate = self.others_by_name.get(name) if name else None
            if isinstance(candidate, ReviewCandidate):
                self.reviews.setdefault(name, candidate)
        sme = entry.sme if entry is not None else None
        if sme is None and company is not None:
            sme = sme_of(company.accounts_category)
        org_id = org_id or (entry.org_id if entry else None) or (
            f"GB-COH-{company.number}" if company else None)
        by_company = f"companies_register:{company.register_date.isoformat()}" \
            if company else None
        said = entry.said if entry is not None else None
        return {
            "location_status": location[0], "lad_code": location[1],
            "location_source": location[2], "sme": sme,
            "vcse": entry.vcse if entry else None, "org_id": org_id,
            "supplier_key": None if redacted else org_id or f"name:{name or ''}",
            "said": {
                "location": {"line": "line", "register": said, "identifier": said,
                             "companies_register": by_company}.get(location[2]),
                "sme": said if entry is not None and entry.sme is not None else (
                    by_company if sme is not None else None),
                "vcse": said if entry is not None and entry.vcse is not None else None}}
