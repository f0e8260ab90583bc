"""The supplier directory, worked by hand: each spend line's location and its source (line,
the partner's own register, another partner by identifier, the companies register, unknown);
name-only matches across partners wait for a person; a newer register moves figures only
through the rebuild."""

from datetime import date

from sqlalchemy import func, select

from exchange.context import get_uow
from exchange.models import AuditEvent, SpendAggregate, SupplierReview
from exchange.services.aggregates.spend_totals import rebuild_all
from exchange.services.directory.companies import load_register
from exchange.services.directory.worklist import decide_review, state_suppliers
from tests.companies_file import company, write_csv
from tests.integration.test_submissions import spend_lines, submit

ROTHERHAM, SHEFFIELD, DONCASTER = "E08000018", "E08000019", "E08000017"

REGISTER = [
    company("09000001", "ACME CLEANING LIMITED", "S60 2UD", accounts="MICRO ENTITY"),
    company("09000002", "BRIGHT BUILD LTD", "S1 2HH", accounts="FULL"),
    company("09000003", "TWIN NAME LTD", "S60 2UD"),
    company("09000004", "TWIN NAME LIMITED", "S1 2HH"),
    company("09000005", "GONE AWAY LTD", "S60 2UD", status="Dissolved"),
    company("09000006", "NAMED ONLY LTD", "DN1 1AA", accounts="TOTAL EXEMPTION FULL"),
    company("09000007", "LONDON LIGHTS LTD", "SW1A 1AA", accounts="AUDIT EXEMPTION SUBSIDIARY"),
]

# rmbc's own suppliers return, and syp's (another partner).
RMBC_SUPPLIERS = ("Supplier ID,Supplier Name,Company Number,Site Postcode,SME,VCSE\n"
                  "R9,Own Register Services,,S1 2HH,yes,no\n")
SYP_SUPPLIERS = ("Supplier ID,Supplier Name,Company Number,Site Postcode,SME,VCSE\n"
                 "Y1,Shared Contractor Ltd,09000008,S60 2UD,no,yes\n"
                 "Y2,Name Match Services Ltd,,DN1 1AA,yes,yes\n"
                 "Y3,Acme Cleaning Ltd,,DN1 1AA,no,no\n")

SPEND = (
    "Payment Date,Amount,Supplier Name,Supplier Postcode,Company Number,Supplier ID\n"
    "01/10/2021,100.00,Postcode Given Ltd,S60 2UD,,P1\n"          # 2: its own postcode
    "02/10/2021,200.00,Own Register Services,,,R9\n"               # 3: rmbc's register
    "03/10/2021,300.00,Shared Contractor,,9000008,X1\n"            # 4: syp's, by company no.
    "04/10/2021,400.00,Acme Cleaning Ltd,,09000001,X2\n"           # 5: companies, by number
    "05/10/2021,500.00,Named Only Limited,,,X3\n"                  # 6: companies, by name
    "06/10/2021,600.00,Bright Build Ltd,,09000002,X4\n"            # 7: companies, not SME
    "07/10/2021,700.00,Twin Name Ltd,,,X5\n"                       # 8: two active: unknown
    "08/10/2021,800.00,Gone Away Ltd,,,X6\n"                       # 9: dissolved: unknown
    "09/10/2021,900.00,Name Match Services,,,X7\n"                 # 10: syp by name: review
    "10/10/2021,1000.00,London Lights Ltd,,09000007,X8\n"          # 11: companies, outside
)


def load(tmp_path, rows, day="2026-11-01"):
    path = write_csv(tmp_path / f"BasicCompanyDataAsOneFile-{day}.csv", rows)
    return load_register([path], get_uow(), force=True)


def placed(return_id):
    return [(x.location_status, x.lad_code, x.location_source, x.sme, x.vcse)
            for x in spend_lines(return_id)]


def by_location(return_id) -> dict[str, int]:
    with get_uow() as uow:
        return dict(uow.session.execute(
            select(SpendAggregate.location, func.sum(SpendAggregate.amount_pence))
            .where(SpendAggregate.return_id == return_id).group_by(SpendAggregate.location)).all())


def reviews():
    with get_uow() as uow:
        return list(uow.session.scalars(select(SupplierReview).order_by(SupplierReview.id)))


def test_each_spend_line_is_placed_by_the_first_source_that_knows_its_supplier(app, tmp_path):
    load(tmp_path, REGISTER)
    assert submit(RMBC_SUPPLIERS, kind="suppliers").status == "accepted"
    assert submit(SYP_SUPPLIERS, partner="syp", kind="suppliers").status == "accepted"

    receipt = submit(SPEND)

    assert placed(receipt.id) == [
        ("found", ROTHERHAM, "line", None, None),
        ("found", SHEFFIELD, "register", True, False),
        ("found", ROTHERHAM, "identifier", False, True),
        # syp says Acme is in Doncaster, by name only: the company number wins, and the
        # register's MICRO ENTITY accounts say SME
        ("found", ROTHERHAM, "companies_register", True, None),
        ("found", DONCASTER, "companies_register", True, None),
        ("found", SHEFFIELD, "companies_register", None, None),  # FULL accounts tell nothing
        ("unknown", None, "unknown", None, None),
        ("unknown", None, "unknown", None, None),
        ("unknown", None, "unknown", None, None),
        ("outside", None, "companies_register", None, None),
    ]
    lines = spend_lines(receipt.id)
    assert lines[4].supplier_key == "GB-COH-09000006"  # the company matched by name
    assert receipt.to_dict()["located"] == {
        "share": round((5500 - 700 - 800 - 900) / 5500, 4),
        "by_source": {"line": "100.00", "register": "200.00", "identifier": "300.00",
                      "companies_register": "2500.00", "unknown": "2400.00"}}


