"""Disclosure control: the small-number rules, as pure functions."""

from __future__ import annotations

import random

from community import disclosure
from community.surveys.results import counts as results


def _reasons(cells):
    return [c.reason for c in cells]


def test_small_counts_are_suppressed_and_zero_is_not():
    cells = disclosure.suppress_row([12, 3, 0, 8])
    assert _reasons(cells) == ["", "small", "", "secondary"]
    assert [c.count for c in cells] == [12, 3, 0, 8]


def test_one_small_cell_takes_the_next_smallest_non_zero_cell_with_it():
    assert _reasons(disclosure.suppress_row([20, 4, 9, 6])) == ["", "small", "", "secondary"]
    # 1 + 5 could only be 1 and 5: a count of exactly 5 cannot hide a 1, a 6 can.
    assert _reasons(disclosure.suppress_row([5, 1, 6])) == ["", "small", "secondary"]
    assert _reasons(disclosure.suppress_row([5, 1, 5])) == ["group"] * 3


def test_two_small_cells_protect_each_other_unless_both_must_be_equal():
    assert _reasons(disclosure.suppress_row([30, 2, 3])) == ["", "small", "small"]
    # 1 + 1: the reader knows both are 1, so one more count is hidden.
    assert _reasons(disclosure.suppress_row([30, 1, 1, 9])) == ["", "small", "small", "secondary"]
    assert _reasons(disclosure.suppress_row([30, 4, 4, 9])) == ["", "small", "small", "secondary"]


def test_no_small_cells_means_nothing_is_hidden():
    assert _reasons(disclosure.suppress_row([0, 5, 17, 0])) == ["", "", "", ""]


def test_a_row_answered_by_too_few_people_is_hidden_whole():
    assert _reasons(disclosure.suppress_row([3, 0, 0], total=3)) == ["group"] * 3
    assert _reasons(disclosure.suppress_row([3, 0, 5], total=8)) == ["small", "", "secondary"]
    # Five cells of "fewer than 5" adding up to 5 must all be 1, with nothing else to hide.
    assert _reasons(disclosure.suppress_row([1, 1, 1, 1, 1, 0], total=5)) == ["group"] * 6


def test_under_18s_use_a_threshold_of_ten():
    assert disclosure.threshold(youth=True) == 10 and disclosure.threshold() == 5
    assert _reasons(disclosure.suppress_row([7, 20, 12], disclosure.threshold(youth=True))) == [
        "small",
        "",
        "secondary",
    ]
    assert _reasons(disclosure.suppress_row([7, 20, 12])) == ["", "", ""]


def test_sums_of_cells_are_hidden_when_a_part_is():
    cells = disclosure.suppress_row([3, 10, 6, 0, 12])
    combined = disclosure.combine(cells, results.AGREEMENT_PARTS)
    assert [c.count for c in combined] == [13, 6, 12]
    assert [c.suppressed for c in combined] == [True, True, False]


def test_secondary_suppression_means_no_hidden_cell_can_be_worked_out():
    """Brute force: for every row of small counts, the shown cells and the total fit
    more than one value of each hidden cell."""
    rng = random.Random(7)
    for _ in range(400):
        counts = [rng.choice([0, 1, 2, 3, 4, 5, 6, 9, 15]) for _ in range(rng.randint(2, 5))]
        cells = disclosure.suppress_row(counts, total=sum(counts))
        hidden = [i for i, c in enumerate(cells) if c.suppressed]
        if not hidden or cells[0].reason == disclosure.GROUP:
            continue
        target = sum(counts[i] for i in hidden)

        def allowed(cell, target):
            # A "fewer than 5" cell is 1 to 4; any other hidden cell is 5 or over.
            if cell.reason == disclosure.SMALL:
                return set(range(1, 5))
            return set(range(5, target + 1))

        for i in (i for i in hidden if cells[i].reason == disclosure.SMALL):
            sums = {0}
            for j in hidden:
                if j != i:
                    sums = {
                        s + v for s in sums for v in allowed(cells[j], target) if s + v <= target
                    }
            possible = {v for v in allowed(cells[i], target) if target - v in sums}
            assert len(possible) > 1, (counts, _reasons(cells))
