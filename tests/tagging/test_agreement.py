"""Cohen's kappa, implemented by hand, checked by hand and against scikit-learn."""

from __future__ import annotations

import math
import random

import pytest
from sklearn.metrics import cohen_kappa_score

from community.tagging.rounds.agreement import (
    agreement_by_code,
    code_agreement,
    cohen_kappa,
    observed_agreement,
    overall_observed,
)


def test_kappa_of_a_hand_computed_two_by_two_table():
    # 10 contributions, one code: both yes 4, first only 1, second only 2, both no 3.
    first = [True] * 4 + [True] * 1 + [False] * 2 + [False] * 3
    second = [True] * 4 + [False] * 1 + [True] * 2 + [False] * 3
    # p_o = 7/10; first says yes 5/10, second 6/10;
    # p_e = 0.5 × 0.6 + 0.5 × 0.4 = 0.5; kappa = (0.7 − 0.5) / (1 − 0.5) = 0.4
    assert observed_agreement(first, second) == pytest.approx(0.7)
    assert cohen_kappa(first, second) == pytest.approx(0.4)
    row = code_agreement(
        "term-1",
        [
            ({"term-1"} if a else set(), {"term-1"} if b else set())
            for a, b in zip(first, second, strict=True)
        ],
    )
    assert (row.n, row.both, row.first_only, row.second_only, row.neither) == (10, 4, 1, 2, 3)
    assert row.kappa == pytest.approx(0.4) and row.observed == pytest.approx(0.7)


def test_kappa_of_a_hand_computed_three_category_example():
    first = ["a", "a", "b", "b", "c", "c"]
    second = ["a", "b", "b", "b", "c", "a"]
    # p_o = 4/6; p_e = (2·2 + 2·3 + 2·1) / 36 = 1/3; kappa = (2/3 − 1/3) / (2/3) = 0.5
    assert cohen_kappa(first, second) == pytest.approx(0.5)


def test_perfect_and_chance_agreement():
    assert cohen_kappa([1, 0, 1, 0], [1, 0, 1, 0]) == pytest.approx(1.0)
    assert cohen_kappa([1, 1, 0, 0], [1, 0, 1, 0]) == pytest.approx(0.0)
    assert cohen_kappa([1, 1, 0, 0], [0, 0, 1, 1]) == pytest.approx(-1.0)


def test_kappa_is_not_defined_when_both_coders_never_vary():
    assert cohen_kappa([False] * 5, [False] * 5) is None
    assert cohen_kappa([], []) is None
    assert observed_agreement([], []) is None
    with pytest.raises(ValueError):
        cohen_kappa([1, 0], [1])


@pytest.mark.parametrize("seed", range(40))
def test_kappa_matches_scikit_learn(seed):
    rng = random.Random(seed)
    n = rng.randint(2, 60)
    categories = rng.choice([[0, 1], ["a", "b", "c"], list(range(5))])
    first = [rng.choice(categories) for _ in range(n)]
    # Second coder agrees with some probability, otherwise guesses.
    p = rng.random()
    second = [a if rng.random() < p else rng.choice(categories) for a in first]
    ours = cohen_kappa(first, second)
    if ours is None:
        assert len(set(first) | set(second)) == 1
        return
    theirs = cohen_kappa_score(first, second)
    assert math.isclose(ours, theirs, abs_tol=1e-12), (first, second)


def test_agreement_by_code_covers_every_code_either_coder_used():
    items = [({"term-1", "theme-2"}, {"term-1"}), (set(), {"theme-2"}), ({"term-1"}, {"term-1"})]
    rows = {r.key: r for r in agreement_by_code(items)}
    assert set(rows) == {"term-1", "theme-2"}
    assert rows["term-1"].kappa == pytest.approx(1.0)
    assert (rows["theme-2"].first_only, rows["theme-2"].second_only) == (1, 1)
    assert overall_observed(items, rows) == pytest.approx(4 / 6)