def test_a_name_only_match_to_another_partners_entry_changes_nothing_until_confirmed(
        app, tmp_path):
    assert submit(SYP_SUPPLIERS, partner="syp", kind="suppliers").status == "accepted"
    receipt = submit(SPEND)
    match_line = spend_lines(receipt.id)[8]
    assert (match_line.location_status, match_line.location_source) == ("unknown", "unknown")
    pending = [r for r in reviews() if r.name_key == "NAME MATCH SERVICES"]
    assert [(r.status, r.other_supplier_id) for r in pending] == [("pending", "Y2")]
    before = by_location(receipt.id)

    rmbc = get_uow()
    with rmbc:
        rmbc_id = rmbc.partners.get("rmbc").id
    decided = decide_review(get_uow(), rmbc_id, "rmbc", "officer@rmbc", pending[0].id, True)

    assert decided["status"] == "confirmed"
    assert by_location(receipt.id) == before  # confirming alone moves no figure
    assert spend_lines(receipt.id)[8].location_source == "unknown"
    rebuild_all(get_uow())
    line = spend_lines(receipt.id)[8]
    assert (line.location_status, line.lad_code, line.location_source, line.sme) == (
        "found", DONCASTER, "register", True)
    after = by_location(receipt.id)
    assert after[DONCASTER] == before.get(DONCASTER, 0) + 90000
    with get_uow() as uow:
        actions = list(uow.session.scalars(select(AuditEvent.action)))
    assert "supplier.review.confirm" in actions and "spend.replace" in actions


def test_a_rejected_match_is_never_applied_and_not_listed_again(app, tmp_path):
    submit(SYP_SUPPLIERS, partner="syp", kind="suppliers")
    receipt = submit(SPEND)
    with get_uow() as uow:
        rmbc_id = uow.partners.get("rmbc").id
    review = next(r for r in reviews() if r.name_key == "NAME MATCH SERVICES")
    decide_review(get_uow(), rmbc_id, "rmbc", "officer@rmbc", review.id, False)

    rebuild_all(get_uow())

    assert spend_lines(receipt.id)[8].location_source == "unknown"
    assert [r.status for r in reviews() if r.name_key == "NAME MATCH SERVICES"] == ["rejected"]


def test_a_newer_companies_register_moves_a_figure_only_at_the_rebuild(app, tmp_path):
    load(tmp_path, REGISTER, "2026-10-01")
    receipt = submit(SPEND)
    acme = spend_lines(receipt.id)[3]
    assert (acme.lad_code, acme.location_source) == (ROTHERHAM, "companies_register")
    before = by_location(receipt.id)

    moved = [company("09000001", "ACME CLEANING LIMITED", "S1 2HH", accounts="MICRO ENTITY"),
             *REGISTER[1:]]
    assert load(tmp_path, moved, "2026-11-01").register_date == date(2026, 11, 1)

    assert spend_lines(receipt.id)[3].lad_code == ROTHERHAM
    assert by_location(receipt.id) == before
    rebuild_all(get_uow())
    assert spend_lines(receipt.id)[3].lad_code == SHEFFIELD
    after = by_location(receipt.id)
    assert after[SHEFFIELD] == before[SHEFFIELD] + 40000
    assert after[ROTHERHAM] == before[ROTHERHAM] - 40000


def test_an_officers_statement_places_only_its_own_partners_lines_after_the_rebuild(app):
    spend = ("Payment Date,Amount,Supplier Name,Supplier ID\n"
             "01/10/2021,120.00,Corner Shop,C1\n")
    rmbc_receipt = submit(spend)
    syp_receipt = submit(spend, partner="syp")
    with get_uow() as uow:
        rmbc_id = uow.partners.get("rmbc").id

    state_suppliers(get_uow(), rmbc_id, "rmbc", "officer@rmbc",
                    [{"name": "Corner Shop", "postcode": "s1 2hh", "sme": "yes"}])
    assert spend_lines(rmbc_receipt.id)[0].location_source == "unknown"
    rebuild_all(get_uow())

    mine = spend_lines(rmbc_receipt.id)[0]
    assert (mine.lad_code, mine.location_source, mine.sme) == (SHEFFIELD, "register", True)
    theirs = spend_lines(syp_receipt.id)[0]
    assert (theirs.location_status, theirs.location_source) == ("unknown", "unknown")
