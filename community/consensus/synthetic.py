"""Synthetic conversations with planted opinion groups, for tests, demos and benchmarks.

Each planted group leans one way on each statement, chosen at random: its agree
probability (among non-pass votes) is drawn from `lean` when it leans to agree and
from 1 - `lean` when it leans to disagree. A vote is pass with `pass_rate`, else agree
or disagree with those probabilities. Each participant skips a
share of statements drawn uniformly from `missing`. Optional re-votes add earlier,
superseded events, and the events come out shuffled, so building the matrix has to
keep the latest vote rather than the last row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, eq=False)
class PlantedConversation:
    """Vote events (parallel arrays), the true latest-vote matrix and the planted groups."""

    participants: np.ndarray
    statements: np.ndarray
    votes: np.ndarray
    timestamps: np.ndarray
    values: np.ndarray
    labels: np.ndarray
    agree_probability: np.ndarray

    def events(self) -> list[tuple[int, int, int, int]]:
        """The events as (participant, statement, vote, timestamp) tuples."""
        return list(
            zip(
                self.participants.tolist(),
                self.statements.tolist(),
                self.votes.tolist(),
                self.timestamps.tolist(),
                strict=True,
            )
        )


def planted_conversation(
    n_groups: int = 3,
    per_group: int = 60,
    n_statements: int = 40,
    *,
    missing: tuple[float, float] = (0.3, 0.6),
    pass_rate: float = 0.1,
    lean: tuple[float, float] = (0.8, 0.95),
    revote_rate: float = 0.0,
    seed: int = 0,
) -> PlantedConversation:
    """A conversation of n_groups x per_group participants with planted opinion groups."""
    rng = np.random.default_rng(seed)
    n = n_groups * per_group
    labels = np.repeat(np.arange(n_groups), per_group)
    leaning = rng.uniform(lean[0], lean[1], size=(n_groups, n_statements))
    agrees = rng.random((n_groups, n_statements)) < 0.5
    agree_p = np.where(agrees, leaning, 1.0 - leaning) * (1.0 - pass_rate)
    draw = rng.random((n, n_statements), dtype=np.float32)
    p_agree = agree_p[labels].astype(np.float32)
    values = np.where(draw < p_agree, 1.0, np.where(draw < p_agree + pass_rate, 0.0, -1.0))
    skip = rng.uniform(missing[0], missing[1], size=n).astype(np.float32)
    values[rng.random((n, n_statements), dtype=np.float32) < skip[:, None]] = np.nan
    rows, cols = np.nonzero(~np.isnan(values))
    votes = values[rows, cols].astype(np.int8)
    stamps = rng.integers(1_000_000, 2_000_000, size=rows.shape[0])
    n_re = int(round(revote_rate * rows.shape[0]))
    if n_re:
        pick = rng.choice(rows.shape[0], size=n_re, replace=False)
        old_votes = rng.integers(-1, 2, size=n_re).astype(np.int8)
        old_stamps = stamps[pick] - rng.integers(1, 1_000_000, size=n_re)
        rows = np.concatenate([rows, rows[pick]])
        cols = np.concatenate([cols, cols[pick]])
        votes = np.concatenate([votes, old_votes])
        stamps = np.concatenate([stamps, old_stamps])
    order = rng.permutation(rows.shape[0])
    return PlantedConversation(
        participants=rows[order],
        statements=cols[order],
        votes=votes[order],
        timestamps=stamps[order],
        values=values,
        labels=labels,
        agree_probability=agree_p,
    )
