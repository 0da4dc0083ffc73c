"""Group-informed consensus: Pol.is's product over groups of (A_g + 1) / (S_g + 2)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from community.consensus import (
    VoteMatrix,
    encode_groups,
    group_informed_consensus,
    group_votes,
    read_polis_export,
)
from tests.consensus.conftest import participants_votes


def _plain_consensus(folder) -> dict[int, tuple[float, float]]:
    """Consensus computed with plain loops from participants-votes.csv alone."""
    columns, rows = participants_votes(folder)
    groups = sorted({int(r["group-id"]) for r in rows if r["group-id"] != ""})
    result = {}
    for column in columns:
        agree = disagree = 1.0
        for g in groups:
            cells = [r[column] for r in rows if r["group-id"] != "" and int(r["group-id"]) == g]
            cells = [c for c in cells if c != ""]
            a, d, s = cells.count("1"), cells.count("-1"), len(cells)
            agree *= (a + 1) / (s + 2)
            disagree *= (d + 1) / (s + 2)
        result[int(column)] = (agree, disagree)
    return result


def test_polis_labels_reproduce_consensus_exactly(conversation):
    export = read_polis_export(conversation)
    matrix = export.vote_matrix()
    consensus = group_informed_consensus(matrix, export.group_labels)
    expected = _plain_consensus(conversation)
    assert len(consensus.groups) >= 2
    got = consensus.as_dict()
    for sid, (agree, disagree) in expected.items():
        assert got[sid]["agree"] == pytest.approx(agree, abs=1e-12, rel=0), sid
        assert got[sid]["disagree"] == pytest.approx(disagree, abs=1e-12, rel=0), sid


def test_labels_by_row_or_by_participant_id_agree(conversation):
    export = read_polis_export(conversation)
    matrix = export.vote_matrix()
    by_id = group_informed_consensus(matrix, export.group_labels)
    by_row = group_informed_consensus(
        matrix, [export.group_labels.get(pid) for pid in matrix.participant_ids]
    )
    assert np.array_equal(by_id.agree, by_row.agree)
    assert np.array_equal(by_id.disagree, by_row.disagree)


def test_hand_computed_example_with_arbitrary_labels():
    # statement 0: group "x" votes 1, 1, 0; group "y" votes -1, -1; "z" (unclustered) votes 1
    values = np.array([[1, 1], [1, np.nan], [0, -1], [-1, 0], [-1, np.nan], [1, 1]], dtype=float)
    labels = ["x", "x", "x", "y", "y", None]
    c = group_informed_consensus(values, labels)
    assert c.groups == ("x", "y")
    # agree: x (2+1)/(3+2), y (0+1)/(2+2); disagree: x (0+1)/(3+2), y (2+1)/(2+2)
    assert c.agree[0] == pytest.approx(3 / 5 * 1 / 4)
    assert c.disagree[0] == pytest.approx(1 / 5 * 3 / 4)
    # statement 1: x votes 1, -1 (S=2); y votes 0 (S=1)
    assert c.agree[1] == pytest.approx(2 / 4 * 1 / 3)
    assert c.disagree[1] == pytest.approx(2 / 4 * 1 / 3)


def test_a_group_without_votes_on_a_statement_contributes_one_half():
    values = np.array([[1.0, np.nan], [1.0, 1.0], [np.nan, np.nan]])
    c = group_informed_consensus(values, [0, 0, 1])
    assert c.agree.tolist() == [pytest.approx(3 / 4 * 1 / 2), pytest.approx(2 / 3 * 1 / 2)]


def test_unclustered_markers_and_no_groups():
    keys, codes = encode_groups([None, -1, float("nan"), "", 3, "3"])
    assert codes.tolist()[:4] == [-1, -1, -1, -1]
    assert set(keys) == {3, "3"}
    c = group_informed_consensus(np.ones((2, 3)), [None, None])
    assert all(math.isnan(x) for x in c.agree)


def test_group_votes_count_passes_in_all_votes():
    values = np.array([[1, 0], [0, -1], [-1, np.nan]], dtype=float)
    counts = group_votes(VoteMatrix(values, ("a", "b", "c"), (10, 20)), {"a": 1, "b": 1, "c": 2})
    assert counts.groups == (1, 2)
    assert counts.agree.tolist() == [[1, 0], [0, 0]]
    assert counts.disagree.tolist() == [[0, 1], [1, 0]]
    assert counts.votes.tolist() == [[2, 2], [1, 0]]
    assert counts.passes.tolist() == [[1, 1], [0, 0]]
    with pytest.raises(ValueError, match="labels"):
        group_votes(values, [1, 2])
