"""Opinion groups: planted groups are recovered, runs are deterministic, edges don't crash."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from community.consensus import UNCLUSTERED, opinion_groups, read_polis_export
from community.consensus.groups import eligible_participants, fill_missing
from community.consensus.synthetic import planted_conversation
from tests.consensus.conftest import conversation_dir


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4, 5])
def test_planted_groups_are_recovered(seed):
    conv = planted_conversation(3, 60, 40, missing=(0.3, 0.6), seed=seed)
    groups = opinion_groups(conv.values, seed=seed)
    assert groups.k == 3
    assert adjusted_rand_score(conv.labels, groups.labels) >= 0.9
    assert groups.coordinates.shape == (180, 2)
    assert set(groups.silhouettes) == {2, 3, 4, 5}
    assert groups.silhouette == max(groups.silhouettes.values())


def test_same_seed_same_groups():
    conv = planted_conversation(4, 40, 30, seed=11)
    first = opinion_groups(conv.values, seed=7)
    second = opinion_groups(conv.values.copy(), seed=7)
    assert np.array_equal(first.labels, second.labels)
    assert np.array_equal(first.coordinates, second.coordinates)
    assert (first.k, first.silhouette) == (second.k, second.silhouette)


def test_labels_are_canonical_largest_group_first():
    conv = planted_conversation(3, 50, 40, seed=2)
    labels = opinion_groups(conv.values, seed=0).labels
    sizes = np.bincount(labels)
    assert list(sizes) == sorted(sizes, reverse=True)


def test_only_participants_with_enough_votes_are_clustered():
    conv = planted_conversation(2, 40, 30, seed=4)
    values = conv.values.copy()
    values[:5] = np.nan
    values[:5, :6] = 1.0  # six votes: below min(7, 30)
    groups = opinion_groups(values, seed=0)
    assert (groups.labels[:5] == UNCLUSTERED).all()
    assert (groups.labels[5:] != UNCLUSTERED).all()
    assert not groups.eligible[:5].any()
    # with 4 statements, 4 votes are enough
    assert eligible_participants(np.array([[1, 0, -1, 1], [1, np.nan, 0, 0]])).tolist() == [
        True,
        False,
    ]


def test_missing_votes_are_filled_with_the_statement_mean_over_voters():
    values = np.array([[1, np.nan], [0, 1], [np.nan, np.nan], [-1, 0]], dtype=float)
    filled, means = fill_missing(values)
    assert means.tolist() == [0.0, 0.5]
    assert filled[0, 1] == 0.5 and filled[2, 0] == 0.0


@pytest.mark.parametrize(
    "values",
    [
        np.zeros((0, 5)),
        np.full((4, 3), np.nan),
        np.ones((1, 9)),
        np.ones((6, 8)),  # everybody votes alike: one distinct point
        np.array([[1.0] * 8, [-1.0] * 8]),  # two participants
        np.array([[1.0] * 8, [1.0] * 8, [-1.0] * 8]),  # two distinct points, three people
        np.ones((3, 1)),  # one statement
        np.zeros((3, 0)),
    ],
)
def test_degenerate_inputs_do_not_crash(values):
    groups = opinion_groups(values, seed=0)
    assert groups.labels.shape == (values.shape[0],)
    assert groups.coordinates.shape == (values.shape[0], 2)
    assert 0 <= groups.k <= 5
    if groups.k <= 1:
        assert set(groups.labels.tolist()) <= {0, UNCLUSTERED}


def test_two_distinct_points_give_two_groups():
    values = np.array([[1.0] * 8, [1.0] * 8, [-1.0] * 8])
    groups = opinion_groups(values, seed=0)
    assert groups.k == 2
    assert groups.labels.tolist() == [0, 0, 1]


def test_london_groups_compared_with_polis(capsys):
    export = read_polis_export(conversation_dir("london.youth.policing"))
    matrix = export.vote_matrix()
    groups = opinion_groups(matrix, seed=0)
    polis = [export.group_labels.get(pid) for pid in matrix.participant_ids]
    both = [i for i, g in enumerate(polis) if g is not None and groups.labels[i] != UNCLUSTERED]
    # Pol.is clustered exactly the participants with at least min(7, n) votes, as we do.
    assert len(both) == sum(g is not None for g in polis) == int(groups.eligible.sum())
    ari = adjusted_rand_score([polis[i] for i in both], groups.labels[both])
    with capsys.disabled():
        print(f"\nLondon: k={groups.k} (Pol.is 3), ARI vs Pol.is groups = {ari:.3f}")
    assert 2 <= groups.k <= 5
    assert groups.label_of(matrix.participant_ids[both[0]]) is not None


def test_seattle_runs():
    export = read_polis_export(conversation_dir("15-per-hour-seattle"))
    matrix = export.vote_matrix(exclude_moderated_out=True)
    groups = opinion_groups(matrix, seed=0)
    assert 2 <= groups.k <= 5
    assert int(groups.eligible.sum()) == sum(g is not None for g in export.group_labels.values())
    assert len(groups.as_dict()) == len(matrix.participant_ids)


def test_large_matrices_use_arpack_with_the_same_components(monkeypatch):
    from community.consensus import groups as groups_module

    conv = planted_conversation(3, 40, 30, seed=8)
    exact = opinion_groups(conv.values, seed=0)
    monkeypatch.setattr(groups_module, "LARGE_PCA", 0)
    fast = opinion_groups(conv.values, seed=0)
    assert np.allclose(np.abs(fast.coordinates), np.abs(exact.coordinates), atol=1e-9)
    assert adjusted_rand_score(exact.labels, fast.labels) == 1.0


def test_polis_sparsity_scaling_is_optional():
    conv = planted_conversation(3, 60, 40, seed=1)
    plain = opinion_groups(conv.values, seed=0)
    scaled = opinion_groups(conv.values, seed=0, sparsity_scaling=True)
    votes = (~np.isnan(conv.values)).sum(axis=1)
    ratio = np.linalg.norm(scaled.coordinates, axis=1) / np.linalg.norm(plain.coordinates, axis=1)
    assert np.allclose(ratio, np.sqrt(40 / votes))
    assert adjusted_rand_score(conv.labels, scaled.labels) >= 0.9
