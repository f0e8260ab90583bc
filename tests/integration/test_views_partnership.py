"""The partnership view, checked figure by figure against values worked out by hand from the
returns in views_support (read that module's table of suppliers first)."""

import pytest

from exchange.context import get_uow
from exchange.errors import NotFound, Unprocessable
from exchange.views.partnership import partnership_view
from tests.integration.views_support import Q1, Q2, build_world, submit

ZERO = {"total_spend": "0.00", "local_spend": "0.00", "subregional_spend": "0.00",
        "unknown_location_spend": "0.00", "sme_spend": "0.00", "vcse_spend": "0.00",
        "local_share": None, "subregional_share": None,
        "sme_share": None, "vcse_share": None, "local_suppliers": 0, "suppliers": 0,
        "credit_notes": "0.00"}
# Coverage and the nets left out of the shares, checked apart from the money and shares.
EXTRA = ("coverage", "withheld", "net_credit_suppliers", "net_credit_spend", "method")


def plain(kpis: dict) -> dict:
    return {key: value for key, value in kpis.items() if key not in EXTRA}


def partners_of(period: dict) -> dict:
    return {p["slug"]: p for p in period["partners"]}


def test_every_kpi_of_each_partner_and_of_the_partnership_matches_the_hand_worked_figures(app):
    ids = build_world()

    view = partnership_view(get_uow(), "rotherham", Q1)

    assert view["place"] == {"slug": "rotherham", "code": "E08000018", "name": "Rotherham"}
    assert (view["from"], view["to"], view["basis"], view["by"]) == (Q1, Q1, "as_submitted",
                                                                     "total")
    assert "threshold" not in view
    [period] = view["periods"]
    assert period["period"] == Q1
    partners = partners_of(period)
    assert sorted(partners) == ["rdash", "rmbc", "rnn", "syfr", "syp", "trft", "var"]
    # rmbc v2 (v1's 999.00 is superseded and must not count):
    # total 1000 + 30000 + 2000 + 500 - 100 + 300 + 700 + 26000 = 60400
    # local (A, Rotherham) 1000 + 30000 - 100 = 30900; sub-regional adds B 2000 = 32900
    # (E is located but in North Lincolnshire, outside the MCA); unknown R 300 + F 700 = 1000
    # located 59400; SME = A's 30900; suppliers A B D E F = 5 (R is redacted: no key)
    # Shares, net per supplier: every net is positive (A 30900), so all 60400 counts; located
    # 59400 (coverage 59400/60400 = .98344, all by the line's own postcode; unknown
    # 1000/60400 = .01656); local 30900/59400 = .52020; sub 32900/59400 = .55387;
    # SME 30900/60400 = .51159
    assert plain(partners["rmbc"]["kpis"]) == {
        "total_spend": "60400.00", "local_spend": "30900.00", "subregional_spend": "32900.00",
        "unknown_location_spend": "1000.00", "sme_spend": "30900.00", "vcse_spend": "0.00",
        "local_share": 0.5202, "subregional_share": 0.5539,
        "sme_share": 0.5116, "vcse_share": 0.0, "local_suppliers": 1, "suppliers": 5,
        "credit_notes": "-100.00"}
    assert partners["rmbc"]["kpis"]["coverage"] == {
        "located_share": 0.9834, "located_spend": "59400.00", "counted_spend": "60400.00",
        "minimum": 0.5, "by_source": {"line": 0.9834, "register": 0.0, "identifier": 0.0,
                                      "companies_register": 0.0, "unknown": 0.0166}}
    assert partners["rmbc"]["kpis"]["withheld"] == {}
    assert partners["rmbc"]["returns"] == [
        {"id": ids["rmbc_q1"], "kind": "spend", "period": Q1, "version": 2}]
    # trft: 40000 (A, local, SME) + 25000 (C, Doncaster, VCSE) - 25000 (B, Sheffield) = 40000
    # everything located and in the MCA; suppliers A C B = 3.
    # Shares: B's net is -25000, so B is left out of both sides (one net credit, -25000):
    # counted 65000, all located; local 40000/65000 = .61538; sub 65000/65000 = 1;
    # SME 40000/65000 = .61538; VCSE 25000/65000 = .38462
    assert plain(partners["trft"]["kpis"]) == {
        "total_spend": "40000.00", "local_spend": "40000.00", "subregional_spend": "40000.00",
        "unknown_location_spend": "0.00", "sme_spend": "40000.00", "vcse_spend": "25000.00",
        "local_share": 0.6154, "subregional_share": 1.0,
        "sme_share": 0.6154, "vcse_share": 0.3846, "local_suppliers": 1, "suppliers": 3,
        "credit_notes": "-25000.00"}
    assert (partners["trft"]["kpis"]["net_credit_suppliers"],
            partners["trft"]["kpis"]["net_credit_spend"]) == (1, "-25000.00")
    assert partners["trft"]["kpis"]["coverage"]["located_share"] == 1.0
    # syp: B 5000 (Sheffield) + G 600 (Barnsley) = 5600, none local, all sub-regional
    assert plain(partners["syp"]["kpis"]) == {
        "total_spend": "5600.00", "local_spend": "0.00", "subregional_spend": "5600.00",
        "unknown_location_spend": "0.00", "sme_spend": "0.00", "vcse_spend": "0.00",
        "local_share": 0.0, "subregional_share": 1.0,
        "sme_share": 0.0, "vcse_share": 0.0, "local_suppliers": 0, "suppliers": 2,
        "credit_notes": "0.00"}
    assert plain(partners["rnn"]["kpis"]) == ZERO and partners["rnn"]["returns"] == []
    assert partners["rnn"]["kpis"]["coverage"]["located_share"] is None
    # combined: total 60400 + 40000 + 5600 = 106000; local 30900 + 40000 = 70900;
    # sub-regional 32900 + 40000 + 5600 = 78500; unknown 1000 (located 105000);
    # SME 70900; VCSE 25000; credit notes -100 - 25000 = -25100
    # Shares (nets per partner's return): counted 60400 + 65000 + 5600 = 131000, located
    # 130000 (coverage .99237; by line 130000/131000, unknown 1000/131000 = .00763);
    # local 70900/130000 = .54538; sub 32900 + 65000 + 5600 = 103500/130000 = .79615;
    # SME 70900/131000 = .54122; VCSE 25000/131000 = .19084. Suppliers A B D E F (rmbc) + C
    # (trft) + G (syp) = 7: A and B, paid by several partners, count once; local: A only.
    assert plain(period["combined"]["kpis"]) == {
        "total_spend": "106000.00", "local_spend": "70900.00", "subregional_spend": "78500.00",
        "unknown_location_spend": "1000.00", "sme_spend": "70900.00", "vcse_spend": "25000.00",
        "local_share": 0.5454, "subregional_share": 0.7962,
        "sme_share": 0.5412, "vcse_share": 0.1908, "local_suppliers": 1, "suppliers": 7,
        "credit_notes": "-25100.00"}
    assert period["combined"]["kpis"]["coverage"]["by_source"] == {
        "line": 0.9924, "register": 0.0, "identifier": 0.0, "companies_register": 0.0,
        "unknown": 0.0076}
    assert (period["combined"]["kpis"]["net_credit_suppliers"],
            period["combined"]["kpis"]["net_credit_spend"]) == (1, "-25000.00")


