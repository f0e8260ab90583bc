"""Disclosure control: primary rules, secondary suppression, and attackers who difference totals."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from exchange.feeds.disclosure import PEOPLE, SPEND, Cell, control, is_sensitive, protect
from exchange.feeds.span import Span
from tests.disclosure_attacks import linear_attack


def table(values: list[list[int]], sensitive: set[tuple[int, int]]) -> list[Cell]:
    """A two-way table with row totals, column totals and a grand total, as linked cells."""
    cells = []
    rows, cols = len(values), len(values[0])
    for r in range(rows):
        for c in range(cols):
            cells.append(Cell(("t", r, c), values[r][c], frozenset({(r, c)}), (r, c) in sensitive))
        cells.append(Cell(("t", r, "total"), sum(values[r]),
                          frozenset((r, c) for c in range(cols))))
    for c in range(cols):
        cells.append(Cell(("t", "total", c), sum(v[c] for v in values),
                          frozenset((r, c) for r in range(rows))))
    cells.append(Cell(("t", "total", "total"), sum(map(sum, values)),
                      frozenset((r, c) for r in range(rows) for c in range(cols))))
    return cells


def differencing_attack(values, suppressed) -> set:
    """The classic attacker: any row or column with one unknown cell gives it away; repeat."""
    rows, cols = len(values), len(values[0])
    known = {(r, c): values[r][c] for r in range(rows) for c in range(cols)
             if ("t", r, c) not in suppressed}
    row_totals = {r: sum(values[r]) for r in range(rows) if ("t", r, "total") not in suppressed}
    col_totals = {c: sum(v[c] for v in values) for c in range(cols)
                  if ("t", "total", c) not in suppressed}
    recovered = set()
    progress = True
    while progress:
        progress = False
        lines = [([(r, c) for c in range(cols)], row_totals.get(r)) for r in range(rows)]
        lines += [([(r, c) for r in range(rows)], col_totals.get(c)) for c in range(cols)]
        for members, total in lines:
            unknown = [m for m in members if m not in known]
            if total is not None and len(unknown) == 1:
                known[unknown[0]] = total - sum(known[m] for m in members if m in known)
                recovered.add(unknown[0])
                progress = True
    return recovered


def test_people_counts_below_five_and_spend_from_fewer_than_three_suppliers_are_sensitive():
    assert [is_sensitive(PEOPLE, n) for n in (0, 1, 4, 5, 12)] == [True, True, True, False, False]
    assert [is_sensitive(SPEND, Decimal("9e6"), n) for n in (0, 1, 2, 3)] == [
        True, True, True, False]
    assert not is_sensitive(None, 1)


def test_a_table_with_nothing_sensitive_is_published_whole():
    assert protect(table([[10, 20], [30, 40]], set())) == set()


def test_one_sensitive_cell_takes_the_next_smallest_of_its_row_and_column_with_it():
    values = [[3, 50, 60], [40, 7, 80], [90, 100, 110]]
    cells = table(values, {(0, 0)})

    suppressed = protect(cells)

    assert ("t", 0, 0) in suppressed
    row0 = {k for k in suppressed if k[1] == 0 and k[2] != "total"}
    col0 = {k for k in suppressed if k[2] == 0 and k[1] != "total"}
    assert len(row0) >= 2 and len(col0) >= 2
    assert ("t", 1, 1) in suppressed  # the smallest cell, completing the rectangle


def test_suppressed_cells_of_a_table_cannot_be_recovered_by_differencing_totals():
    values = [[3, 50, 60, 8], [40, 2, 80, 5], [90, 100, 1, 70], [4, 30, 20, 10]]
    cells = table(values, {(0, 0), (1, 1), (2, 2)})

    suppressed = protect(cells)

    assert {("t", 0, 0), ("t", 1, 1), ("t", 2, 2)} <= suppressed
    assert differencing_attack(values, suppressed) == set()
    assert linear_attack(cells, suppressed) == set()


def test_a_partner_counted_in_two_places_is_suppressed_in_both_or_neither():
    # The police force is the whole "police" cell of two places and of the sub-region.
    police = frozenset({("syp", "dest")})
    cells = [Cell(("spend", 0, "police"), 100, police, True),
             Cell(("spend", 1, "police"), 100, police, False),
             Cell(("spend", 2, "police"), 100, police, False),
             Cell(("spend", 1, "council"), 500, frozenset({("scc", "dest")}))]

    suppressed = protect(cells)

    assert {k for k in suppressed if k[2] == "police"} == {c.key for c in cells[:3]}
    assert ("spend", 1, "council") not in suppressed


def test_control_marks_suppressed_fields_as_null_and_never_zero():
    rows = [{"place": "x", "amount": Decimal("12.00"), "other": Decimal("40.00"),
             "_cells": {"amount": {"atoms": frozenset({"a"}), "rule": SPEND, "count": 1},
                        "other": {"atoms": frozenset({"b"}), "rule": SPEND, "count": 9}}}]

    published, counts = control({"flows": rows})

    assert published["flows"] == [{"place": "x", "amount": None, "other": Decimal("40.00"),
                                   "suppressed": ["amount"]}]
    assert counts == {"flows": 1}


@st.composite
def linked_tables(draw):
    """Random cells over a few atoms (a partner's spend somewhere), each the sum of some atoms,
    with totals of random groups: places sharing partners, kinds, sub-region totals."""
    n_atoms = draw(st.integers(2, 7))
    values = draw(st.lists(st.integers(-50, 500), min_size=n_atoms, max_size=n_atoms))
    subsets = draw(st.lists(st.sets(st.integers(0, n_atoms - 1), min_size=1), min_size=2,
                            max_size=12))
    subsets.append(set(range(n_atoms)))  # the grand total is always published
    flags = draw(st.lists(st.booleans(), min_size=len(subsets), max_size=len(subsets)))
    return [Cell(("d", i, "v"), sum(values[a] for a in s), frozenset(s), flag)
            for i, (s, flag) in enumerate(zip(subsets, flags, strict=True))]


@settings(max_examples=150, deadline=None)
@given(linked_tables())
def test_no_suppressed_cell_of_random_linked_tables_can_be_recovered(cells):
    suppressed = protect(cells)

    assert {c.key for c in cells if c.sensitive} <= suppressed
    assert linear_attack(cells, suppressed) == set()


def test_a_total_stays_published_when_a_counted_cell_can_protect_a_net_credit_instead():
    # spend 6740 = counted (positive nets) 7000 + one supplier's net credit -260: the credit
    # is sensitive, so one of the other two must go; the counted detail goes, not the total.
    total = Cell(("spend", "total"), Decimal("6740"), frozenset({"pos", "neg"}))
    counted = Cell(("spend", "counted"), Decimal("7000"), frozenset({"pos"}), expendable=True)
    credit = Cell(("spend", "credit"), Decimal("-260"), frozenset({"neg"}), sensitive=True,
                  expendable=True)

    assert protect([total, counted, credit]) == {("spend", "counted"), ("spend", "credit")}
    # without the preference the smaller total would have gone
    plain = Cell(("spend", "counted"), Decimal("7000"), frozenset({"pos"}))
    assert protect([total, plain, credit]) == {("spend", "total"), ("spend", "credit")}


def test_a_published_cell_that_other_cells_add_up_to_is_known_as_dependent():
    basis = Span(track=True)
    for key, atoms in [("a", {1}), ("b", {2}), ("a+b", {1, 2}), ("c", {3})]:
        basis.add(frozenset(atoms), key)

    assert basis.dependent == {"a", "b", "a+b"}
    assert basis.witness(frozenset({1, 2, 3})) is not None


def test_suppressing_a_cell_that_a_duplicate_total_replaces_does_not_count_as_protection():
    # The row total is published twice (a report and its copy), so suppressing one copy alone
    # leaves the sensitive cell recoverable; the smallest cell that protects it is the other
    # cell of the row.
    cells = [Cell(("t", "x"), 2, frozenset({"x"}), sensitive=True),
             Cell(("t", "y"), 90, frozenset({"y"})),
             Cell(("t", "total"), 92, frozenset({"x", "y"}), expendable=True),
             Cell(("copy", "total"), 92, frozenset({"x", "y"}), expendable=True)]

    suppressed = protect(cells)

    assert suppressed == {("t", "x"), ("t", "y")}
