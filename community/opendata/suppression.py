"""Suppression for published tables whose rows and columns add up to published totals.

Pure functions, no Flask or database. Builds on ``community.disclosure`` (the
thresholds, ``Cell`` and its reasons, and the one-row rule the survey results pages
use) for figures that take part in more than one sum: a table with row totals, column
totals and a grand total, or any set of figures where some add up to another (a
"line": the cells of a row and the row's total, the row totals and the grand total …).

Primary suppression: every count from 1 to ``limit - 1`` (5, or 10 for counts of
under-18s), totals included, since a total is a count of people too. When a line's
total is itself small, the whole line is hidden (zeros too: with so few people even a
zero says what every one of them answered).

Secondary suppression: a reader knows that every published line adds up. So in each
line that hides anything,

- never exactly one figure is hidden (it would be the total less the others);
- when the line's total is shown, the hidden figures together come to at least
  ``limit`` (else the reader learns that a handful of people are among them) and to
  more than their least possible sum (a hidden count is at least 1, or 0 when it was
  hidden with its whole line), else every one of them is known to be that least value.

While a line breaks a rule, its smallest shown non-zero figure that mends it (else its
smallest) is hidden too, preferring a cell to a total and a cell whose other lines
already hide something; every line is checked again until all hold. Zero is never
hidden for secondary suppression (a hidden zero hides nothing: the reader knows a
hidden figure is at least 1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..disclosure import (
    GROUP,
    PUBLIC_THRESHOLD,
    SECONDARY,
    SHOWN,
    SMALL,
    YOUTH_THRESHOLD,
    Cell,
    is_small,
    threshold,
)

__all__ = [
    "GROUP",
    "PUBLIC_THRESHOLD",
    "SECONDARY",
    "SHOWN",
    "SMALL",
    "YOUTH_THRESHOLD",
    "Cell",
    "Line",
    "Table",
    "line_problems",
    "suppress_lines",
    "suppress_table",
    "table_lines",
    "threshold",
]


@dataclass(frozen=True)
class Line:
    """Figures (by index) that add up to another figure (its ``whole``)."""

    parts: tuple[int, ...]
    whole: int


def _least(reason: str) -> int:
    """The least value a reader knows a hidden figure can have."""
    return 0 if reason == GROUP else 1


def _breaks(line: Line, counts: Sequence[int], reasons: Sequence[str], limit: int) -> bool:
    """Whether a reader could work out a hidden figure of ``line`` (or learn it is tiny)."""
    members = (*line.parts, line.whole)
    hidden = [i for i in members if reasons[i] != SHOWN]
    if not hidden or (reasons[line.whole] == SHOWN and counts[line.whole] == 0):
        return False  # nothing hidden, or nobody at all in the line
    if len(hidden) == 1:
        return True
    if reasons[line.whole] != SHOWN:
        return False
    hidden_parts = [i for i in line.parts if reasons[i] != SHOWN]
    total = sum(counts[i] for i in hidden_parts)
    least = sum(_least(reasons[i]) for i in hidden_parts)
    return total < limit or total <= least


def _line_limit(line: Line, counts: Sequence[int], limits: Sequence[int]) -> int:
    present = [limits[i] for i in (*line.parts, line.whole) if counts[i] > 0]
    return max(present, default=PUBLIC_THRESHOLD)


def suppress_lines(
    counts: Sequence[int], lines: Sequence[Line], limits: int | Sequence[int] = PUBLIC_THRESHOLD
) -> list[Cell]:
    """Cells for figures related by ``lines``, as the public may see them.

    ``limits`` is one threshold for every figure, or one per figure (10 where it
    counts under-18s).
    """
    n = len(counts)
    if any(c < 0 for c in counts):
        raise ValueError("counts cannot be negative")
    per = [limits] * n if isinstance(limits, int) else list(limits)
    if len(per) != n:
        raise ValueError("one limit per count")
    reasons = [SMALL if is_small(c, per[i]) else SHOWN for i, c in enumerate(counts)]
    # A line whose total is small is hidden whole, and so are the lines that add up
    # to a figure hidden that way (a small grand total hides the whole table).
    grouped = True
    while grouped:
        grouped = False
        for line in lines:
            if reasons[line.whole] in (SMALL, GROUP):
                for i in line.parts:
                    if reasons[i] == SHOWN:
                        reasons[i] = GROUP
                        grouped = True
    line_limits = [_line_limit(line, counts, per) for line in lines]
    lines_of: dict[int, list[int]] = {i: [] for i in range(n)}
    for number, line in enumerate(lines):
        for i in (*line.parts, line.whole):
            lines_of[i].append(number)

    def crowded(i: int) -> int:
        """How many other lines of figure ``i`` already hide something."""
        return sum(
            1
            for number in lines_of[i]
            if any(reasons[j] != SHOWN for j in (*lines[number].parts, lines[number].whole))
        )

    def mend_lines() -> None:
        changed = True
        while changed:
            changed = False
            for number, line in enumerate(lines):
                limit = line_limits[number]
                while _breaks(line, counts, reasons, limit):
                    pool = _pool(line.parts + (line.whole,), line.whole)
                    mending = []
                    for i in pool:
                        reasons[i] = SECONDARY
                        if not _breaks(line, counts, reasons, limit):
                            mending.append(i)
                        reasons[i] = SHOWN
                    reasons[mending[0] if mending else pool[0]] = SECONDARY
                    changed = True

    def _pool(members: tuple[int, ...], whole: int | None) -> list[int]:
        pool = [i for i in members if reasons[i] == SHOWN and counts[i] > 0]
        if not pool:  # pragma: no cover - a broken line always has a shown figure
            raise AssertionError("nothing left to hide")
        return sorted(pool, key=lambda i: (i == whole, counts[i], -crowded(i), i))

    def _beside(i: int) -> int:
        """The figure to hide next to protect ``i``: the smallest shown one in its lines,
        else in the lines of the hidden figures beside it, and so on outwards."""
        reached, frontier = {i}, {i}
        while frontier:
            numbers = {number for j in frontier for number in lines_of[j]}
            wholes = {lines[number].whole for number in numbers}
            members = {j for number in numbers for j in (*lines[number].parts, lines[number].whole)}
            pool = [j for j in members if reasons[j] == SHOWN and counts[j] > 0]
            if pool:
                return min(pool, key=lambda j: (j in wholes, counts[j], -crowded(j), j))
            frontier = members - reached
            reached |= members
        raise AssertionError("nothing left to hide")  # pragma: no cover

    mend_lines()
    # The lines can hold one by one and still pin a figure down together (a hidden 7
    # whose column allows at most 7 and whose row at least 7): a reader solving every
    # published sum at once is stopped by hiding one more figure beside it.
    while pinned := _pinned(counts, reasons, lines):
        reasons[_beside(pinned[0])] = SECONDARY
        mend_lines()
    return [Cell(c, r) for c, r in zip(counts, reasons, strict=True)]


def _pinned(counts: Sequence[int], reasons: Sequence[str], lines: Sequence[Line]) -> list[int]:
    """Hidden figures that a reader solving every published sum at once can work out.

    The reader knows each line adds up and each hidden figure's least value (1, or 0
    when hidden with its whole line); the greatest and least value of each hidden
    figure then come from a linear programme (tables of sums are totally unimodular,
    so its bounds are whole numbers). A figure whose bounds meet is pinned, unless it
    is in a line whose published total is 0.
    """
    hidden = [i for i, r in enumerate(reasons) if r != SHOWN]
    if not hidden:
        return []
    # Here, not at the top: NumPy and SciPy only where something is hidden (issue 15).
    import numpy as np

    column = {i: k for k, i in enumerate(hidden)}
    equations, constants = [], []
    for line in lines:
        row = np.zeros(len(hidden))
        constant = 0.0
        for i, sign in [(p, 1.0) for p in line.parts] + [(line.whole, -1.0)]:
            if i in column:
                row[column[i]] += sign
            else:
                constant += sign * counts[i]
        if row.any():
            equations.append(row)
            constants.append(-constant)
    if not equations:
        return []
    bounds = [(_least(reasons[i]), None) for i in hidden]
    # A figure in a line of nobody at all is 0 whether hidden or not: nothing to protect.
    empty = {
        i
        for line in lines
        if reasons[line.whole] == SHOWN and counts[line.whole] == 0
        for i in line.parts
    }
    # Quick pass: the true figures are a solution; a direction that keeps every sum and
    # moves figure k without taking a figure at its least value lower shows k is free.
    # Only the figures this cannot free are settled by the linear programme.
    matrix = np.array(equations)
    at_least = np.array([counts[i] == _least(reasons[i]) for i in hidden])
    from scipy.linalg import null_space
    from scipy.optimize import linprog

    directions = null_space(matrix).T
    free = set()
    for d in np.round(directions, 9):
        for signed in (d, -d):
            if not np.any(signed[at_least] < 0):
                free.update(np.flatnonzero(signed).tolist())
    # Every solution the programme finds is another feasible point: a figure it puts
    # half a person or more away from the true one cannot be pinned either.
    true = np.array([counts[i] for i in hidden], dtype=float)

    def solve(objective):
        result = linprog(objective, A_eq=equations, b_eq=constants, bounds=bounds, method="highs")
        if result.status == 0:
            free.update(np.flatnonzero(np.abs(result.x - true) >= 0.5).tolist())
        return result

    pinned = []
    for k, i in enumerate(hidden):
        if i in empty or k in free:
            continue
        objective = np.zeros(len(hidden))
        objective[k] = 1.0
        high = solve(-objective)
        if high.status != 0 or k in free:
            continue
        low = solve(objective)
        if low.status == 0 and -high.fun - low.fun < 0.5:
            pinned.append(i)
    return pinned


def line_problems(
    cells: Sequence[Cell], lines: Sequence[Line], limits: int | Sequence[int] = PUBLIC_THRESHOLD
) -> list[Line]:
    """Lines that break a rule (for checks and tests): none after ``suppress_lines``."""
    counts = [c.count for c in cells]
    reasons = [c.reason for c in cells]
    per = [limits] * len(cells) if isinstance(limits, int) else list(limits)
    return [
        line
        for line in lines
        if _breaks(line, counts, reasons, _line_limit(line, counts, per))
        or any(is_small(counts[i], per[i]) and reasons[i] == SHOWN for i in line.parts)
    ]


# --- tables -------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """A table as the public may see it; margins are None when not published."""

    cells: list[list[Cell]]
    row_totals: list[Cell] | None
    column_totals: list[Cell] | None
    total: Cell | None

    @property
    def any_suppressed(self) -> bool:
        every = [c for row in self.cells for c in row]
        every += (self.row_totals or []) + (self.column_totals or [])
        every += [self.total] if self.total else []
        return any(c.suppressed for c in every)


def table_lines(
    rows: int,
    columns: int,
    *,
    row_totals: bool = True,
    column_totals: bool = True,
    grand_total: bool = True,
) -> tuple[int, list[Line]]:
    """The lines of a rows × columns table laid out as one list of figures.

    Figures are the cells row by row, then the row totals, then the column totals,
    then the grand total (those published). Returns the number of figures and lines.
    """
    cell = lambda r, c: r * columns + c  # noqa: E731
    n = rows * columns
    row_total = col_total = grand = None
    if row_totals:
        row_total, n = n, n + rows
    if column_totals:
        col_total, n = n, n + columns
    if grand_total:
        grand, n = n, n + 1
    lines = []
    if row_total is not None:
        lines += [
            Line(tuple(cell(r, c) for c in range(columns)), row_total + r) for r in range(rows)
        ]
    if col_total is not None:
        lines += [
            Line(tuple(cell(r, c) for r in range(rows)), col_total + c) for c in range(columns)
        ]
    if grand is not None:
        if row_total is not None:
            lines.append(Line(tuple(row_total + r for r in range(rows)), grand))
        if col_total is not None:
            lines.append(Line(tuple(col_total + c for c in range(columns)), grand))
        if row_total is None and col_total is None:
            lines.append(Line(tuple(range(rows * columns)), grand))
    return n, lines


def suppress_table(
    counts: Sequence[Sequence[int]],
    limit: int | Sequence[Sequence[int]] = PUBLIC_THRESHOLD,
    *,
    row_totals: bool = True,
    column_totals: bool = True,
    grand_total: bool = True,
) -> Table:
    """A table of counts with the totals to be published, as the public may see it.

    ``limit`` is one threshold, or one per cell (10 for cells counting under-18s); a
    total's threshold is the largest of its non-zero cells'.
    """
    rows = len(counts)
    columns = len(counts[0]) if rows else 0
    if any(len(row) != columns for row in counts):
        raise ValueError("every row needs the same number of columns")
    cell_limits = [[limit] * columns for _ in range(rows)] if isinstance(limit, int) else limit
    n, lines = table_lines(
        rows,
        columns,
        row_totals=row_totals,
        column_totals=column_totals,
        grand_total=grand_total,
    )
    flat = [c for row in counts for c in row]
    flat_limits = [lim for row in cell_limits for lim in row]

    def margin(values: list[tuple[int, int]]) -> tuple[int, int]:
        total = sum(v for v, _ in values)
        return total, max((lim for v, lim in values if v > 0), default=PUBLIC_THRESHOLD)

    margins: list[tuple[int, int]] = []
    if row_totals:
        margins += [
            margin([(counts[r][c], cell_limits[r][c]) for c in range(columns)]) for r in range(rows)
        ]
    if column_totals:
        margins += [
            margin([(counts[r][c], cell_limits[r][c]) for r in range(rows)]) for c in range(columns)
        ]
    if grand_total:
        margins.append(margin(list(zip(flat, flat_limits, strict=True))))
    figures = flat + [m for m, _ in margins]
    cells = suppress_lines(figures, lines, flat_limits + [lim for _, lim in margins])
    assert len(cells) == n
    grid = [cells[r * columns : (r + 1) * columns] for r in range(rows)]
    at = rows * columns
    row_cells = col_cells = None
    if row_totals:
        row_cells, at = cells[at : at + rows], at + rows
    if column_totals:
        col_cells, at = cells[at : at + columns], at + columns
    return Table(grid, row_cells, col_cells, cells[at] if grand_total else None)
