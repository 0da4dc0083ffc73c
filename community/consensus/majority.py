"""Majority statements: what most voters agree (or disagree) with, groups aside.

`majority_statements` keeps statements whose agree (or disagree) share of all votes,
passes included, reaches a threshold. `polis_consensus_statements` is Pol.is's own
overall pick: p = (k + 1) / (n + 2) above 1/2 with a significant prop_test, ranked
by p * prop_test, five per side.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np

from .counts import statement_counts, wilson_interval
from .matrix import VoteMatrix
from .repness import prop_test, z_sig_90

DEFAULT_THRESHOLD = 0.6


@dataclass(frozen=True)
class MajorityStatement:
    """A statement most voters took one side on, with its share and Wilson 95% interval."""

    statement_id: Hashable
    side: str
    n_success: int
    n_votes: int
    share: float
    low: float
    high: float


def majority_statements(
    matrix: VoteMatrix | np.ndarray,
    threshold: float = DEFAULT_THRESHOLD,
    *,
    min_votes: int = 1,
    exclude: Sequence[Hashable] = (),
) -> list[MajorityStatement]:
    """Statements whose agree or disagree share of all votes is >= threshold, biggest first."""
    if not 0.0 < threshold <= 1.0:
        raise ValueError("threshold must be a share in (0, 1]")
    counts = statement_counts(matrix)
    ids = counts.statement_ids or tuple(range(len(counts.agree)))
    excluded = set(exclude)
    votes = counts.votes
    found: list[MajorityStatement] = []
    for side, successes in (("agree", counts.agree), ("disagree", counts.disagree)):
        for j, sid in enumerate(ids):
            n = int(votes[j])
            if sid in excluded or n < max(min_votes, 1):
                continue
            k = int(successes[j])
            if k / n >= threshold:
                low, high = wilson_interval(k, n)
                found.append(MajorityStatement(sid, side, k, n, k / n, low, high))
    found.sort(key=lambda m: (-m.share, -m.n_votes, m.side))
    return found


@dataclass(frozen=True)
class ConsensusStatement:
    """A statement Pol.is would show as overall consensus for one side."""

    statement_id: Hashable
    side: str
    n_success: int
    n_trials: int
    p_success: float
    p_test: float


def polis_consensus_statements(
    matrix: VoteMatrix | np.ndarray, max_n: int = 5, exclude: Sequence[Hashable] = ()
) -> dict[str, list[ConsensusStatement]]:
    """Pol.is's overall consensus pick: p > 1/2 and prop_test significant, by p * test."""
    counts = statement_counts(matrix)
    ids = counts.statement_ids or tuple(range(len(counts.agree)))
    excluded = set(exclude)
    votes = counts.votes
    out: dict[str, list[ConsensusStatement]] = {}
    for side, successes in (("agree", counts.agree), ("disagree", counts.disagree)):
        p = (successes + 1.0) / (votes + 2.0)
        test = np.asarray(prop_test(successes, votes))
        picked = [
            ConsensusStatement(
                sid, side, int(successes[j]), int(votes[j]), float(p[j]), float(test[j])
            )
            for j, sid in enumerate(ids)
            if sid not in excluded and p[j] > 0.5 and z_sig_90(test[j])
        ]
        picked.sort(key=lambda c: -(c.p_success * c.p_test))
        out[side] = picked[:max_n]
    return out