def test_the_comparable_basis_keeps_only_lines_at_the_highest_threshold_of_the_partnership(app):
    build_world()

    view = partnership_view(get_uow(), "rotherham", Q1, basis="comparable")

    # trft and rdash publish at £25,000, the highest threshold among Rotherham's partners.
    assert view["threshold"] == "25000.00"
    [period] = view["periods"]
    partners = partners_of(period)
    # rmbc keeps A 30000 (local, SME) and E 26000 (outside the MCA): 56000;
    # 30000/56000 = .53571 for local, located, sub-regional and SME; suppliers A E = 2
    assert plain(partners["rmbc"]["kpis"]) == {
        "total_spend": "56000.00", "local_spend": "30000.00", "subregional_spend": "30000.00",
        "unknown_location_spend": "0.00", "sme_spend": "30000.00", "vcse_spend": "0.00",
        "local_share": 0.5357, "subregional_share": 0.5357,
        "sme_share": 0.5357, "vcse_share": 0.0, "local_suppliers": 1, "suppliers": 2,
        "credit_notes": "0.00"}
    # trft's three lines are all at least £25,000 in size (the credit note too): unchanged
    assert partners["trft"]["kpis"]["total_spend"] == "40000.00"
    assert partners["trft"]["kpis"]["credit_notes"] == "-25000.00"
    # syp has no line that large
    assert plain(partners["syp"]["kpis"]) == ZERO
    # combined: 56000 + 40000 = 96000; local 30000 + 40000 = 70000; sub-regional
    # 30000 + 40000 = 70000; suppliers A E (rmbc) + C B (trft) = 4. Shares leave out trft's
    # B (net -25000): counted 56000 + 65000 = 121000, all located; local 70000/121000 =
    # .57851; sub 30000 + 65000 = 95000/121000 = .78512; VCSE 25000/121000 = .20661
    assert plain(period["combined"]["kpis"]) == {
        "total_spend": "96000.00", "local_spend": "70000.00", "subregional_spend": "70000.00",
        "unknown_location_spend": "0.00", "sme_spend": "70000.00", "vcse_spend": "25000.00",
        "local_share": 0.5785, "subregional_share": 0.7851,
        "sme_share": 0.5785, "vcse_share": 0.2066, "local_suppliers": 1, "suppliers": 4,
        "credit_notes": "-25000.00"}


