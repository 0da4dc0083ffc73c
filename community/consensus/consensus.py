"""Group-informed consensus, as Pol.is computes it.

For each statement, the agree consensus is the product over opinion groups g of
(A_g + 1) / (S_g + 2), where A_g is the number of agree votes in group g and S_g
the number of all its votes, passes included; the disagree consensus uses D_g, the
disagree votes, in place of A_g. Participants outside every group do not count. A
group with no votes on a statement contributes 1/2, as in Pol.is.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .matrix import VoteMatrix, vote_values


def _is_unclustered(label: object) -> bool:
    """True for the labels that mean "in no group": None, NaN, "" and -1."""
    if label is None:
        return True
    if isinstance(label, str):
        return label.strip() == ""
    if isinstance(label, float | np.floating) and math.isnan(label):
        return True
    return isinstance(label, int | np.integer) and not isinstance(label, bool) and label == -1


def encode_groups(
    labels: Sequence[Hashable] | Mapping[Hashable, Hashable] | np.ndarray,
    participant_ids: Sequence[Hashable] | None = None,
    n_participants: int | None = None,
) -> tuple[tuple, np.ndarray]:
    """Group keys (sorted where comparable) and a code per row, -1 for unclustered rows."""
    if isinstance(labels, Mapping):
        if participant_ids is None:
            raise ValueError("labels given by participant id need a VoteMatrix with ids")
        row_labels = [labels.get(pid) for pid in participant_ids]
    else:
        row_labels = list(np.asarray(labels).tolist() if isinstance(labels, np.ndarray) else labels)
    if n_participants is not None and len(row_labels) != n_participants:
        raise ValueError(
            f"{len(row_labels)} group labels for a matrix of {n_participants} participants"
        )
    present = list(dict.fromkeys(lab for lab in row_labels if not _is_unclustered(lab)))
    try:
        keys = tuple(sorted(present))  # type: ignore[type-var]  # mixed labels: see except
    except TypeError:
        keys = tuple(present)
    index = {key: i for i, key in enumerate(keys)}
    codes = np.array(
        [-1 if _is_unclustered(lab) else index[lab] for lab in row_labels], dtype=np.int64
    )
    return keys, codes


@dataclass(frozen=True, eq=False)
class GroupVotes:
    """Per-group vote counts: arrays of shape (groups, statements)."""

    groups: tuple
    agree: np.ndarray
    disagree: np.ndarray
    votes: np.ndarray
    statement_ids: tuple | None = None

    @property
    def passes(self) -> np.ndarray:
        """Pass votes per group and statement."""
        return self.votes - self.agree - self.disagree


def group_votes(
    matrix: VoteMatrix | np.ndarray,
    labels: Sequence[Hashable] | Mapping[Hashable, Hashable] | np.ndarray,
) -> GroupVotes:
    """Agree, disagree and all-vote counts per group and statement."""
    values = vote_values(matrix)
    pids = matrix.participant_ids if isinstance(matrix, VoteMatrix) else None
    keys, codes = encode_groups(labels, pids, values.shape[0])
    shape = (len(keys), values.shape[1])
    agree = np.zeros(shape, dtype=np.int64)
    disagree = np.zeros(shape, dtype=np.int64)
    votes = np.zeros(shape, dtype=np.int64)
    for g in range(len(keys)):
        rows = values[codes == g]
        agree[g] = np.count_nonzero(rows == 1, axis=0)
        disagree[g] = np.count_nonzero(rows == -1, axis=0)
        votes[g] = rows.shape[0] - np.count_nonzero(np.isnan(rows), axis=0)
    ids = matrix.statement_ids if isinstance(matrix, VoteMatrix) else None
    return GroupVotes(keys, agree, disagree, votes, ids)


@dataclass(frozen=True, eq=False)
class GroupConsensus:
    """Group-informed agree and disagree consensus per statement."""

    agree: np.ndarray
    disagree: np.ndarray
    groups: tuple
    statement_ids: tuple | None = None

    def as_dict(self) -> dict:
        """{statement_id: {"agree": value, "disagree": value}}."""
        ids = self.statement_ids or tuple(range(len(self.agree)))
        return {
            sid: {"agree": float(self.agree[j]), "disagree": float(self.disagree[j])}
            for j, sid in enumerate(ids)
        }


def consensus_from_group_votes(counts: GroupVotes) -> GroupConsensus:
    """Products over groups of (A_g + 1)/(S_g + 2) and (D_g + 1)/(S_g + 2); NaN if no group."""
    n_statements = counts.votes.shape[1]
    if not counts.groups:
        nan = np.full(n_statements, np.nan)
        return GroupConsensus(nan, nan.copy(), counts.groups, counts.statement_ids)
    agree = np.ones(n_statements)
    disagree = np.ones(n_statements)
    for g in range(len(counts.groups)):  # group by group, in key order, like Pol.is
        denom = counts.votes[g] + 2.0
        agree = agree * ((counts.agree[g] + 1.0) / denom)
        disagree = disagree * ((counts.disagree[g] + 1.0) / denom)
    return GroupConsensus(agree, disagree, counts.groups, counts.statement_ids)


def group_informed_consensus(
    matrix: VoteMatrix | np.ndarray,
    labels: Sequence[Hashable] | Mapping[Hashable, Hashable] | np.ndarray,
) -> GroupConsensus:
    """Pol.is group-informed consensus per statement, for any group labels (-1/None = none)."""
    return consensus_from_group_votes(group_votes(matrix, labels))
