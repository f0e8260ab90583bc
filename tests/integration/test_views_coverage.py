"""Coverage beside every figure and shares that stay shares, worked by hand.

Two partners of Rotherham submit 2021-22-Q1 spend. rmbc also sends a suppliers return naming
A (S60 2UD, Rotherham, SME) and C (DN1 1AA, Doncaster), so its lines without a postcode for them
are located from its register. Lines with and without postcodes:

  rmbc  A  1000.00  S60 2UD  line      Rotherham
  rmbc  A   500.00  -        register  Rotherham
  rmbc  C  2000.00  -        register  Doncaster
  rmbc  B  3000.00  S1 2HH   line      Sheffield
  rmbc  F  1500.00  -        unknown
  rmbc  A  -200.00  S60 2UD  line      Rotherham   (credit note)
  rmbc  B -3500.00  S1 2HH   line      Sheffield   (credit note: B's net is -500)
  syp   G   600.00  DN5 7HP  line      Barnsley
  syp   F  2000.00  -        unknown
  syp   R   400.00  -        unknown   redacted
  syp   R  -100.00  -        unknown   redacted (netted with the one above: 300)
"""

from decimal import Decimal

from exchange.context import get_uow
from exchange.feeds.releases import publish_release, release_datasets
from exchange.pages.mca_figures import mca_dashboard
from exchange.services.reports.documents import render_body
from exchange.services.reports.generation import build_report
from exchange.views.partnership import partnership_view
from tests.integration.views_support import Q1, submit

HEADER = ("Payment date,Amount (GBP),Supplier name,Supplier ID,Company number,"
          "Supplier postcode\n")
SUPPLIERS = (
    "Supplier ID,Supplier name,Company number,Trading site postcode,SME (yes/no/unknown),"
    "VCSE (yes/no/unknown)\n"
    "A,Rother Widgets Ltd,1111111,S60 2UD,yes,no\n"
    "C,Donny Doors CIC,3333333,DN1 1AA,no,no\n"
)
RMBC = [("1000.00", "Rother Widgets Ltd,A,1111111,S60 2UD"),
        ("500.00", "Rother Widgets Ltd,A,1111111,"),
        ("2000.00", "Donny Doors CIC,C,3333333,"),
        ("3000.00", "Sheaf Steel plc,B,2222222,S1 2HH"),
        ("1500.00", "Nowhere Known Ltd,N1,,"),
        ("-200.00", "Rother Widgets Ltd,A,1111111,S60 2UD"),
        ("-3500.00", "Sheaf Steel plc,B,2222222,S1 2HH")]
SYP = [("600.00", "Barnsley Bricks Ltd,G,6666666,DN5 7HP"),
       ("2000.00", "Nowhere Known Ltd,N1,,"),
       ("400.00", "REDACTED PERSONAL DATA,,,"),
       ("-100.00", "REDACTED PERSONAL DATA,,,")]


def spend(lines) -> str:
    return HEADER + "".join(f"0{n + 1}/05/2021,{amount},{who}\n"
                            for n, (amount, who) in enumerate(lines))


def build() -> None:
    submit(SUPPLIERS, "rmbc", "suppliers")
    submit(spend(RMBC), "rmbc")
    submit(spend(SYP), "syp")


