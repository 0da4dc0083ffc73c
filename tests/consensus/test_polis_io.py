"""Reading and writing Pol.is export folders."""

from __future__ import annotations

import filecmp

import numpy as np

from community.consensus import (
    PolisComment,
    PolisExport,
    VoteEvent,
    VoteMatrix,
    read_polis_export,
    write_polis_export,
)
from community.consensus.polis_io import polis_datetime
from tests.consensus.conftest import participants_votes, read_rows


def test_reads_an_export(conversation):
    export = read_polis_export(conversation)
    rows = read_rows(conversation / "votes.csv")
    assert len(export.votes) == len(rows)
    first = export.votes[0]
    assert first == VoteEvent(
        int(rows[0]["voter-id"]),
        int(rows[0]["comment-id"]),
        int(rows[0]["vote"]),
        int(rows[0]["timestamp"]),
    )
    assert len(export.comments) == len(read_rows(conversation / "comments.csv"))
    _, prows = participants_votes(conversation)
    assert len(export.group_labels) == len(prows)
    assert set(export.group_labels.values()) - {None} == {
        int(r["group-id"]) for r in prows if r["group-id"]
    }
    matrix = export.vote_matrix()
    for pid, votes in export.participant_votes.items():
        for sid, vote in votes.items():
            assert matrix.vote(pid, sid) == vote


def test_rewriting_an_export_reproduces_its_files(conversation, tmp_path):
    write_polis_export(tmp_path, read_polis_export(conversation))
    for name in ("comments.csv", "votes.csv"):
        assert filecmp.cmp(conversation / name, tmp_path / name, shallow=False), name


def test_round_trip_of_generated_votes(tmp_path):
    rng = np.random.default_rng(1)
    votes = [
        VoteEvent(int(p), int(s), int(v), int(t))
        for p, s, v, t in zip(
            rng.integers(0, 30, 400),
            rng.integers(0, 12, 400),
            rng.integers(-1, 2, 400),
            rng.integers(1_400_000_000_000, 1_700_000_000_000, 400),
            strict=True,
        )
    ]
    comments = [
        PolisComment(s, 0, 0, 0, 1 if s % 5 else -1, f'Statement "{s}",\nwith a comma')
        for s in range(12)
    ]
    write_polis_export(tmp_path / "out", PolisExport(comments, votes))
    back = read_polis_export(tmp_path / "out")
    assert back.votes == votes
    assert back.comments == [
        PolisComment(c.statement_id, 0, 0, 0, c.moderated, c.body, None, "") for c in comments
    ]
    assert back.moderated_out == {0, 5, 10}
    assert back.group_labels == {}
    original = VoteMatrix.from_events(votes)
    assert np.array_equal(back.vote_matrix().values, original.values, equal_nan=True)
    assert back.vote_matrix(exclude_moderated_out=True).statement_ids == tuple(
        s for s in range(12) if s % 5
    )
    assert read_rows(tmp_path / "out" / "votes.csv")[0]["datetime"] == polis_datetime(
        votes[0].timestamp
    )


def test_polis_datetime_format():
    assert polis_datetime(1403054214196) == "Wed Jun 18 01:16:54 UTC 2014"
    assert polis_datetime(None) == ""
