"""Return windows: when each quarter opens and is due, and how a return's status follows the
clock."""

from datetime import UTC, date, datetime

import pytest

from exchange.context import get_uow
from exchange.services.cycle.windows import (
    APPROVED,
    LATE,
    MISSING,
    NOT_DUE,
    OPEN,
    SUBMITTED,
    WindowRules,
    owing_partners,
    period_status,
)
from tests.cycle.conftest import at, submit_at

Q1 = "2025-26-Q1"
RULES = WindowRules.from_config()


def one(states, partner: str, kind: str = "spend"):
    [found] = [s for s in states if (s.partner, s.kind) == (partner, kind)]
    return found


@pytest.mark.parametrize(("quarter", "opens", "deadline"), [
    ("2025-26-Q1", date(2025, 7, 1), date(2025, 7, 31)),
    ("2025-26-Q2", date(2025, 10, 1), date(2025, 10, 31)),
    ("2025-26-Q3", date(2026, 1, 1), date(2026, 1, 31)),
    ("2025-26-Q4", date(2026, 4, 1), date(2026, 4, 30)),
])
def test_a_quarter_opens_the_day_after_it_ends_and_is_due_a_month_later(quarter, opens,
                                                                         deadline):
    window = RULES.window(quarter, "spend")
    assert (window.opens, window.deadline) == (opens, deadline)


def test_a_window_opens_and_closes_at_midnight_uk_time():
    summer = RULES.window(Q1, "spend")
    assert summer.opens_at == datetime(2025, 6, 30, 23, 0, tzinfo=UTC)  # BST
    assert summer.closes_at == datetime(2025, 7, 31, 23, 0, tzinfo=UTC)
    winter = RULES.window("2025-26-Q3", "spend")
    assert winter.closes_at == datetime(2026, 2, 1, 0, 0, tzinfo=UTC)  # GMT


def test_the_deadline_can_be_set_per_kind():
    rules = WindowRules.from_config({"RETURN_DEADLINE_MONTHS": {"measures": 2}})
    assert rules.window(Q1, "measures").deadline == date(2025, 8, 31)
    assert rules.window(Q1, "spend").deadline == date(2025, 7, 31)
    assert rules.latest_deadline(Q1) == datetime(2025, 8, 31, 23, 0, tzinfo=UTC)


def test_a_year_has_no_window():
    with pytest.raises(ValueError, match="per quarter"):
        RULES.window("2025-26", "spend")


def test_the_combined_authority_owes_nothing_and_anchor_partners_owe_all_five_kinds(app):
    with get_uow() as uow:
        owing = {p.slug: kinds for p, kinds in owing_partners(uow, RULES)}
    assert "symca" not in owing
    assert set(owing["rmbc"]) == {"spend", "suppliers", "commitments", "measures",
                                  "contributions"}


def test_with_nothing_received_a_window_is_not_due_then_open_then_missing(app):
    moments = {NOT_DUE: at("2025-06-30 23:59"), OPEN: at("2025-07-01 00:00"),
               "still open": at("2025-07-31 23:59"), MISSING: at("2025-08-01 00:00")}
    seen = {name: one(period_status(get_uow(), Q1, now), "rmbc").status
            for name, now in moments.items()}
    assert seen == {NOT_DUE: NOT_DUE, OPEN: OPEN, "still open": OPEN, MISSING: MISSING}


def test_a_return_received_by_the_deadline_is_submitted_and_one_after_it_is_late(app, submit):
    on_time = submit(at("2025-07-31 23:30"), "rmbc")
    submit(at("2025-08-01 00:10"), "syp")
    states = period_status(get_uow(), Q1, at("2025-08-15 12:00"))
    rmbc, syp = one(states, "rmbc"), one(states, "syp")
    assert (rmbc.status, rmbc.late, rmbc.return_id, rmbc.version) == (
        SUBMITTED, False, on_time.id, 1)
    assert (syp.status, syp.late) == (LATE, True)
    assert one(states, "rmbc", "measures").status == MISSING
    assert rmbc.to_dict()["deadline"] == "2025-07-31"


def test_a_return_sent_before_its_window_opens_counts_as_submitted(app, submit):
    submit(at("2025-06-20 09:00"), "rmbc")
    assert one(period_status(get_uow(), Q1, at("2025-06-25 09:00")), "rmbc").status == SUBMITTED


def test_a_correction_after_the_deadline_leaves_an_on_time_return_on_time(app, submit):
    submit(at("2025-07-20 10:00"), "rmbc", amount="1000.00")
    correction = submit(at("2025-08-20 10:00"), "rmbc", amount="1200.00")
    rmbc = one(period_status(get_uow(), Q1, at("2025-08-21 10:00")), "rmbc")
    assert (rmbc.status, rmbc.version, rmbc.return_id) == (SUBMITTED, 2, correction.id)
    assert rmbc.first_submitted_at < rmbc.submitted_at


def test_an_approved_return_shows_as_approved_even_when_it_was_late(app, submit):
    receipt = submit(at("2025-08-05 10:00"), "rmbc")
    with get_uow() as uow:
        ret = uow.returns.get(receipt.id)
        ret.approved_at, ret.approved_by = at("2025-08-06 10:00"), "user:someone@rmbc.example"
        uow.commit()
    rmbc = one(period_status(get_uow(), Q1, at("2025-08-07 10:00")), "rmbc")
    assert (rmbc.status, rmbc.late, rmbc.approved_by) == (APPROVED, True,
                                                          "user:someone@rmbc.example")


def test_a_rejected_return_leaves_the_window_missing(app):
    receipt = submit_at(at("2025-07-10 10:00"), "rmbc", "spend", Q1,
                        "Payment Date,Amount,Supplier Name\nnot a date,lots,Nobody\n")
    assert receipt.status == "rejected"
    assert one(period_status(get_uow(), Q1, at("2025-08-02 10:00")), "rmbc").status == MISSING


def test_a_partners_status_can_be_read_alone(app, submit):
    submit(at("2025-07-10 10:00"), "rmbc")
    with get_uow() as uow:
        rmbc_id = uow.partners.get("rmbc").id
    states = period_status(get_uow(), Q1, at("2025-07-11 10:00"), partner_ids=[rmbc_id])
    assert {s.partner for s in states} == {"rmbc"}
    assert len(states) == 5
