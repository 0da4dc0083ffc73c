"""Per-statement vote counts and shares, and Wilson score intervals for a share.

Shares are of all votes cast on the statement, passes included, so a statement
with 6 agrees, 2 disagrees and 2 passes has an agree share of 0.6.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .formula import wilson
from .matrix import VoteMatrix, vote_values


@dataclass(frozen=True, eq=False)
class StatementCounts:
    """Agree, disagree and pass counts per statement (arrays aligned with the columns)."""

    agree: np.ndarray
    disagree: np.ndarray
    passes: np.ndarray
    statement_ids: tuple | None = None

    @property
    def votes(self) -> np.ndarray:
        """All votes per statement, passes included."""
        return self.agree + self.disagree + self.passes

    @property
    def agree_share(self) -> np.ndarray:
        """Agrees as a share of all votes (NaN where nobody voted)."""
        return _share(self.agree, self.votes)

    @property
    def disagree_share(self) -> np.ndarray:
        """Disagrees as a share of all votes (NaN where nobody voted)."""
        return _share(self.disagree, self.votes)

    @property
    def pass_share(self) -> np.ndarray:
        """Passes as a share of all votes (NaN where nobody voted)."""
        return _share(self.passes, self.votes)

    def as_dict(self) -> dict:
        """Counts keyed by statement id: {id: {"agree", "disagree", "pass", "votes"}}."""
        ids = self.statement_ids or tuple(range(len(self.agree)))
        votes = self.votes
        return {
            sid: {
                "agree": int(self.agree[j]),
                "disagree": int(self.disagree[j]),
                "pass": int(self.passes[j]),
                "votes": int(votes[j]),
            }
            for j, sid in enumerate(ids)
        }


def _share(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    """part / whole as floats, NaN where whole is 0."""
    out = np.full(part.shape, np.nan)
    np.divide(part, whole, out=out, where=whole > 0)
    return out


def statement_counts(
    matrix: VoteMatrix | np.ndarray, rows: np.ndarray | None = None
) -> StatementCounts:
    """Agree/disagree/pass counts per statement, optionally over a subset of rows."""
    values = vote_values(matrix)
    if rows is not None:
        values = values[rows]
    ids = matrix.statement_ids if isinstance(matrix, VoteMatrix) else None
    return StatementCounts(
        agree=(values == 1).sum(axis=0),
        disagree=(values == -1).sum(axis=0),
        passes=(values == 0).sum(axis=0),
        statement_ids=ids,
    )


def participant_counts(matrix: VoteMatrix | np.ndarray) -> dict[str, np.ndarray]:
    """Votes, agrees, disagrees and passes per participant (arrays aligned with the rows)."""
    values = vote_values(matrix)
    return {
        "votes": (~np.isnan(values)).sum(axis=1),
        "agree": (values == 1).sum(axis=1),
        "disagree": (values == -1).sum(axis=1),
        "pass": (values == 0).sum(axis=1),
    }


def wilson_interval(successes, n, z: float = 1.96):
    """Wilson score interval (low, high) for successes/n; (0, 1) where n is 0; arrays allowed
    (``formula.wilson`` element by element)."""
    k = np.asarray(successes)
    total = np.asarray(n)
    if k.ndim == 0 and total.ndim == 0:
        return wilson(int(k), int(total), z)
    k, total = np.broadcast_arrays(k, total)
    pairs = [wilson(int(a), int(b), z) for a, b in zip(k.ravel(), total.ravel(), strict=True)]
    low = np.array([p[0] for p in pairs], dtype=float).reshape(k.shape)
    high = np.array([p[1] for p in pairs], dtype=float).reshape(k.shape)
    return low, high