def test_each_kpi_and_its_coverage_equal_the_values_worked_by_hand(app):
    build()

    [period] = partnership_view(get_uow(), "rotherham", Q1)["periods"]
    partners = {p["slug"]: p["kpis"] for p in period["partners"]}
    rmbc, syp, both = partners["rmbc"], partners["syp"], period["combined"]["kpis"]

    # rmbc, money as paid: 1000 + 500 + 2000 + 3000 + 1500 - 200 - 3500 = 4300; local (A)
    # 1000 + 500 - 200 = 1300; sub-regional adds C 2000 and B 3000 - 3500: 2800; unknown F 1500
    assert (rmbc["total_spend"], rmbc["local_spend"], rmbc["subregional_spend"],
            rmbc["unknown_location_spend"], rmbc["credit_notes"]) == (
        "4300.00", "1300.00", "2800.00", "1500.00", "-3700.00")
    # Nets per supplier (and source): A by line 1000 - 200 = 800, A by register 500,
    # C by register 2000, F unknown 1500, B by line 3000 - 3500 = -500: left out.
    # Counted 800 + 500 + 2000 + 1500 = 4800; located 3300: coverage 3300/4800 = .6875;
    # line 800/4800 = .16667, register 2500/4800 = .52083, unknown 1500/4800 = .3125.
    assert rmbc["coverage"] == {
        "located_share": 0.6875, "located_spend": "3300.00", "counted_spend": "4800.00",
        "minimum": 0.5, "by_source": {"line": 0.1667, "register": 0.5208, "identifier": 0.0,
                                      "companies_register": 0.0, "unknown": 0.3125}}
    assert (rmbc["net_credit_suppliers"], rmbc["net_credit_spend"]) == (1, "-500.00")
    # local 1300/3300 = .39394; sub-regional (A, C) 3300/3300 = 1 (B is left out, so the
    # share is not 2800/3300); SME (A) 1300/4800 = .27083
    assert (rmbc["local_share"], rmbc["subregional_share"], rmbc["sme_share"],
            rmbc["vcse_share"], rmbc["withheld"]) == (0.3939, 1.0, 0.2708, 0.0, {})

    # syp: 600 + 2000 + 400 - 100 = 2900, of which unknown 2000 + 400 - 100 = 2300.
    # Nets: G 600 by line, F 2000 unknown, the redacted lines together 300 unknown.
    # Counted 2900, located 600: coverage 600/2900 = .20690 < .5, so no local or
    # sub-regional share, but the reason; line .20690, unknown 2300/2900 = .79310.
    assert (syp["total_spend"], syp["unknown_location_spend"]) == ("2900.00", "2300.00")
    assert syp["coverage"]["located_share"] == 0.2069
    assert syp["coverage"]["by_source"] == {"line": 0.2069, "register": 0.0,
                                            "identifier": 0.0, "companies_register": 0.0,
                                            "unknown": 0.7931}
    assert (syp["local_share"], syp["subregional_share"]) == (None, None)
    assert syp["withheld"] == {"local_share": "not enough spend located",
                               "subregional_share": "not enough spend located"}
    assert (syp["net_credit_suppliers"], syp["net_credit_spend"]) == (0, "0.00")

    # Rotherham, both partners: counted 4800 + 2900 = 7700, located 3300 + 600 = 3900:
    # coverage 3900/7700 = .50649, just enough. Local 1300/3900 = .33333; sub-regional
    # (3300 + 600)/3900 = 1; SME 1300/7700 = .16883; line (800 + 600)/7700 = .18182,
    # register 2500/7700 = .32468, unknown (1500 + 2300)/7700 = .49351.
    assert (both["total_spend"], both["unknown_location_spend"]) == ("7200.00", "3800.00")
    assert both["coverage"] == {
        "located_share": 0.5065, "located_spend": "3900.00", "counted_spend": "7700.00",
        "minimum": 0.5, "by_source": {"line": 0.1818, "register": 0.3247, "identifier": 0.0,
                                      "companies_register": 0.0, "unknown": 0.4935}}
    assert (both["local_share"], both["subregional_share"], both["sme_share"]) == (
        0.3333, 1.0, 0.1688)
    assert both["method"] == "/glossary#shares"


def test_the_api_gives_null_and_the_reason_for_a_partner_with_too_little_spend_located(
        app, client, partner_token):
    build()
    token = partner_token("rmbc", "views:read")

    response = client.get(f"/api/v1/views/partnership/rotherham?from={Q1}",
                          headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 200, response.json
    [period] = response.json["periods"]
    syp = next(p["kpis"] for p in period["partners"] if p["slug"] == "syp")
    assert syp["local_share"] is None
    assert syp["withheld"]["local_share"] == "not enough spend located"
    assert syp["coverage"]["located_share"] == 0.2069


def test_the_mca_dashboard_and_the_report_say_not_enough_spend_located_where_it_is_not(app):
    build()

    figures = mca_dashboard(get_uow(), "south-yorkshire", Q1, Q1, "as_submitted")
    cells = {row["slug"]: row["cells"] for row in figures["places"]}
    # columns: total, local spend, local share, sub-regional share, SME, VCSE, local
    # suppliers, spend located. Barnsley's partners: only syp spent, 20.7% of it located.
    assert cells["barnsley"][2:4] == ["not enough spend located (20.7% located)"] * 2
    assert cells["barnsley"][7] == "20.7% located (the line's postcode 20.7%)"
    # Rotherham (rmbc and syp), as worked above: 50.6% located, local 1300/3900
    assert cells["rotherham"][2:4] == ["33.3%", "100.0%"]
    # the sub-region counts the same two partners once: 3900/3900 in the sub-region
    assert cells[None][2:4] == ["100.0%", "100.0%"]

    report = build_report(get_uow(), "rotherham", "annual", "2021-22")
    body = str(render_body(report))
    assert "not enough spend located (20.7% located)" in body  # syp's row
    assert "/glossary#shares" in body


def test_the_feed_never_shows_a_share_resting_on_too_little_located_spend(app):
    build()

    published = publish_release(get_uow(), "south-yorkshire", Q1)

    with get_uow() as uow:
        spend = release_datasets(uow, published.release_id)["spend"].rows
    assert spend
    for row in spend:
        shown = row["local_share"] is not None
        if shown:
            located = Decimal(row["counted_located_spend"])
            assert row["located_share"] >= 0.5 and row["share_note"] == ""
            assert row["local_share"] == float(
                (Decimal(row["counted_local_spend"]) / located).quantize(Decimal("0.0001")))
        else:
            assert row["share_note"] in ("not enough spend located",
                                         "a figure it rests on is suppressed",
                                         "no supplier was paid more than it was credited"), row
        assert row["method"] == "/glossary#shares"
    # syp alone (Barnsley, Doncaster, Sheffield): 2 suppliers and redacted payees, so its cells
    # are suppressed and no share is given; were they published, 20.7% located is too little.
    barnsley = next(r for r in spend if r["place"] == "barnsley" and r["partner_kind"] == "all")
    assert barnsley["local_share"] is None and barnsley["located_share"] is None