def test_by_quarter_gives_one_entry_per_quarter_and_a_total_counts_a_supplier_once(app):
    ids = build_world()

    quarters = partnership_view(get_uow(), "rotherham", Q1, Q2, by="quarter")["periods"]
    total = partnership_view(get_uow(), "rotherham", Q1, Q2)["periods"]
    year = partnership_view(get_uow(), "E08000018", "2021-22", by="year")["periods"]

    assert [p["period"] for p in quarters] == [Q1, Q2]
    assert quarters[0]["combined"]["kpis"]["total_spend"] == "106000.00"
    # Q2: rmbc's single 200.00 to A
    assert plain(quarters[1]["combined"]["kpis"]) == {
        **ZERO, "total_spend": "200.00", "local_spend": "200.00", "subregional_spend": "200.00",
        "sme_spend": "200.00", "local_share": 1.0,
        "subregional_share": 1.0, "sme_share": 1.0, "vcse_share": 0.0, "local_suppliers": 1,
        "suppliers": 1}
    assert partners_of(quarters[1])["rmbc"]["returns"] == [
        {"id": ids["rmbc_q2"], "kind": "spend", "period": Q2, "version": 1}]
    # Q1 + Q2: 106200; local 71100; sub-regional 78700; A counted once: 7 suppliers.
    # Shares: counted 131000 + 200 = 131200, located 130200; local 71100/130200 = .54608;
    # sub 103700/130200 = .79647; SME 71100/131200 = .54192; VCSE 25000/131200 = .19055
    [whole] = total
    assert whole["period"] == f"{Q1} to {Q2}"
    assert plain(whole["combined"]["kpis"]) == {
        "total_spend": "106200.00", "local_spend": "71100.00", "subregional_spend": "78700.00",
        "unknown_location_spend": "1000.00", "sme_spend": "71100.00", "vcse_spend": "25000.00",
        "local_share": 0.5461, "subregional_share": 0.7965,
        "sme_share": 0.5419, "vcse_share": 0.1905, "local_suppliers": 1, "suppliers": 7,
        "credit_notes": "-25100.00"}
    assert [r["id"] for r in partners_of(whole)["rmbc"]["returns"]] == [
        ids["rmbc_q1"], ids["rmbc_q2"]]
    # by year over 2021-22: the same figures under the label of the year
    assert [p["period"] for p in year] == ["2021-22"]
    assert year[0]["combined"]["kpis"] == whole["combined"]["kpis"]


