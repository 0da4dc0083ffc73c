"""The one disclosure rule: every figure the public, residents or partners can see.

Every public count goes through ``count`` (or ``shown_total``), every share of a total
through ``share``, every row or table of counts through ``breakdown`` (``suppress_row``;
``opendata.suppression.suppress_table`` builds tables with margins on it), conversation
vote rows through ``statement_votes``, and evidence figures through ``public_figures``.
The thresholds live here and nowhere else.

Small-number suppression (disclosure control) for figures shown to the public.

Pure functions over counts, with no Flask or database, so the rules can be tested
on their own. Anyone without the "analyse" capability sees results through these:
a count from 1 to 4 (1 to 9 where the group is under-18s) is shown as "fewer than
5" (or 10), and when that alone would let a reader work the cell out from the
total and the other cells, the next smallest cell is hidden too. Totals stay.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

#: Counts below this are not shown to the public.
PUBLIC_THRESHOLD = 5
#: The same for groups of under-18s.
YOUTH_THRESHOLD = 10

__all__ = [
    "BASES",
    "GROUP",
    "PART",
    "PUBLIC_THRESHOLD",
    "SECONDARY",
    "SHOWN",
    "SMALL",
    "YOUTH_THRESHOLD",
    "Cell",
    "breakdown",
    "combine",
    "count",
    "enough_to_summarise",
    "is_small",
    "public_figures",
    "share",
    "shown_total",
    "statement_votes",
    "suppress_row",
    "threshold",
]

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
        elif shown.get("agree_share") is not None and "agree_share" in derived:
            # Secondary: a share of a shown total also gives its complement away
            # (6 answered, 83 % agreed: 1 did not), so it goes when either is small.
            part = round(numbers["agree_share"] * count)
            if share(part, count, limit=limit) is None:
                shown["agree_share"] = None
    return shown


def count(value: int, *, youth: bool = False, limit: int | None = None) -> Cell:
    """One count of people as anyone without "analyse" may see it ("fewer than 5" when small)."""
    return shown_total(value, limit if limit is not None else threshold(youth=youth))


def share(part: int, total: int, *, youth: bool = False, limit: int | None = None) -> float | None:
    """``part / total`` when it may be published, else None.

    A share gives its count away whenever the total is shown, so it is withheld when
    the part is small, when the rest (``total - part``: the complement) is small, and
    when the total itself is small or zero.
    """
    limit = limit if limit is not None else threshold(youth=youth)
    if total <= 0 or is_small(total, limit) or is_small(part, limit):
        return None
    if is_small(total - part, limit):
        return None
    return part / total


def breakdown(
    counts: Sequence[int],
    *,
    youth: bool = False,
    limit: int | None = None,
    total: int | None = None,
) -> list[Cell]:
    """A row of counts (options, groups, wards) with primary and secondary suppression."""
    return suppress_row(counts, limit if limit is not None else threshold(youth=youth), total=total)


def groups_to_show(
    sizes: Mapping[str, int], *, youth: Callable[[str], bool] = lambda _name: False
) -> set[str]:
    """Groups (wards, age bands, kinds of respondent) large enough to publish on their
    own: at least the threshold, 10 for a group of young people (``youth(name)``)."""
    return {name for name, n in sizes.items() if n >= threshold(youth=youth(name))}


def withheld_groups(
    sizes: Mapping[str, int], left_out: int, limit: int = PUBLIC_THRESHOLD
) -> set[str]:
    """Shown groups to withhold as well, so the people left out stay hidden.

    The overall figure less the shown groups gives away the ``left_out`` people's
    answers; while fewer than ``limit`` (and more than none) are left out, the
    smallest shown groups are withheld too: secondary suppression, as in a row's."""
    hidden = left_out
    withheld: set[str] = set()
    for name, n in sorted(sizes.items(), key=lambda pair: (pair[1], pair[0])):
        if hidden == 0 or hidden >= limit:
            break
        withheld.add(name)
        hidden += n
    return withheld


def statement_votes(figures: dict, limit: int = PUBLIC_THRESHOLD) -> dict:
    """A conversation statement's votes as published: agree, disagree, pass and shares.

    Counts are ``None`` when withheld; the agree share and the group consensus go with
    any withheld vote (a share of a known total gives its count away).
    """
    votes = figures.get("votes", 0)
    cells = suppress_row(
        [figures.get("agree", 0), figures.get("disagree", 0), figures.get("pass", 0)],
        limit,
        total=votes,
    )
    hidden = any(c.suppressed for c in cells) or is_small(votes, limit)

    def shown(cell: Cell) -> int | None:
        return None if cell.suppressed else cell.count

    consensus = figures.get("consensus_agree")
    return {
        "votes": shown(shown_total(votes, limit)),
        "agree": shown(cells[0]),
        "disagree": shown(cells[1]),
        "pass": shown(cells[2]),
        "hidden": hidden,
        "agree_share": None if hidden or not votes else figures.get("agree", 0) / votes,
        "agree_low": None if hidden or not votes else figures.get("agree_low"),
        "agree_high": None if hidden or not votes else figures.get("agree_high"),
        "consensus_agree": None if consensus is None or votes < limit else consensus,
    }
