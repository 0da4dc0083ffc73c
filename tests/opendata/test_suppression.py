"""Suppression of tables with totals: the cases where differencing would reveal a count,
and a property check over random tables, including a linear-programming reader who
knows every published total."""

from __future__ import annotations

import random

import numpy as np
import pytest
from scipy.optimize import linprog

from community.opendata.suppression import (
    GROUP,
    SECONDARY,
    SHOWN,
    SMALL,
    Line,
    line_problems,
    suppress_lines,
    suppress_table,
    table_lines,
)


def _hidden(table):
    return [[c.suppressed for c in row] for row in table.cells]


def _flat(table):
    cells = [c for row in table.cells for c in row]
    return cells + (table.row_totals or []) + (table.column_totals or []) + [table.total]


def test_a_table_without_small_counts_is_published_whole():
    table = suppress_table([[12, 7], [9, 30]])
    assert not table.any_suppressed
    assert [c.count for c in table.row_totals] == [19, 39]
    assert [c.count for c in table.column_totals] == [21, 37]
    assert table.total.count == 58


def test_one_small_cell_in_a_row_takes_the_next_smallest_with_it():
    # Row total 21 less 12 would give the 3 away: the 6 is hidden too, and so its
    # column (6 hidden alone against the column total) needs a second hidden cell.
    table = suppress_table([[12, 3, 6], [20, 9, 8]])
    assert table.cells[0][1].reason == SMALL
    assert table.cells[0][2].reason == SECONDARY
    # Column of the 3: 3 + 9 = 12 published; the 9 must go too. Column of the 6 likewise.
    assert table.cells[1][1].suppressed and table.cells[1][2].suppressed
    assert not table.cells[0][0].suppressed and not table.cells[1][0].suppressed
    assert all(not c.suppressed for c in table.row_totals + table.column_totals)
    assert line_problems(_flat(table), table_lines(2, 3)[1]) == []


def test_differencing_row_totals_against_the_grand_total_is_blocked():
    # The second row's total (4) is small, so it is hidden with its whole row; without
    # more, the grand total less the first row's total would give it back.
    table = suppress_table([[10, 11], [4, 0], [7, 9]])
    assert table.row_totals[1].reason == SMALL
    assert [c.reason for c in table.cells[1]] == [SMALL, GROUP]
    hidden_totals = [c for c in table.row_totals if c.suppressed]
    assert len(hidden_totals) >= 2
    # And each column still has two hidden cells.
    for column in range(2):
        hidden = [row[column].suppressed for row in table.cells] + [
            table.column_totals[column].suppressed
        ]
        assert sum(hidden) != 1


def test_two_hidden_cells_adding_up_to_under_five_take_a_third():
    # 1 + 2 hidden in a row whose total is shown: the reader learns "3 people" there.
    table = suppress_table([[1, 2, 8, 20]], column_totals=False)
    reasons = [c.reason for c in table.cells[0]]
    assert reasons == [SMALL, SMALL, SECONDARY, SHOWN]


def test_hidden_ones_that_could_only_be_ones_take_another():
    cells = suppress_lines([1, 1, 1, 1, 1, 9, 14], [Line((0, 1, 2, 3, 4, 5), 6)])
    assert cells[5].reason == SECONDARY


def test_zero_is_never_hidden_for_someone_else():
    table = suppress_table([[0, 3, 0, 40], [0, 12, 0, 30]])
    assert not table.cells[0][0].suppressed and not table.cells[0][2].suppressed
    assert table.cells[0][1].reason == SMALL


def test_under_18s_cells_use_a_threshold_of_ten():
    limits = [[10, 10], [5, 5]]
    table = suppress_table([[7, 20], [7, 20]], limits)
    assert table.cells[0][0].reason == SMALL
    assert table.cells[1][0].reason != SMALL  # 7 adults is publishable …
    assert table.cells[1][0].suppressed  # … but then it would give the 7 young people away


def test_totals_that_are_not_published_are_not_lines():
    table = suppress_table([[3, 40], [30, 40]], row_totals=False, grand_total=False)
    assert table.row_totals is None and table.total is None
    assert table.cells[0][0].suppressed and table.cells[1][0].suppressed
    assert not table.cells[0][1].suppressed


def test_negative_counts_and_ragged_rows_are_refused():
    with pytest.raises(ValueError):
        suppress_table([[1, 2], [3]])
    with pytest.raises(ValueError):
        suppress_lines([-1, 5], [Line((0,), 1)])


# --- the property ----------------------------------------------------------------------


