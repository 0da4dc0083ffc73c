"""Per-statement vote counts and shares, and Wilson score intervals for a share.

Shares are of all votes cast on the statement, passes included, so a statement
with 6 agrees, 2 disagrees and 2 passes has an agree share of 0.6.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

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
    """Wilson score interval (low, high) for successes/n; (0, 1) where n is 0; arrays allowed."""
    k = np.asarray(successes, dtype=float)
    total = np.asarray(n, dtype=float)
    if np.any(k < 0) or np.any(k > total):
        raise ValueError("successes must lie between 0 and n")
    safe = np.where(total > 0, total, 1.0)
    p = k / safe
    z2 = z * z
    denom = 1.0 + z2 / safe
    centre = (p + z2 / (2.0 * safe)) / denom
    half = z * np.sqrt(p * (1.0 - p) / safe + z2 / (4.0 * safe * safe)) / denom
    low = np.where(total > 0, np.clip(centre - half, 0.0, 1.0), 0.0)
    high = np.where(total > 0, np.clip(centre + half, 0.0, 1.0), 1.0)
    if low.ndim == 0:
        return float(low), float(high)
    return low, high
