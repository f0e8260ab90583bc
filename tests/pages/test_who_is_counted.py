"""Views and pages say who is in their figures: per place and quarter, the partners counted and
those awaiting approval, late or missing; the approver's home lists what waits for them."""

import html

from exchange.context import get_uow
from exchange.views.mca import mca_view
from exchange.views.partnership import partnership_view
from tests.integration.views_support import Q1, build_world

PARTNERSHIP = "/dashboard/partnership/rotherham"
MCA = "/dashboard/mca/south-yorkshire"
# rmbc needs its returns approved; build_world's were sent in 2026, long after the deadline
ROTHERHAM_Q1 = ("Rotherham: 3 of 7 partners counted; RMBC awaiting approval (in these figures, "
                "not yet in the MCA's release); late: RMBC, SYP, TRFT; missing: RDASH, RNN, "
                "SYFR, VAR")


def test_the_partnership_view_names_who_is_counted_and_who_awaits_approval(app):
    build_world()

    [entry] = partnership_view(get_uow(), "rotherham", Q1)["completeness"]

    assert entry == {
        "place": "rotherham", "period": Q1, "partners": 7, "counted": ["rmbc", "syp", "trft"],
        "awaiting_approval": ["rmbc"], "late": ["rmbc", "syp", "trft"],
        "missing": ["rdash", "rnn", "syfr", "var"], "open": [], "not_due": [],
        "text": ROTHERHAM_Q1}


def test_the_mca_view_says_it_for_every_place_and_the_sub_region(app):
    build_world()

    found = mca_view(get_uow(), "south-yorkshire", Q1)["completeness"]

    assert [c["place"] for c in found] == ["barnsley", "doncaster", "rotherham", "sheffield",
                                          "south-yorkshire"]
    sheffield = next(c for c in found if c["place"] == "sheffield")
    assert sheffield["counted"] == ["syp"] and sheffield["missing"] == ["scc", "sth", "syfr"]


def test_the_dashboards_say_it_in_words(app, signed_in):
    build_world()

    # syp is a partner of every place: it sees the live figures, and who is in them
    mca = html.unescape(signed_in("syp").get(f"{MCA}?from={Q1}").text)
    partnership = html.unescape(signed_in("var").get(f"{PARTNERSHIP}?from={Q1}").text)

    assert f"{Q1}: {ROTHERHAM_Q1}" in mca
    assert f"{Q1}: {ROTHERHAM_Q1}" in partnership


def test_the_approvers_home_lists_the_returns_waiting_with_totals_and_warnings(app, signed_in):
    ids = build_world()

    page = signed_in("rmbc", roles=("approver",)).get("/").text
    plain = signed_in("rmbc").get("/").text

    assert 'id="awaiting"' in page and 'id="awaiting"' not in plain
    row = page.split(f'data-return="{ids["rmbc_q1"]}"')[1].split("</tr>")[0]
    assert "Spend 2021-22-Q1, version 2" in row
    assert "£60,400" in row  # the Q1 lines of views_support, worked by hand (no pence)
    assert f'data-return="{ids["rmbc_q1_v1"]}"' not in page  # superseded


def test_the_mca_sees_who_its_releases_count(app, signed_in):
    build_world()

    page = html.unescape(signed_in("symca").get(f"{MCA}?from={Q1}").text)

    # the MCA is outside every partnership: it is told what its releases count
    assert (f"{Q1}: Rotherham: 2 of 7 partners counted; RMBC awaiting approval; late: RMBC, "
            "SYP, TRFT; missing: RDASH, RNN, SYFR, VAR") in page