def _reader_bounds(cells, lines) -> dict[int, tuple[float, float]]:
    """The least and greatest value of each hidden figure consistent with what is shown.

    The reader knows every line adds up, a hidden figure is at least 1 (0 when hidden
    with its whole line), and nothing else. The table constraints are totally
    unimodular, so the linear programme's bounds are whole numbers.
    """
    hidden = [i for i, c in enumerate(cells) if c.suppressed]
    column = {i: k for k, i in enumerate(hidden)}
    rows, rhs = [], []
    for line in lines:
        coefficients = np.zeros(len(hidden))
        constant = 0.0
        for i, sign in [(p, 1.0) for p in line.parts] + [(line.whole, -1.0)]:
            if i in column:
                coefficients[column[i]] += sign
            else:
                constant += sign * cells[i].count
        if coefficients.any():
            rows.append(coefficients)
            rhs.append(-constant)
    bounds = [(0 if cells[i].reason == GROUP else 1, None) for i in hidden]
    nobody = {
        i
        for line in lines
        if not cells[line.whole].suppressed and cells[line.whole].count == 0
        for i in line.parts
    }
    result = {}
    for k, i in enumerate(hidden):
        if i in nobody:
            continue  # in a line of nobody at all: 0, hidden or not
        objective = np.zeros(len(hidden))
        objective[k] = 1
        low = linprog(objective, A_eq=rows or None, b_eq=rhs or None, bounds=bounds)
        high = linprog(-objective, A_eq=rows or None, b_eq=rhs or None, bounds=bounds)
        assert low.status == 0, "the published figures must be consistent"
        result[i] = (low.fun, np.inf if high.status == 3 else -high.fun)
    return result


def _random_table(rng):
    rows, columns = rng.randint(1, 5), rng.randint(2, 5)
    pick = [0, 0, 1, 2, 3, 4, 5, 6, 7, 9, 12, 20, 35]
    return [[rng.choice(pick) for _ in range(columns)] for _ in range(rows)]


@pytest.mark.slow  # 2,000 random tables
def test_no_hidden_cell_is_alone_in_a_line_with_a_published_total():
    rng = random.Random(20261125)
    for _ in range(2000):
        counts = _random_table(rng)
        youth_rows = {r for r in range(len(counts)) if rng.random() < 0.2}
        limits = [[10 if r in youth_rows else 5] * len(counts[0]) for r in range(len(counts))]
        margins = {
            "row_totals": rng.random() < 0.8,
            "column_totals": rng.random() < 0.8,
            "grand_total": rng.random() < 0.8,
        }
        table = suppress_table(counts, limits, **margins)
        _n, lines = table_lines(len(counts), len(counts[0]), **margins)
        cells = [c for row in table.cells for c in row]
        cells += (table.row_totals or []) + (table.column_totals or [])
        cells += [table.total] if table.total else []
        for row, row_limits in zip(table.cells, limits, strict=True):
            for cell, limit in zip(row, row_limits, strict=True):
                if 0 < cell.count < limit:
                    assert cell.suppressed, counts
        for line in lines:
            if not cells[line.whole].suppressed and cells[line.whole].count == 0:
                continue  # nobody in the line: every figure in it is 0, hidden or not
            hidden = [i for i in (*line.parts, line.whole) if cells[i].suppressed]
            assert len(hidden) != 1, (counts, margins, line)


@pytest.mark.slow  # 400 linear programmes
def test_a_reader_who_solves_every_total_cannot_pin_down_a_hidden_cell():
    rng = random.Random(8)
    checked = 0
    for _ in range(400):
        counts = _random_table(rng)
        table = suppress_table(counts)
        _n, lines = table_lines(len(counts), len(counts[0]))
        cells = _flat(table)
        if not table.any_suppressed:
            continue
        for i, (low, high) in _reader_bounds(cells, lines).items():
            checked += 1
            assert high - low >= 1, (counts, i, cells[i], low, high)
    assert checked > 300


def test_sums_that_pin_a_cell_down_together_are_broken_up():
    # Row and column rules hold one by one, yet the first row's hidden 7 could be
    # solved: its column allows at most 7 (8 less a hidden count of at least 1) and its
    # row at least 7 (16 less at most 9). One more count is hidden beside it.
    counts = [[0, 7, 9, 20, 0], [4, 0, 1, 6, 1], [12, 1, 20, 5, 12]]
    table = suppress_table(counts)
    _n, lines = table_lines(3, 5)
    bounds = _reader_bounds(_flat(table), lines)
    assert all(high - low >= 1 for low, high in bounds.values())
    assert table.cells[0][1].suppressed


def test_figures_related_by_any_lines():
    # A borough figure (whole) and three of its wards; one ward is small.
    cells = suppress_lines([3, 40, 22, 65], [Line((0, 1, 2), 3)])
    assert [c.reason for c in cells] == [SMALL, SHOWN, SECONDARY, SHOWN]
    youth = suppress_lines([8, 40, 22, 70], [Line((0, 1, 2), 3)], limits=[10, 5, 5, 10])
    assert youth[0].reason == SMALL and youth[2].reason == SECONDARY
