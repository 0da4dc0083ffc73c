"""Small-number suppression (disclosure control) for figures shown to the public.

Pure functions over counts, with no Flask or database, so the rules can be tested
on their own. Anyone without the "analyse" capability sees results through these:
a count from 1 to 4 (1 to 9 where the group is under-18s) is shown as "fewer than
5" (or 10), and when that alone would let a reader work the cell out from the
total and the other cells, the next smallest cell is hidden too. Totals stay.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

#: Counts below this are not shown to the public.
PUBLIC_THRESHOLD = 5
#: The same for groups of under-18s.
YOUTH_THRESHOLD = 10

SHOWN = ""
SMALL = "small"  # primary suppression: a count from 1 to threshold - 1
SECONDARY = "secondary"  # hidden so that a small count cannot be worked out
GROUP = "group"  # the whole row is hidden: too few people answered at all
PART = "part"  # a sum of cells, hidden because one of its parts is


def threshold(*, youth: bool = False) -> int:
    """The smallest count that may be published for a group."""
    return YOUTH_THRESHOLD if youth else PUBLIC_THRESHOLD


def is_small(count: int, limit: int = PUBLIC_THRESHOLD) -> bool:
    """True for a count that must not be published (zero is not small: nobody is in it)."""
    return 0 < count < limit


@dataclass(frozen=True)
class Cell:
    """One count and whether (and why) the public may not see it."""

    count: int
    reason: str = SHOWN

    @property
    def suppressed(self) -> bool:
        return self.reason != SHOWN


def _determined(small: list[int], secondary: list[int], limit: int) -> bool:
    """Whether a reader could work out a hidden small count exactly.

    The reader knows the sum of the hidden cells (the total less the shown ones),
    that each small one is from 1 to ``limit - 1`` and that each other hidden one is
    at least ``limit``. Without other hidden cells, one small cell is then known, and
    several are known when they must all be 1 or all ``limit - 1``. With them, a
    small count can always trade one with a neighbour, except when every small
    count is 1 and every other hidden count is exactly ``limit``.
    """
    if not small:
        return False
    if not secondary:
        return len(small) == 1 or sum(small) in (len(small), len(small) * (limit - 1))
    return all(c == 1 for c in small) and all(c == limit for c in secondary)


def suppress_row(
    counts: Sequence[int], limit: int = PUBLIC_THRESHOLD, *, total: int | None = None
) -> list[Cell]:
    """Cells for one row of counts (the options of one question) as the public sees them.

    Primary: every count from 1 to ``limit - 1``. Secondary: while a hidden count
    could be worked out from the row's total (see ``_determined``: for example
    exactly one hidden), also hide the next smallest non-zero count. When the row's
    ``total`` is itself small, or nothing is left to hide, every cell is hidden:
    with so few answers even a zero says what everyone answered.
    """
    if total is not None and is_small(total, limit):
        return [Cell(count, GROUP) for count in counts]
    reasons = [SMALL if is_small(c, limit) else SHOWN for c in counts]
    small = [c for c in counts if is_small(c, limit)]
    # A hidden zero would not help: the reader knows a cell not marked "fewer than
    # 5" is either 0 or at least 5, so only larger counts can hide the small ones.
    pool = sorted(
        (i for i, reason in enumerate(reasons) if reason == SHOWN and counts[i] > 0),
        key=lambda i: (counts[i], i),
    )
    secondary: list[int] = []
    while _determined(small, secondary, limit):
        if not pool:
            # Nothing (left) to hide them behind: the row cannot be published.
            return [Cell(count, GROUP) for count in counts]
        # The smallest count that settles it, else the smallest, and look again.
        settling = [i for i in pool if not _determined(small, [*secondary, counts[i]], limit)]
        chosen = settling[0] if settling else pool[0]
        pool.remove(chosen)
        reasons[chosen] = SECONDARY
        secondary.append(counts[chosen])
    return [Cell(count, reason) for count, reason in zip(counts, reasons, strict=True)]


def combine(cells: Sequence[Cell], parts: Sequence[Sequence[int]]) -> list[Cell]:
    """Cells for sums of cells (e.g. agree = strongly agree + agree), as the public sees them.

    A sum is hidden whenever any of its parts is, so it never tells more than the
    row it is made from.
    """
    combined = []
    for indexes in parts:
        count = sum(cells[i].count for i in indexes)
        hidden = any(cells[i].suppressed for i in indexes)
        combined.append(Cell(count, PART if hidden else SHOWN))
    return combined


def enough_to_summarise(answered: int, limit: int = PUBLIC_THRESHOLD) -> bool:
    """Whether a statistic (mean, median, minimum, maximum, mean rank) may be published.

    With fewer answers than the threshold a mean or an extreme value is too close
    to one person's answer.
    """
    return answered >= limit


def shown_total(total: int, limit: int = PUBLIC_THRESHOLD) -> Cell:
    """A total (people answering) as the public sees it: itself a count of people."""
    return Cell(total, SMALL if is_small(total, limit) else SHOWN)


#: Counts in evidence figures, and the figures derived from each (hidden with it).
BASES = {
    "answered": ("agree_share", "consensus", "groups"),
    "votes": ("agree_share", "consensus", "groups"),
    "contributions": (),
    "of": ("contributions",),
    "supporters": (),
}


def public_figures(numbers: dict, *, youth: bool = False) -> dict:
    """Evidence figures as the public may see them: the one rule for every public figure.

    A count from 1 to the threshold becomes ``SMALL`` (shown "fewer than 5", or 10 for
    under-18s), and everything computed from it goes too: a percentage, a consensus,
    "n of N". A zero base hides what is derived from it (there is no "0 % of nobody"),
    and a count over a small total (``of``) is hidden with it, so nothing published
    lets a reader work back to a suppressed count.
    """
    limit = threshold(youth=youth)
    shown = dict(numbers)
    for base, derived in BASES.items():
        if base not in numbers or numbers[base] is None:
            continue
        count = numbers[base]
        if is_small(count, limit):
            shown[base] = SMALL
            for name in derived:
                if name in shown:
                    shown[name] = SMALL if name in BASES else None
        elif count == 0:
            for name in derived:
                if name in shown and name not in BASES:
                    shown[name] = None
    return shown
