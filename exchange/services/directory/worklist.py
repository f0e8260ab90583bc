"""A partner's worklist: its unlocated suppliers, what its data officers state about them, and
its review list of other partners' entries that match a supplier by name alone.

Nothing here changes a figure: statements and decisions are read by the supplier directory
(``exchange.services.directory.suppliers``) when lines are next placed, that is at the next
``hub aggregates rebuild``. Each statement and decision is audited with who and when."""

from dataclasses import dataclass
from decimal import Decimal

from exchange import normalise
from exchange.errors import Conflict, NotFound, Unprocessable
from exchange.models import SupplierStatement
from exchange.models.base import utcnow
from exchange.models.directory import CONFIRMED, PENDING, REJECTED
from exchange.services.directory.geography import UNKNOWN, Locator
from exchange.unit_of_work import UnitOfWork

TEMPLATE_HEADER = ["Supplier ID", "Supplier name", "Company number", "Charity number",
                   "VAT number", "Trading site postcode", "Registered office postcode",
                   "SME (yes/no/unknown)", "VCSE (yes/no/unknown)"]
_FOUR_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class UnlocatedSupplier:
    name_key: str
    supplier_name: str
    supplier_id: str | None
    company_number: str | None
    charity_number: str | None
    amount: Decimal  # net, GBP
    lines: int
    share: Decimal | None  # of the partner's spend (by value) it would locate

    def to_dict(self) -> dict:
        return {"name_key": self.name_key, "supplier_name": self.supplier_name,
                "supplier_id": self.supplier_id, "company_number": self.company_number,
                "charity_number": self.charity_number, "amount": f"{self.amount:.2f}",
                "lines": self.lines,
                "share": None if self.share is None else float(round(self.share, 4))}


def unlocated_suppliers(uow: UnitOfWork, partner_id: int, limit: int = 100,
                        offset: int = 0) -> tuple[list[UnlocatedSupplier], int]:
    """The partner's unlocated suppliers in its current spend returns, biggest first, and the
    partner's spend by value in pence (what each ``share`` is of)."""
    with uow:
        total = uow.directory.spend_size_pence(partner_id)
        rows = uow.directory.unlocated(partner_id, limit, offset)
    return [UnlocatedSupplier(key, name, supplier_id, company, charity,
                              Decimal(int(net or 0)) / 100, lines,
                              (Decimal(int(size or 0)) / total).quantize(_FOUR_PLACES)
                              if total else None)
            for key, name, supplier_id, company, charity, size, net, lines in rows], total


def template_rows(suppliers: list[UnlocatedSupplier]) -> list[list]:
    """The worklist as rows of a suppliers return (``TEMPLATE_HEADER``), to be filled in and
    uploaded as one: the supplier's own id where its lines give one, else its name."""
    return [[s.supplier_id if s.supplier_id and not normalise.is_placeholder_id(s.supplier_id)
             else s.supplier_name, s.supplier_name, s.company_number or "",
             s.charity_number or "", "", "", "", "unknown", "unknown"] for s in suppliers]


def state_suppliers(uow: UnitOfWork, partner_id: int, partner_slug: str, actor: str,
                    entries: list[dict]) -> list[int]:
    """Record what a data officer gives for one or many suppliers at once (each entry: the
    supplier's ``name``, and any of ``postcode``, ``company_number``, ``charity_number``,
    ``sme``, ``vcse``). All or nothing: one bad entry rejects them all, saying which entry and
    which field. Returns the statements' ids."""
    errors: dict[str, dict[str, list[str]]] = {}
    checked = []
    for number, entry in enumerate(entries, 1):
        statement, problems = _statement(entry)
        if problems:
            errors[f"supplier {number}"] = problems
        checked.append(statement)
    if errors:
        raise Unprocessable("Nothing was saved: correct the suppliers below and send them "
                            "again.", errors=errors)
    if not checked:
        raise Unprocessable("Give at least one supplier.", errors={"suppliers": ["empty"]})
    with uow:
        locator = Locator(uow)
        ids = []
        for statement in checked:
            where = locator.locate(statement.postcode)
            statement.partner_id, statement.stated_by = partner_id, actor
            statement.location_status = where.status if statement.postcode else UNKNOWN
            statement.lad_code, statement.stated_at = where.lad_code, utcnow()
            ids.append(uow.directory.add_statement(statement).id)
            uow.audit.add(actor, "supplier.state", partner_slug=partner_slug,
                          subject=f"supplier_statement:{statement.id}",
                          supplier=statement.supplier_name, postcode=statement.postcode,
                          org_id=statement.org_id, sme=statement.sme, vcse=statement.vcse)
        uow.commit()
    return ids