def test_charter_scoreboard_measures_contributions_and_submission_status_come_from_returns(app):
    ids = build_world()
    submit("Commitment,Status,Target,Actual,Unit\n"
           "living_wage,in_progress,100,60,employees\n"
           "local_spend,in_progress,30,25,percent\n", "rmbc", "commitments", Q1)
    later = submit("Commitment,Status,Target,Actual,Unit\n"
                   "living_wage,achieved,100,100,employees\n", "rmbc", "commitments", Q2).id
    submit("Measure,Value,Unit\napprenticeship_starts,4,starts\n"
           "volunteering_hours,120,hours\n", "rmbc", "measures", Q1)
    submit("Measure,Value,Unit\napprenticeship_starts,6,starts\n"
           "living_wage_employees,500,people\n", "trft", "measures", Q2)
    submit("Contributor name,Contribution type,Quantity,Value (GBP)\n"
           "Don Valley Joinery Ltd,volunteering_hours,16,\n"
           "Don Valley Joinery Ltd,cash_donation,,250.00\n"
           "Magna Trust,cash_donation,,100.00\n", "var", "contributions", Q1)

    view = partnership_view(get_uow(), "rotherham", Q1, Q2)

    board = {c["code"]: {p["partner"]: p for p in c["partners"]} for c in view["commitments"]}
    # the latest current commitments return in the window is rmbc's Q2 one: it only reports
    # living wage, so local spend shows as not reported for the window
    assert board["living_wage"]["rmbc"] == {
        "partner": "rmbc", "status": "achieved", "target": "100.00", "actual": "100.00",
        "unit": "employees", "period": Q2, "return_id": later}
    assert board["local_spend"]["rmbc"]["status"] == "not_reported"
    assert board["living_wage"]["trft"]["status"] == "not_reported"
    assert len(view["commitments"]) == 8 and all(len(c["partners"]) == 7
                                                 for c in view["commitments"])
    # measures: 4 + 6 = 10 starts x £2,414 = £24,140; 120 hours x £17 = £2,040;
    # living wage employees have no proxy value
    measures = {m["code"]: m for m in view["measures"]}
    assert sorted(measures) == ["apprenticeship_starts", "living_wage_employees",
                                "volunteering_hours"]
    assert measures["apprenticeship_starts"] == {
        "code": "apprenticeship_starts", "name": "Apprenticeship starts", "unit": "starts",
        "nature": "flow", "year_figure": "sum", "value": "10.00", "quarters": [Q1, Q2],
        "by_quarter": {Q1: "4.00", Q2: "6.00"}, "lines": 2, "proxy_value": "2414.00",
        "proxy_per": "start", "valued_units": "10.00", "social_value": "24140.00",
        "indicative": True, "people_count": True,
        "how": "What happened in each quarter: 10 starts is the sum of the 2 quarters "
               "reported. Social value £24,140.00 = 10 × £2,414.00 per start."}
    assert (measures["volunteering_hours"]["social_value"], measures["volunteering_hours"][
        "indicative"]) == ("2040.00", True)
    assert measures["living_wage_employees"]["social_value"] is None
    assert measures["living_wage_employees"]["indicative"] is None
    assert view["contributions"] == [
        {"type": "cash_donation", "count": 2, "quantity": None, "value": "350.00"},
        {"type": "volunteering_hours", "count": 1, "quantity": "16.00", "value": None}]
    status = {(s["partner"], s["period"], s["kind"]): s for s in view["submission_status"]}
    assert len(status) == 7 * 2 * 4
    assert status[("rmbc", Q1, "spend")] == {"partner": "rmbc", "period": Q1, "kind": "spend",
                                             "status": "accepted", "version": 2,
                                             "return_id": ids["rmbc_q1"]}
    assert status[("rmbc", Q2, "commitments")]["return_id"] == later
    assert status[("trft", Q2, "spend")]["status"] == "missing"
    assert status[("var", Q1, "contributions")]["status"] == "accepted"


def test_an_unknown_place_or_a_sub_region_is_not_found_and_bad_arguments_say_why(app):
    with pytest.raises(NotFound):
        partnership_view(get_uow(), "atlantis", Q1)
    with pytest.raises(NotFound):
        partnership_view(get_uow(), "south-yorkshire", Q1)
    with pytest.raises(Unprocessable) as bad:
        partnership_view(get_uow(), "rotherham", "2021-22-Q5", Q1, by="month", basis="gross")
    assert set(bad.value.errors) == {"from", "by", "basis"}
    with pytest.raises(Unprocessable) as backwards:
        partnership_view(get_uow(), "rotherham", Q2, Q1)
    assert "comes before" in backwards.value.errors["to"][0]
