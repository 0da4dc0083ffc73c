"""Per-statement counts against Pol.is's own participants-votes.csv, and Wilson intervals."""

from __future__ import annotations

import numpy as np
import pytest

from community.consensus import (
    VoteMatrix,
    participant_counts,
    read_polis_export,
    statement_counts,
    wilson_interval,
)
from tests.consensus.conftest import participants_votes, read_rows


def _latest_matrix(folder) -> VoteMatrix:
    """The latest-vote matrix from votes.csv, via the csv module and VoteMatrix only."""
    events = [
        (int(r["voter-id"]), int(r["comment-id"]), int(r["vote"]), int(r["timestamp"]))
        for r in read_rows(folder / "votes.csv")
    ]
    return VoteMatrix.from_events(events)


def test_every_latest_vote_matches_participants_votes(conversation):
    m = _latest_matrix(conversation)
    columns, rows = participants_votes(conversation)
    assert {int(r["participant"]) for r in rows} == set(m.participant_ids)
    assert set(m.statement_ids) <= {int(c) for c in columns}
    checked = 0
    for row in rows:
        pid = int(row["participant"])
        for column in columns:
            sid = int(column)
            expected = None if row[column] == "" else int(row[column])
            got = m.vote(pid, sid) if sid in m.statement_ids else None
            assert got == expected, (pid, sid)
            checked += 1
    assert checked == len(rows) * len(columns)


def test_statement_counts_match_participants_votes(conversation):
    m = _latest_matrix(conversation)
    columns, rows = participants_votes(conversation)
    counts = statement_counts(m).as_dict()
    for column in columns:
        cells = [r[column] for r in rows if r[column] != ""]
        expected = {
            "agree": cells.count("1"),
            "disagree": cells.count("-1"),
            "pass": cells.count("0"),
            "votes": len(cells),
        }
        got = counts.get(int(column), {"agree": 0, "disagree": 0, "pass": 0, "votes": 0})
        assert got == expected, column


def test_participant_counts_match_participants_votes(conversation):
    m = _latest_matrix(conversation)
    _, rows = participants_votes(conversation)
    per = participant_counts(m)
    for row in rows:
        i = m.participant_index(int(row["participant"]))
        assert per["votes"][i] == int(row["n-votes"])
        assert per["agree"][i] == int(row["n-agree"])
        assert per["disagree"][i] == int(row["n-disagree"])


def test_comment_totals_count_every_vote_ever_cast(conversation):
    """comments.csv's agrees/disagrees include superseded re-votes; the export keeps them all."""
    export = read_polis_export(conversation)
    for comment in export.comments:
        votes = [v.vote for v in export.votes if v.statement_id == comment.statement_id]
        assert (votes.count(1), votes.count(-1)) == (comment.agrees, comment.disagrees)


def test_shares_include_passes():
    values = np.array([[1, -1], [1, 0], [0, np.nan], [-1, np.nan], [1, np.nan]], dtype=float)
    c = statement_counts(values)
    assert c.agree.tolist() == [3, 0]
    assert c.disagree.tolist() == [1, 1]
    assert c.passes.tolist() == [1, 1]
    assert c.votes.tolist() == [5, 2]
    assert c.agree_share.tolist() == [0.6, 0.0]
    assert c.disagree_share.tolist() == [0.2, 0.5]
    assert c.pass_share.tolist() == [0.2, 0.5]
    assert np.isnan(statement_counts(np.full((2, 1), np.nan)).agree_share[0])


def test_wilson_interval_known_value():
    low, high = wilson_interval(8, 10)
    assert (round(low, 4), round(high, 4)) == (0.4902, 0.9433)


def test_wilson_interval_edges_and_arrays():
    assert wilson_interval(0, 0) == (0.0, 1.0)
    low, high = wilson_interval(0, 10)
    assert low == 0.0 and high == pytest.approx(0.2775, abs=1e-4)
    low, high = wilson_interval(10, 10)
    assert high == 1.0 and low == pytest.approx(0.7225, abs=1e-4)
    lows, highs = wilson_interval(np.array([8, 5]), np.array([10, 10]))
    assert lows[0] == pytest.approx(0.4902, abs=1e-4)
    assert highs[1] == pytest.approx(1 - lows[1])
    low99, high99 = wilson_interval(8, 10, z=2.576)
    assert low99 < 0.4902 and high99 > 0.9433
    with pytest.raises(ValueError):
        wilson_interval(11, 10)
