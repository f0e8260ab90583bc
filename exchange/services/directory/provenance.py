"""Where the supplier directory would place one supplier of a partner now, and who said each
attribute (location, SME, VCSE) and when: the line, a partner's suppliers return, a data
officer's statement, or the companies register of a date."""

from exchange import normalise
from exchange.errors import Unprocessable
from exchange.models import Partner, PartnerReturn, SupplierStatement
from exchange.services.directory.geography import Locator
from exchange.services.directory.suppliers import SupplierRegister
from exchange.unit_of_work import UnitOfWork


def explain_supplier(uow: UnitOfWork, partner_id: int, *, name: str,
                     supplier_id: str | None = None, company_number: str | None = None,
                     charity_number: str | None = None, postcode: str | None = None) -> dict:
    """How a line of the partner's to this supplier is placed by the directory as it is now.
    Another partner's statement says which partner and when, never which person."""
    try:
        org_id = normalise.org_id(company=normalise.company_number(company_number),
                                  charity=normalise.charity_number(charity_number))
    except ValueError as err:
        raise Unprocessable(f"That number is not valid: {err}.",
                            errors={"company_number": [str(err)]}) from err
    key = (postcode or None, False, org_id, supplier_id or None,
           normalise.normalise_supplier_name(name) or None)
    with uow:
        register = SupplierRegister(uow, partner_id)
        placed = register.place_many([key], Locator(uow), explain=True)[0]
        said = {attribute: _who(uow, partner_id, source)
                for attribute, source in placed["said"].items()}
    return {
        "name": name, "org_id": placed["org_id"],
        "location": {"status": placed["location_status"], "lad_code": placed["lad_code"],
                     "source": placed["location_source"], "said": said["location"]},
        "sme": {"value": placed["sme"], "said": said["sme"]},
        "vcse": {"value": placed["vcse"], "said": said["vcse"]},
    }


def _who(uow: UnitOfWork, partner_id: int, source: str | None) -> dict | None:
    if source is None:
        return None
    kind, _, ref = source.partition(":")
    if kind == "return":
        ret = uow.session.get(PartnerReturn, int(ref))
        return _said_by(uow, partner_id, ret.partner_id, ret.submitted_by, ret.submitted_at,
                        suppliers_return=ret.id)
    if kind == "statement":
        said = uow.session.get(SupplierStatement, int(ref))
        return _said_by(uow, partner_id, said.partner_id, said.stated_by, said.stated_at,
                        statement=said.id)
    if kind == "companies_register":
        return {"by": "companies_register", "at": ref}
    return {"by": kind}


def _said_by(uow: UnitOfWork, partner_id: int, by_partner: int, person: str, at,
             **reference) -> dict:
    said = {"by": uow.session.get(Partner, by_partner).slug, "at": at.isoformat(), **reference}
    if by_partner == partner_id:
        said["person"] = person
    return said
