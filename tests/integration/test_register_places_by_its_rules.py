"""Placing a batch of suppliers as columns (`SupplierRegister.place_frame`) gives, for every
supplier, what the directory's rules give one supplier at a time (`register_reference`): on
random registers of several partners — suppliers returns current or not, ids that say there is
none, entries that disagree, officers' statements, confirmed and other reviews, a companies
register with shared and dissolved names — and random suppliers, redacted ones among them."""

import random
from datetime import date

import pytest

from exchange.models import SupplierReview, SupplierStatement
from exchange.models.companies import Company
from exchange.models.lines import SupplierLine
from exchange.models.returns import PartnerReturn
from exchange.services.directory.geography import Locator
from exchange.services.directory.suppliers import SupplierRegister
from tests.integration.register_reference import ReferenceRegister

ORGS = ["GB-COH-09000001", "GB-COH-09000002", "GB-COH-09000003", "GB-COH-09000004",
        "GB-CHC-1234", "GB-NHS-RHQ", None]
IDS = ["a", "b", "c", "N/A", "Redacted ref", "d", " tbc "]
NAMES = ["ACME", "BETA", "GAMMA", "DELTA", None]
POSTCODES = ["S60 2UD", "S1 2HH", "DN1 1AA", "SW1A 1AA", "S99 9ZZ", "junk", None, ""]
PLACES = [("found", "E08000018"), ("found", "E08000019"), ("outside", None), ("unknown", None)]


def a_register(session, rng: random.Random, partners: list[int]) -> None:
    for number in ("09000001", "09000002", "09000003", "09000004"):
        if rng.random() < 0.8:
            session.add(Company(
                number=number, name="x", name_key=rng.choice(NAMES[:-1]),
                postcode=rng.choice(POSTCODES[:-2] + [None]),
                status=rng.choice(["Active", "Dissolved"]),
                accounts_category=rng.choice(["SMALL", "FULL", None]),
                register_date=date(2024, 1, rng.randint(1, 28))))
    for partner_id in partners:
        for period in ("2021-22-Q1", "2021-22-Q2"):
            ret = PartnerReturn(partner_id=partner_id, kind="suppliers", period=period,
                                status="accepted", version=1, sha256="0" * 64, byte_size=1,
                                submitted_by="test", is_current=rng.random() < 0.7)
            session.add(ret)
            session.flush()
            for row in range(rng.randint(0, 12)):
                status, lad = rng.choice(PLACES)
                session.add(SupplierLine(
                    return_id=ret.id, partner_id=partner_id, row_number=row + 2,
                    supplier_id=rng.choice(IDS), supplier_name=rng.choice(["Acme", "Beta", ""]),
                    supplier_name_normalised=rng.choice(NAMES), org_id=rng.choice(ORGS),
                    location_status=status, lad_code=lad, sme=rng.choice([True, False, None]),
                    vcse=rng.choice([True, False, None])))
    for _ in range(rng.randint(0, 5)):
        status, lad = rng.choice(PLACES)
        session.add(SupplierStatement(
            partner_id=rng.choice(partners), name_key=rng.choice(NAMES[:-1] + [""]),
            supplier_name="x", supplier_id=rng.choice(IDS + [None]), org_id=rng.choice(ORGS),
            location_status=status, lad_code=lad, sme=rng.choice([True, None]),
            vcse=rng.choice([False, None]), stated_by="test"))
    for name, other in {(rng.choice(NAMES[:-1]), rng.choice(partners[1:]))
                        for _ in range(rng.randint(0, 4))}:
        session.add(SupplierReview(
            partner_id=partners[0], name_key=name, supplier_name="x", other_partner_id=other,
            other_return_id=0, other_supplier_id=rng.choice(IDS),
            status=rng.choice(["confirmed", "pending", "rejected"])))
    session.flush()


@pytest.mark.parametrize("seed", range(40))
def test_each_supplier_is_placed_and_explained_as_the_rules_say(uow, seed):
    rng = random.Random(seed)
    with uow:
        partners = [uow.partners.get(slug).id for slug in ("rmbc", "syp", "trft")]
        a_register(uow.session, rng, partners)
        keys = list({(rng.choice(POSTCODES), rng.random() < 0.1, rng.choice(ORGS),
                      rng.choice(IDS + [None]), rng.choice(NAMES)) for _ in range(25)})
        reference = ReferenceRegister(uow.session, partners[0])
        expected = [reference.place(key, Locator(uow)) for key in keys]
        register = SupplierRegister(uow, partners[0])
        placed = register.place_many(keys, Locator(uow), explain=True)
        uow.rollback()
    assert placed == expected
    assert register.reviews == reference.reviews
