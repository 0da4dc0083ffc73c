"""The plain-Python formulas pages use give exactly what the NumPy forms give."""

from __future__ import annotations

import math

import numpy as np
import pytest

from community.consensus import (
    consensus_from_group_votes,
    group_votes,
    informed_consensus,
    wilson,
    wilson_interval,
)


def test_informed_consensus_is_the_matrix_form_statement_by_statement():
    rng = np.random.default_rng(7)
    for _ in range(50):
        values = rng.choice([1.0, -1.0, 0.0, np.nan], size=(40, 6))
        labels = list(rng.choice(["a", "b", "c", None], size=40))
        counts = group_votes(values, labels)
        matrix = consensus_from_group_votes(counts)
        for j in range(values.shape[1]):
            agree = informed_consensus(
                (int(counts.agree[g, j]), int(counts.votes[g, j]))
                for g in range(len(counts.groups))
            )
            disagree = informed_consensus(
                (int(counts.disagree[g, j]), int(counts.votes[g, j]))
                for g in range(len(counts.groups))
            )
            assert agree == matrix.agree[j]  # the same products in the same order
            assert disagree == matrix.disagree[j]


def test_no_group_is_no_consensus():
    assert math.isnan(informed_consensus([]))
    # A group that has not voted on the statement contributes 1/2, as in Pol.is.
    assert informed_consensus([(0, 0), (3, 4)]) == pytest.approx(0.5 * 4 / 6)


def test_wilson_scalar_and_arrays_agree():
    lows, highs = wilson_interval(np.array([0, 3, 8, 10]), np.array([10, 10, 10, 10]))
    for k, low, high in zip([0, 3, 8, 10], lows, highs, strict=True):
        assert wilson(k, 10) == (low, high)
    assert wilson(0, 0) == (0.0, 1.0)
    with pytest.raises(ValueError):
        wilson(3, 2)
