"""Pol.is representativeness: the z-tests, the statistics and the representative picks."""

from __future__ import annotations

import math

import numpy as np
import pytest

from community.consensus import (
    VoteMatrix,
    prop_test,
    read_polis_export,
    repness_stats,
    representative_statements,
    two_prop_test,
    z_sig_90,
)
from tests.consensus.conftest import conversation_dir


def test_prop_test_hand_values():
    # 2 * sqrt(n + 1) * ((k + 1) / (n + 1) - 0.5)
    assert prop_test(3, 4) == pytest.approx(2 * math.sqrt(5) * (4 / 5 - 0.5))
    assert prop_test(10, 10) == pytest.approx(math.sqrt(11))
    assert prop_test(0, 0) == pytest.approx(1.0)
    assert prop_test(2, 5) == pytest.approx(2 * math.sqrt(6) * (3 / 6 - 0.5))
    assert prop_test(np.array([3, 10]), np.array([4, 10])).tolist() == pytest.approx(
        [0.6 * math.sqrt(5), math.sqrt(11)]
    )


def test_two_prop_test_hand_values():
    # +1 on every count: 4/5 vs 2/4, pooled 6/9
    pooled = 6 / 9
    expected = (4 / 5 - 2 / 4) / math.sqrt(pooled * (1 - pooled) * (1 / 5 + 1 / 4))
    assert two_prop_test(3, 1, 4, 3) == pytest.approx(expected)
    assert expected == pytest.approx(0.3 / math.sqrt(0.1))
    # Pol.is's own unit test value (cliffsnotes example with the pseudo-counts removed)
    assert two_prop_test(15, 56, 24, 71) == pytest.approx(-1.518, abs=0.01)
    # a pooled share of 1 gives 0, not a division by zero
    assert two_prop_test(4, 6, 4, 6) == 0.0
    # Pol.is: with a huge out-group at 1/2 the two-proportion z tends to the one-proportion z
    assert two_prop_test(30, 1_000_000, 50, 2_000_000) == pytest.approx(prop_test(30, 50), rel=1e-3)


def test_significance_at_90_percent_is_one_sided_and_strict():
    assert z_sig_90(1.2817) and not z_sig_90(1.2816) and not z_sig_90(-3.0)
    assert z_sig_90(np.array([2.0, 1.0])).tolist() == [True, False]


def _three_groups() -> tuple[VoteMatrix, list]:
    # statement 0: group 0 votes 1, 1, 1, 0; group 1 votes -1, -1; group 2 votes 1;
    # the unclustered participant's -1 is ignored. Statement 1: nobody in group 2 votes.
    values = np.array(
        [[1, 1], [1, 1], [1, -1], [0, np.nan], [-1, 1], [-1, 0], [1, np.nan], [-1, -1]],
        dtype=float,
    )
    labels = [0, 0, 0, 0, 1, 1, 2, None]
    return VoteMatrix(values, tuple("abcdefgh"), ("s0", "s1")), labels


def test_repness_statistics_hand_example():
    matrix, labels = _three_groups()
    stats = repness_stats(matrix, labels)
    assert stats.groups == (0, 1, 2)
    assert stats.n_agree[:, 0].tolist() == [3, 0, 1]
    assert stats.n_disagree[:, 0].tolist() == [0, 2, 0]
    assert stats.n_votes[:, 0].tolist() == [4, 2, 1]
    # group 0, statement 0: in A=3, S=4; out (groups 1 and 2) A=1, D=2, S=3
    assert stats.p_agree[0, 0] == pytest.approx(4 / 6)
    assert stats.ra[0, 0] == pytest.approx((4 / 6) / (2 / 5))
    assert stats.p_agree_test[0, 0] == pytest.approx(0.6 * math.sqrt(5))
    assert stats.ra_test[0, 0] == pytest.approx(0.3 / math.sqrt(0.1))
    assert stats.p_disagree[0, 0] == pytest.approx(1 / 6)
    assert stats.rd[0, 0] == pytest.approx((1 / 6) / (3 / 5))
    assert stats.rd_test[0, 0] == pytest.approx(two_prop_test(0, 2, 4, 3))
    # group 1, statement 0: in D=2, S=2; out A=4, D=0, S=5
    assert stats.p_disagree[1, 0] == pytest.approx(3 / 4)
    assert stats.rd[1, 0] == pytest.approx((3 / 4) / (1 / 7))
    assert stats.p_disagree_test[1, 0] == pytest.approx(2 * math.sqrt(3) * (3 / 3 - 0.5))
    # group 2, statement 1: no votes in the group
    assert stats.n_votes[2, 1] == 0
    assert stats.p_agree[2, 1] == pytest.approx(1 / 2)