def _statement(entry: dict) -> tuple[SupplierStatement, dict[str, list[str]]]:
    problems: dict[str, list[str]] = {}
    name = str(entry.get("name") or "").strip()
    key = normalise.normalise_supplier_name(name) if name else ""
    if not key:
        problems["name"] = ["Give the supplier's name as the worklist shows it."]
    postcode = _text(entry, "postcode")
    if postcode and not normalise.canonical_postcode(postcode):
        problems["postcode"] = [f"'{postcode}' is not a UK postcode like S60 2UD."]
    numbers = {}
    for field, parse in (("company_number", normalise.company_number),
                         ("charity_number", normalise.charity_number)):
        try:
            numbers[field] = parse(_text(entry, field))
        except ValueError as err:
            problems[field] = [f"'{_text(entry, field)}' is not valid: {err}."]
    flags = {}
    for field in ("sme", "vcse"):
        try:
            answer = normalise.parse_yes_no_unknown(_text(entry, field) or "unknown")
        except ValueError:
            problems[field] = [f"'{_text(entry, field)}': answer yes, no or unknown."]
            continue
        flags[field] = {"yes": True, "no": False}.get(answer)
    org_id = normalise.org_id(company=numbers.get("company_number"),
                              charity=numbers.get("charity_number"))
    if not problems and not (postcode or org_id or any(v is not None for v in flags.values())):
        problems["postcode"] = ["Give a postcode, a company or charity number, SME or VCSE."]
    return SupplierStatement(
        name_key=key, supplier_name=name[:300], supplier_id=_text(entry, "supplier_id"),
        org_id=org_id, postcode=normalise.canonical_postcode(postcode) if postcode else None,
        sme=flags.get("sme"), vcse=flags.get("vcse")), problems


def _text(entry: dict, field: str) -> str | None:
    value = entry.get(field)
    text = str(value).strip() if value is not None else ""
    return text or None


def decide_review(uow: UnitOfWork, partner_id: int, partner_slug: str, actor: str,
                  review_id: int, confirm: bool) -> dict:
    """Confirm (the other partner's entry places this partner's lines of that name, from the
    next rebuild) or reject one pending entry of the partner's review list."""
    with uow:
        review = uow.directory.review(partner_id, review_id)
        if review is None:
            raise NotFound(f"Your review list has no entry {review_id}.")
        if review.status != PENDING:
            raise Conflict(f"This match was already {review.status} by {review.decided_by}.")
        review.status = CONFIRMED if confirm else REJECTED
        review.decided_by, review.decided_at = actor, utcnow()
        action = "supplier.review.confirm" if confirm else "supplier.review.reject"
        uow.audit.add(actor, action, partner_slug=partner_slug,
                      subject=f"supplier_review:{review.id}", supplier=review.supplier_name,
                      other_partner_id=review.other_partner_id,
                      other_supplier_id=review.other_supplier_id)
        uow.commit()
        return review_dict(review)


def review_list(uow: UnitOfWork, partner_id: int) -> list[dict]:
    with uow:
        names = {p.id: p.slug for p in uow.partners.all()}
        return [review_dict(r, names) for r in uow.directory.reviews(partner_id)]


def review_dict(review, names: dict | None = None) -> dict:
    return {"id": review.id, "supplier_name": review.supplier_name, "name_key": review.name_key,
            "other_partner": (names or {}).get(review.other_partner_id),
            "other_supplier_id": review.other_supplier_id, "status": review.status,
            "found_at": review.found_at.isoformat() if review.found_at else None,
            "decided_by": review.decided_by,
            "decided_at": review.decided_at.isoformat() if review.decided_at else None}
