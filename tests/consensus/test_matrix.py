"""VoteMatrix: the latest vote per participant and statement."""

from __future__ import annotations

import numpy as np
import pytest

from community.consensus import VoteEvent, VoteMatrix
from community.consensus.synthetic import planted_conversation


def test_latest_vote_wins_by_timestamp_not_by_row_order():
    events = [
        ("ann", "s1", 1, 30),
        ("ann", "s1", -1, 10),  # older, listed later: ignored
        ("bob", "s1", 0, 5),
        ("ann", "s2", -1, 7),
    ]
    m = VoteMatrix.from_events(events)
    assert m.participant_ids == ("ann", "bob")
    assert m.statement_ids == ("s1", "s2")
    assert m.vote("ann", "s1") == 1
    assert m.vote("bob", "s1") == 0
    assert m.vote("ann", "s2") == -1
    assert m.vote("bob", "s2") is None
    assert np.isnan(m.values[1, 1])


def test_equal_timestamps_keep_the_later_event_in_input_order():
    m = VoteMatrix.from_events([(1, 9, 1, 100), (1, 9, -1, 100), (1, 9, 0, 100)])
    assert m.vote(1, 9) == 0
    m = VoteMatrix.from_events([(1, 9, 0, None), (1, 9, -1, None)])
    assert m.vote(1, 9) == -1


def test_three_field_events_and_named_tuples():
    m = VoteMatrix.from_events([(1, 1, 1), VoteEvent(1, 1, -1), (2, 1, 0)])
    assert m.vote(1, 1) == -1
    assert m.votes_per_participant().tolist() == [1, 1]


def test_exclude_moderated_out_statements_and_keep_unvoted_ones():
    events = [(1, 10, 1, 1), (1, 11, -1, 2), (2, 12, 1, 3)]
    m = VoteMatrix.from_events(events, statement_ids=[10, 11, 12, 13], exclude_statements={11})
    assert m.statement_ids == (10, 12, 13)
    assert m.vote(1, 10) == 1
    assert m.vote(1, 12) is None
    assert m.vote(2, 12) == 1
    assert np.isnan(m.values[:, 2]).all()
    assert m.without_statements({12}).statement_ids == (10, 13)


def test_rejects_bad_votes_and_unknown_ids():
    with pytest.raises(ValueError, match="1, -1 or 0"):
        VoteMatrix.from_events([(1, 1, 2, 0)])
    with pytest.raises(ValueError, match="not in the given order"):
        VoteMatrix.from_events([(1, 7, 1, 0)], statement_ids=[1, 2])
    with pytest.raises(ValueError, match="shape"):
        VoteMatrix(np.zeros((2, 2)), (1,), (1, 2))


def test_empty_input_gives_an_empty_matrix():
    m = VoteMatrix.from_events([])
    assert m.shape == (0, 0)
    m = VoteMatrix.from_events([], statement_ids=[1, 2])
    assert m.shape == (0, 2)


def test_tuples_and_numpy_columns_agree_with_the_planted_truth():
    conv = planted_conversation(2, 30, 25, revote_rate=0.2, seed=3)
    from_tuples = VoteMatrix.from_events(conv.events())
    from_columns = VoteMatrix.from_arrays(
        conv.participants, conv.statements, conv.votes, conv.timestamps
    )
    assert np.array_equal(from_tuples.values, conv.values, equal_nan=True)
    assert np.array_equal(from_columns.values, conv.values, equal_nan=True)
    assert from_columns.participant_ids == tuple(range(60))
