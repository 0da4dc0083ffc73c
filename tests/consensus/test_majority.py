"""Majority statements and Pol.is's overall consensus pick."""

from __future__ import annotations

import numpy as np
import pytest

from community.consensus import (
    VoteMatrix,
    majority_statements,
    polis_consensus_statements,
    prop_test,
    wilson_interval,
)


def _matrix() -> VoteMatrix:
    # s0: 8 agree, 1 disagree, 1 pass; s1: 3 agree, 7 disagree; s2: 6 agree 4 pass;
    # s3: 2 agree only (few votes)
    cols = {
        "s0": [1] * 8 + [-1, 0],
        "s1": [1] * 3 + [-1] * 7,
        "s2": [1] * 6 + [0] * 4,
        "s3": [1, 1] + [np.nan] * 8,
    }
    values = np.array(list(cols.values()), dtype=float).T
    return VoteMatrix(values, tuple(range(10)), tuple(cols))


def test_majority_statements_use_shares_of_all_votes():
    found = majority_statements(_matrix(), 0.7)
    assert [(m.statement_id, m.side, m.share) for m in found] == [
        ("s3", "agree", 1.0),
        ("s0", "agree", 0.8),
        ("s1", "disagree", 0.7),
    ]
    s0 = found[1]
    assert (s0.n_success, s0.n_votes) == (8, 10)
    assert (s0.low, s0.high) == pytest.approx(wilson_interval(8, 10))
    # passes count in the denominator: s2 is 6/10 = 0.6, not 6/6
    assert [m.statement_id for m in majority_statements(_matrix(), 0.6, min_votes=5)] == [
        "s0",
        "s1",
        "s2",
    ]
    assert majority_statements(_matrix(), 0.7, exclude=["s3"])[0].statement_id == "s0"
    with pytest.raises(ValueError):
        majority_statements(_matrix(), 0.0)


def test_polis_consensus_statements():
    picked = polis_consensus_statements(_matrix())
    agree = picked["agree"]
    # p = (k + 1)/(n + 2) > 1/2 and prop_test(k, n) > 1.2816, ranked by p * test
    # s0: p = 9/12, z = 2.11; s3: p = 3/4, z = 1.73; s2 (6 of 10, 4 passes): z = 0.90
    assert [c.statement_id for c in agree] == ["s0", "s3"]
    assert agree[0].p_success == pytest.approx(9 / 12)
    assert agree[0].p_test == pytest.approx(prop_test(8, 10))
    assert [c.statement_id for c in picked["disagree"]] == ["s1"]
    assert polis_consensus_statements(_matrix(), max_n=1)["agree"][0].statement_id == "s0"
