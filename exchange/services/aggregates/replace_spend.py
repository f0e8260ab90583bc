"""Re-place the spend lines of current returns from the supplier directory as it is now: after
a newer companies register, a suppliers return, a worklist statement or a confirmed review.
``aggregates.rebuild_all`` calls it first, so figures change only through the rebuild."""

from itertools import groupby

from sqlalchemy import (
    Boolean,
    Column,
    Index,
    MetaData,
    String,
    Table,
    delete,
    func,
    insert,
    select,
    update,
)

from exchange.models import PartnerReturn, SpendLine
from exchange.normalise import org_id
from exchange.services.directory.geography import Locator
from exchange.services.directory.suppliers import PLACED, SupplierRegister
from exchange.unit_of_work import UnitOfWork

# A supplier as the lines hold it: what placing reads (the org id comes from the numbers, as
# the validator derives it), then what placing gave last time.
_KEY = (SpendLine.supplier_postcode, SpendLine.redacted, SpendLine.company_number,
        SpendLine.charity_number, SpendLine.supplier_id, SpendLine.supplier_name_normalised)
_WAS = tuple(getattr(SpendLine, name) for name in PLACED)
_KEY_NAMES = ("k_postcode", "k_redacted", "k_company", "k_charity", "k_supplier_id", "k_name")
# The suppliers whose placing changed, keyed as the lines hold them (nulls as ''), so one
# UPDATE … FROM joins them to the lines by equality (which PostgreSQL can hash; IS NOT
# DISTINCT FROM it cannot, and one UPDATE per supplier would read the return once each).
_CHANGED = Table(
    "replaced_supplier", MetaData(),
    *(Column(name, Boolean if name == "k_redacted" else String) for name in _KEY_NAMES),
    *(Column(name, Boolean if name in ("sme", "vcse") else String) for name in PLACED),
    # SQLite joins the lines to this table by looking each line's supplier up here
    Index("ix_replaced_supplier_k_name", "k_name", "k_supplier_id"),
    prefixes=["TEMPORARY"])


def replace_current_spend(uow: UnitOfWork) -> dict:
    """Re-place every current spend return's lines, in the caller's transaction; returns
    counts for the audit: returns, suppliers whose placing changed, new review entries."""
    current = uow.session.execute(
        select(PartnerReturn.partner_id, PartnerReturn.id)
        .where(PartnerReturn.kind == "spend", PartnerReturn.is_current)
        .order_by(PartnerReturn.partner_id, PartnerReturn.id)).all()
    locator = Locator(uow)
    counts = {"returns": len(current), "suppliers_changed": 0, "reviews_found": 0}
    _CHANGED.create(uow.session.connection(), checkfirst=True)
    for partner_id, rows in groupby(current, key=lambda row: row[0]):
        register = SupplierRegister(uow, partner_id)
        for _, return_id in rows:
            counts["suppliers_changed"] += _replace_return(uow, return_id, register, locator)
        counts["reviews_found"] += register.record_reviews(uow)
    _CHANGED.drop(uow.session.connection())
    return counts


def _replace_return(uow: UnitOfWork, return_id: int, register: SupplierRegister,
                    locator: Locator) -> int:
    suppliers = uow.session.execute(
        select(*_KEY, *_WAS).where(SpendLine.return_id == return_id).group_by(*_KEY, *_WAS)
    ).all()
    keys = [(postcode, bool(redacted), org_id(company=company, charity=charity), supplier_id,
             name) for postcode, redacted, company, charity, supplier_id, name, *_ in suppliers]
    changed = []
    for row, placed in zip(suppliers, register.place_many(keys, locator), strict=True):
        now = tuple(placed[name] for name in PLACED)
        if now != tuple(row[len(_KEY):]):
            keys = [bool(v) if name == "k_redacted" else ("" if v is None else v)
                    for name, v in zip(_KEY_NAMES, row[:len(_KEY)], strict=True)]
            changed.append(dict(zip(_KEY_NAMES, keys, strict=True),
                                **dict(zip(PLACED, now, strict=True))))
    if changed:
        connection = uow.session.connection()
        connection.execute(delete(_CHANGED))
        connection.execute(insert(_CHANGED), changed)
        lines, new = SpendLine.__table__.c, _CHANGED.c
        joined = [func.coalesce(lines[column.key], "") == new[name]
                  for column, name in zip(_KEY, _KEY_NAMES, strict=True)
                  if name != "k_redacted"]
        connection.execute(
            update(SpendLine.__table__)
            .where(lines.return_id == return_id, *joined,
                   func.coalesce(lines.redacted, False) == new.k_redacted)
            .values({name: new[name] for name in PLACED}))
    return len(changed)
