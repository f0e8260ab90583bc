"""Releases say who is in them: a return awaiting its approver is named in ``completeness`` and
left out of the figures; approving it and publishing again counts it, with a revision note."""

from datetime import UTC, datetime

from exchange.context import get_uow
from exchange.feeds.releases import publish_release
from exchange.services.cycle.approvals import approve_return
from tests.integration.releases_support import Q1, submit

SPEND = "Payment Date,Amount,Supplier Name,Supplier Postcode\n"
# 2021-22-Q1's windows closed on 31 July 2021
NOW = datetime(2021, 9, 1, 9, 0, tzinfo=UTC)


def rotherham(release) -> dict:
    return next(c for c in release.notes["completeness"] if c["place"] == "rotherham")


def test_a_return_awaiting_approval_is_named_then_counted_once_approved(app, make_user):
    syp = submit(SPEND + "03/05/2021,800.00,Alpha Ltd,S1 2HH\n", "syp")
    rmbc = submit(SPEND + "03/05/2021,5000.00,Echo Ltd,S62 5QT\n", "rmbc")
    approver = make_user("rmbc", "ann@rmbc.example", "a long password 1", roles=("approver",))

    first = publish_release(get_uow(), "south-yorkshire", Q1, now=NOW)

    place = rotherham(first)
    assert place["period"] == Q1
    assert place["awaiting_approval"] == ["rmbc"]
    assert "rmbc" not in place["counted"] and "syp" in place["counted"]
    assert place["partners"] == 7  # rmbc, syp, trft, rnn, rdash, syfr, var
    assert place["missing"] == ["rdash", "rnn", "syfr", "trft", "var"]
    # both were sent in 2026, long after the deadline
    assert place["text"] == ("Rotherham: 1 of 7 partners counted; RMBC awaiting approval; "
                             "late: RMBC, SYP; missing: RDASH, RNN, SYFR, TRFT, VAR")
    assert [r["id"] for r in first.notes["returns_added"]] == [syp.id]

    approve_return(get_uow(), rmbc.id, approver=type("P", (), {"id": approver})(), now=NOW)
    second = publish_release(get_uow(), "south-yorkshire", Q1, now=NOW)

    assert (second.created, second.version) == (True, 2)
    assert "rmbc" in rotherham(second)["counted"]
    assert rotherham(second)["awaiting_approval"] == []
    assert {"place": "rotherham", "partner": "rmbc", "was": "awaiting_approval"} in \
        second.notes["partners_now_counted"]
    assert "Now counted: RMBC in rotherham (was awaiting approval)" in second.notes["summary"]
    assert [r["id"] for r in second.notes["returns_added"]] == [rmbc.id]


def test_the_feed_serves_completeness_with_every_release_and_dataset(app, client,
                                                                       partner_token):
    submit(SPEND + "03/05/2021,800.00,Alpha Ltd,S1 2HH\n", "syp")
    release = publish_release(get_uow(), "south-yorkshire", Q1, now=NOW)
    mca = {"Authorization": f"Bearer {partner_token('symca', 'feeds:read')}"}

    listed = client.get("/api/v1/feeds/south-yorkshire/releases", headers=mca).get_json()
    dataset = client.get(f"/api/v1/feeds/south-yorkshire/releases/{release.release_id}/spend",
                         headers=mca).get_json()

    [summary] = listed["items"]
    places = {c["place"] for c in summary["completeness"]}
    assert places == {"barnsley", "doncaster", "rotherham", "sheffield", "south-yorkshire"}
    assert dataset["completeness"] == summary["completeness"]
    sheffield = next(c for c in dataset["completeness"] if c["place"] == "sheffield")
    assert sheffield["counted"] == ["syp"] and "scc" in sheffield["missing"]