def _two_camps() -> VoteMatrix:
    # 10 + 10 participants; s0 splits the camps, s1 is agreed by all, s2 splits them the
    # other way round, s3 is a pass for everybody.
    camp_a = [[1, 1, -1, 0]] * 10
    camp_b = [[-1, 1, 1, 0]] * 10
    values = np.array(camp_a + camp_b, dtype=float)
    return VoteMatrix(values, tuple(range(20)), ("s0", "s1", "s2", "s3"))


def test_representative_statements_hand_example():
    matrix = _two_camps()
    labels = ["A"] * 10 + ["B"] * 10
    stats = repness_stats(matrix, labels)
    reps = representative_statements(stats, best_agree=False)
    a = reps["A"]
    assert [(r.statement_id, r.repful_for) for r in a] == [("s0", "agree"), ("s2", "disagree")]
    assert (a[0].n_success, a[0].n_trials) == (10, 10)
    assert a[0].p_success == pytest.approx(11 / 12)
    assert a[0].repness == pytest.approx((11 / 12) / (1 / 12))
    assert a[0].p_test == pytest.approx(math.sqrt(11))
    assert a[0].repness_test == pytest.approx(two_prop_test(10, 0, 10, 10))
    assert a[0].metric == pytest.approx(
        a[0].repness * a[0].repness_test * a[0].p_success * a[0].p_test
    )
    assert a[1].p_success == pytest.approx(11 / 12) and a[1].repness == pytest.approx(11)
    b = reps["B"]
    assert [(r.statement_id, r.repful_for) for r in b] == [("s2", "agree"), ("s0", "disagree")]
    assert not any(r.best_agree for r in a + b)


def test_best_agreed_statement_goes_first_as_in_polis():
    matrix = _two_camps()
    labels = ["A"] * 10 + ["B"] * 10
    reps = representative_statements(repness_stats(matrix, labels))
    # A: s0 is significant and its best agreed statement (ra > 1 beats s1's ra = 1).
    assert [(r.statement_id, r.repful_for, r.best_agree) for r in reps["A"]] == [
        ("s0", "agree", True),
        ("s2", "disagree", False),
    ]
    # B: s1 (agreed by everybody) is met before s2 and s2 only ties it on p * pat, so
    # s1 stays B's best agreed statement and is shown first, though not representative.
    assert [(r.statement_id, r.repful_for, r.best_agree) for r in reps["B"]] == [
        ("s1", "agree", True),
        ("s2", "agree", False),
        ("s0", "disagree", False),
    ]


def test_representative_statements_respect_exclusions_and_fallbacks():
    matrix = _two_camps()
    labels = ["A"] * 10 + ["B"] * 10
    stats = repness_stats(matrix, labels)
    reps = representative_statements(stats, exclude=["s0"], best_agree=False)
    assert [r.statement_id for r in reps["A"]] == ["s2"]
    reps = representative_statements(stats, exclude=["s0", "s1"])
    assert [r.statement_id for r in reps["A"]] == ["s2"]
    # nothing significant: Pol.is still shows one statement per group
    same = VoteMatrix(np.ones((6, 3)), tuple(range(6)), ("x", "y", "z"))
    for best_agree in (True, False):
        reps = representative_statements(
            repness_stats(same, [0, 0, 0, 1, 1, 1]), best_agree=best_agree
        )
        assert all(len(found) == 1 for found in reps.values())
    assert representative_statements(stats, max_per_group=1)["A"][0].statement_id == "s0"


def test_representative_statements_at_most_five_agrees_first():
    rng = np.random.default_rng(5)
    values = np.where(rng.random((60, 30)) < 0.5, 1.0, -1.0)
    values[:30, :12] = 1.0
    values[30:, :12] = -1.0
    labels = [0] * 30 + [1] * 30
    reps = representative_statements(repness_stats(values, labels))
    for found in reps.values():
        assert 1 <= len(found) <= 5
        sides = [r.repful_for for r in found]
        assert sides == sorted(sides)  # "agree" < "disagree"


def test_repness_on_real_conversations_with_polis_groups():
    for name in ("london.youth.policing", "15-per-hour-seattle"):
        export = read_polis_export(conversation_dir(name))
        stats = repness_stats(export.vote_matrix(), export.group_labels)
        reps = representative_statements(stats, exclude=export.moderated_out)
        assert set(reps) == {g for g in export.group_labels.values() if g is not None}
        for found in reps.values():
            assert 1 <= len(found) <= 5
            assert not {r.statement_id for r in found} & export.moderated_out
