"""The vote matrix: participants x statements, NaN where a participant has not voted.

Votes are Pol.is-coded: agree = 1, disagree = -1, pass = 0. A participant may change
their mind, so the matrix keeps only the latest vote per (participant, statement):
the largest timestamp wins, and on equal timestamps the later event in input order.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

import numpy as np

AGREE = 1
DISAGREE = -1
PASS = 0
VALID_VOTES = frozenset({AGREE, DISAGREE, PASS})


class VoteEvent(NamedTuple):
    """One vote as cast: who, on what, which way, and when (a number; None counts as 0)."""

    participant_id: Hashable
    statement_id: Hashable
    vote: int
    timestamp: float | int | None = None


def _ordered_ids(ids: Iterable[Hashable]) -> list:
    """Unique ids, sorted where they are mutually comparable, else in first-seen order."""
    unique = list(dict.fromkeys(ids))
    try:
        return sorted(unique)
    except TypeError:
        return unique


@dataclass(frozen=True, eq=False)
class VoteMatrix:
    """Latest votes as a float array (participants x statements, NaN = not voted) with ids."""

    values: np.ndarray
    participant_ids: tuple
    statement_ids: tuple

    def __post_init__(self) -> None:
        values = np.asarray(self.values, dtype=float)
        if values.ndim != 2:
            raise ValueError("values must be a 2-D array")
        if values.shape != (len(self.participant_ids), len(self.statement_ids)):
            raise ValueError(
                f"values has shape {values.shape} but there are {len(self.participant_ids)} "
                f"participant ids and {len(self.statement_ids)} statement ids"
            )
        object.__setattr__(self, "values", values)
        object.__setattr__(self, "participant_ids", tuple(self.participant_ids))
        object.__setattr__(self, "statement_ids", tuple(self.statement_ids))

    @property
    def shape(self) -> tuple[int, int]:
        """(number of participants, number of statements)."""
        return self.values.shape

    @property
    def voted(self) -> np.ndarray:
        """Boolean mask of cells holding a vote (passes included)."""
        return ~np.isnan(self.values)

    def votes_per_participant(self) -> np.ndarray:
        """Number of votes (passes included) each participant has cast."""
        return self.voted.sum(axis=1)

    @cached_property
    def _rows(self) -> dict[Hashable, int]:
        return {pid: i for i, pid in enumerate(self.participant_ids)}

    @cached_property
    def _columns(self) -> dict[Hashable, int]:
        return {sid: j for j, sid in enumerate(self.statement_ids)}

    def participant_index(self, participant_id: Hashable) -> int:
        """Row of a participant id (KeyError if unknown)."""
        return self._rows[participant_id]

    def statement_index(self, statement_id: Hashable) -> int:
        """Column of a statement id (KeyError if unknown)."""
        return self._columns[statement_id]

    def vote(self, participant_id: Hashable, statement_id: Hashable) -> int | None:
        """The latest vote of one participant on one statement, or None if not voted."""
        value = self.values[
            self.participant_index(participant_id), self.statement_index(statement_id)
        ]
        return None if np.isnan(value) else int(value)

    def without_statements(self, statement_ids: Collection[Hashable]) -> VoteMatrix:
        """A copy without the given statements (e.g. moderated out)."""
        drop = set(statement_ids)
        keep = [j for j, sid in enumerate(self.statement_ids) if sid not in drop]
        return VoteMatrix(
            self.values[:, keep].copy(),
            self.participant_ids,
            tuple(self.statement_ids[j] for j in keep),
        )

    @classmethod
    def from_events(
        cls,
        events: Iterable[Sequence],
        *,
        statement_ids: Sequence[Hashable] | None = None,
        participant_ids: Sequence[Hashable] | None = None,
        exclude_statements: Collection[Hashable] = (),
    ) -> VoteMatrix:
        """Build from (participant_id, statement_id, vote, timestamp) events, latest vote kept."""
        pids: list = []
        sids: list = []
        votes: list = []
        stamps: list = []
        for event in events:
            pid, sid, vote = event[0], event[1], event[2]
            stamp = event[3] if len(event) > 3 else None
            pids.append(pid)
            sids.append(sid)
            votes.append(vote)
            stamps.append(0 if stamp is None else stamp)
        return cls.from_arrays(
            pids,
            sids,
            votes,
            stamps,
            statement_ids=statement_ids,
            participant_ids=participant_ids,
            exclude_statements=exclude_statements,
        )

    @classmethod
    def from_arrays(
        cls,
        participants: Sequence[Hashable] | np.ndarray,
        statements: Sequence[Hashable] | np.ndarray,
        votes: Sequence[int] | np.ndarray,
        timestamps: Sequence[float] | np.ndarray | None = None,
        *,
        statement_ids: Sequence[Hashable] | None = None,
        participant_ids: Sequence[Hashable] | None = None,
        exclude_statements: Collection[Hashable] = (),
    ) -> VoteMatrix:
        """Build from parallel event columns (fast for NumPy arrays), latest vote kept."""
        vote_arr = np.asarray(votes, dtype=float)
        n = vote_arr.shape[0]
        if not np.isin(vote_arr, (AGREE, DISAGREE, PASS)).all():
            bad = vote_arr[~np.isin(vote_arr, (AGREE, DISAGREE, PASS))][0]
            raise ValueError(f"a vote must be 1, -1 or 0, not {bad!r}")
        stamp_arr = np.zeros(n) if timestamps is None else np.asarray(timestamps)
        p_codes, p_ids = _encode(participants, participant_ids, n, "participant")
        s_codes, s_ids = _encode(statements, statement_ids, n, "statement")
        keep = np.ones(n, dtype=bool)
        if exclude_statements:
            excluded = set(exclude_statements)
            kept_cols = [j for j, sid in enumerate(s_ids) if sid not in excluded]
            remap = np.full(len(s_ids), -1, dtype=np.int64)
            remap[kept_cols] = np.arange(len(kept_cols))
            s_codes = remap[s_codes] if n else s_codes
            keep = s_codes >= 0
            s_ids = [s_ids[j] for j in kept_cols]
        values = np.full((len(p_ids), len(s_ids)), np.nan)
        if n and keep.any():
            cells = p_codes[keep] * len(s_ids) + s_codes[keep]
            order = np.lexsort((np.arange(cells.shape[0]), stamp_arr[keep], cells))
            sorted_cells = cells[order]
            last = np.ones(sorted_cells.shape[0], dtype=bool)
            last[:-1] = sorted_cells[1:] != sorted_cells[:-1]
            values.flat[sorted_cells[last]] = vote_arr[keep][order[last]]
        return cls(values, tuple(p_ids), tuple(s_ids))


def _encode(
    ids: Sequence[Hashable] | np.ndarray, order: Sequence[Hashable] | None, n: int, what: str
) -> tuple[np.ndarray, list]:
    """Integer codes for a column of ids, and the ordered list of distinct ids."""
    if len(ids) != n:
        raise ValueError(f"{what} ids and votes differ in length")
    arr = ids if isinstance(ids, np.ndarray) else None
    if order is None and arr is not None and arr.dtype.kind in "iuf":
        unique, codes = np.unique(arr, return_inverse=True)
        return codes.astype(np.int64), unique.tolist()
    if order is not None and arr is not None and arr.dtype.kind in "iu" and len(order):
        sorted_ids = np.asarray(order)
        if sorted_ids.dtype.kind in "iu" and np.all(sorted_ids[1:] > sorted_ids[:-1]):
            # Integer ids in increasing order (as from a database): no Python loop per vote.
            codes = np.minimum(np.searchsorted(sorted_ids, arr), len(sorted_ids) - 1)
            bad = sorted_ids[codes] != arr
            if bad.any():
                raise ValueError(f"{what} id {arr[bad][0]!r} is not in the given order")
            return codes.astype(np.int64), list(order)
    ordered = _ordered_ids(ids) if order is None else list(order)
    lookup = {key: i for i, key in enumerate(ordered)}
    if len(lookup) != len(ordered):
        raise ValueError(f"{what} ids given twice in the order")
    try:
        codes = np.fromiter((lookup[key] for key in ids), dtype=np.int64, count=n)
    except KeyError as exc:
        raise ValueError(f"{what} id {exc.args[0]!r} is not in the given order") from None
    return codes, ordered


def vote_values(matrix: VoteMatrix | np.ndarray) -> np.ndarray:
    """The float vote array of a VoteMatrix, or a 2-D array given directly."""
    values = matrix.values if isinstance(matrix, VoteMatrix) else np.asarray(matrix, dtype=float)
    if values.ndim != 2:
        raise ValueError("a vote matrix must be 2-D (participants x statements)")
    return values
