"""The MCA view, checked against values worked out by hand from views_support's returns:
rmbc and trft are in Rotherham only; syp (South Yorkshire Police) is in all four places."""

import pytest

from exchange.context import get_uow
from exchange.errors import NotFound
from exchange.views.mca import mca_view
from tests.integration.views_support import (
    BARNSLEY,
    DONCASTER,
    Q1,
    ROTHERHAM,
    SHEFFIELD,
    build_world,
)

EXTRA = ("coverage", "withheld", "net_credit_suppliers", "net_credit_spend", "method")


def flows_from(period: dict, source: str) -> dict:
    return {f["to"]: (f["amount"], f["lines"], f["suppliers"])
            for f in period["flows"] if f["from"] == source}


def plain(kpis: dict) -> dict:
    return {key: value for key, value in kpis.items() if key not in EXTRA}


def test_each_place_and_the_whole_sub_region_have_the_hand_worked_kpis(app):
    ids = build_world()

    view = mca_view(get_uow(), "E47000002", Q1)

    assert view["subregion"]["slug"] == "south-yorkshire"
    [period] = view["periods"]
    places = {p["slug"]: p for p in period["places"]}
    assert sorted(places) == ["barnsley", "doncaster", "rotherham", "sheffield"]
    # Rotherham is exactly the partnership view's combined figures (see that test)
    assert places["rotherham"]["kpis"]["total_spend"] == "106000.00"
    assert places["rotherham"]["kpis"]["local_spend"] == "70900.00"
    assert places["rotherham"]["kpis"]["suppliers"] == 7
    # Barnsley: only syp has spent: 5600, local = G 600 (600/5600 = .10714), all in the MCA
    assert plain(places["barnsley"]["kpis"]) == {
        "total_spend": "5600.00", "local_spend": "600.00", "subregional_spend": "5600.00",
        "unknown_location_spend": "0.00", "sme_spend": "0.00", "vcse_spend": "0.00",
        "local_share": 0.1071, "subregional_share": 1.0,
        "sme_share": 0.0, "vcse_share": 0.0, "local_suppliers": 1, "suppliers": 2,
        "credit_notes": "0.00"}
    # Sheffield: syp's 5000 to B is local there: 5000/5600 = .89286
    assert places["sheffield"]["kpis"]["local_spend"] == "5000.00"
    assert places["sheffield"]["kpis"]["local_share"] == 0.8929
    # Doncaster: syp paid no Doncaster supplier (trft's C is Rotherham's partner's spend)
    assert places["doncaster"]["kpis"]["local_spend"] == "0.00"
    assert places["doncaster"]["kpis"]["local_share"] == 0.0
    # The sub-region counts syp once: 106000 as for Rotherham (syp's 5600 is in it once);
    # local = sub-regional = A 70900 + B (2000 - 25000 + 5000) + C 25000 + G 600 = 78500;
    # suppliers 7; local suppliers (in the MCA) A B C G = 4.
    # Shares, net per supplier per partner's return (trft's B, net -25000, left out): counted
    # 131000, located 130000; local = sub-regional = rmbc 32900 + trft 65000 + syp 5600 =
    # 103500/130000 = .79615; SME 70900/131000 = .54122; VCSE 25000/131000 = .19084
    assert plain(period["subregion"]["kpis"]) == {
        "total_spend": "106000.00", "local_spend": "78500.00", "subregional_spend": "78500.00",
        "unknown_location_spend": "1000.00", "sme_spend": "70900.00", "vcse_spend": "25000.00",
        "local_share": 0.7962, "subregional_share": 0.7962,
        "sme_share": 0.5412, "vcse_share": 0.1908, "local_suppliers": 4, "suppliers": 7,
        "credit_notes": "-25100.00"}
    assert period["subregion"]["partners"].count("syp") == 1
    assert sorted(r["id"] for r in view["returns"]) == sorted(
        [ids["rmbc_q1"], ids["trft_q1"], ids["syp_q1"]])


def test_flows_go_from_each_place_to_each_lad_outside_and_unknown(app):
    build_world()

    [period] = mca_view(get_uow(), "south-yorkshire", Q1)["periods"]

    # Rotherham's partners (rmbc, trft, syp):
    #   Barnsley  G 600                                    1 line, 1 supplier
    #   Doncaster C 25000                                  1 line, 1 supplier
    #   Rotherham A 1000 + 30000 - 100 + 40000 = 70900     4 lines, 1 supplier
    #   Sheffield B 2000 - 25000 + 5000 = -18000           3 lines, 1 supplier
    #   outside   D 500 + E 26000 (North Lincolnshire) = 26500   2 lines, 2 suppliers
    #   unknown   R 300 + F 700 = 1000                     2 lines, 1 supplier (R has no key)
    # which add up to the total of 106000
    rotherham = {BARNSLEY: ("600.00", 1, 1), DONCASTER: ("25000.00", 1, 1),
                 ROTHERHAM: ("70900.00", 4, 1), SHEFFIELD: ("-18000.00", 3, 1),
                 "outside": ("26500.00", 2, 2), "unknown": ("1000.00", 2, 1)}
    assert flows_from(period, "rotherham") == rotherham
    # Barnsley's (and Sheffield's and Doncaster's) partners: only syp has submitted
    syp = {BARNSLEY: ("600.00", 1, 1), DONCASTER: ("0.00", 0, 0), ROTHERHAM: ("0.00", 0, 0),
           SHEFFIELD: ("5000.00", 1, 1), "outside": ("0.00", 0, 0), "unknown": ("0.00", 0, 0)}
    assert flows_from(period, "barnsley") == syp
    assert flows_from(period, "sheffield") == syp
    assert flows_from(period, "doncaster") == syp
    # the whole sub-region, syp once: the same as Rotherham's here
    assert flows_from(period, "south-yorkshire") == rotherham


def test_the_mca_comparable_basis_uses_the_highest_threshold_in_the_sub_region(app):
    build_world()

    view = mca_view(get_uow(), "south-yorkshire", Q1, basis="comparable")

    assert view["threshold"] == "25000.00"
    [period] = view["periods"]
    # rmbc A 30000 + E 26000; trft 40000 + 25000 - 25000: 96000, as in the partnership test
    assert period["subregion"]["kpis"]["total_spend"] == "96000.00"
    assert flows_from(period, "south-yorkshire")["outside"] == ("26000.00", 1, 1)


def test_a_place_is_not_a_sub_region(app):
    with pytest.raises(NotFound):
        mca_view(get_uow(), "rotherham", Q1)
