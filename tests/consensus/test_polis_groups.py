"""The Pol.is pipeline's own rules: who is clustered, base clusters, k smoothing, history."""

from __future__ import annotations

import json

import numpy as np
from sklearn.metrics import adjusted_rand_score

from community.consensus import UNCLUSTERED, VoteMatrix
from community.consensus.polis_groups import (
    K_BUFFER,
    ClusterState,
    in_conversation,
    polis_opinion_groups,
    smooth_k,
    sparsity_aware_projection,
    weighted_silhouette,
)
from community.consensus.synthetic import planted_conversation


def _matrix(values: np.ndarray) -> VoteMatrix:
    return VoteMatrix(values, tuple(range(values.shape[0])), tuple(range(values.shape[1])))


def test_planted_groups_are_recovered():
    conv = planted_conversation(3, 60, 40, missing=(0.3, 0.6), seed=3)
    groups, state = polis_opinion_groups(_matrix(conv.values), seed=0)
    assert groups.k == 3
    assert adjusted_rand_score(conv.labels, groups.labels) >= 0.9
    assert state.smoothed_k == 3 and len(state.base_centers) <= 100


def test_clustered_once_they_voted_on_min_7_statements_topped_up_to_15():
    values = np.full((30, 20), np.nan)
    values[:20, :7] = 1.0  # twenty with seven votes
    values[20:, :3] = -1.0  # ten with three
    mask = in_conversation(values, tuple(range(30)))
    assert mask[:20].all() and not mask[20:].any()
    few = values[:12].copy()
    few[:, 3:] = np.nan  # twelve people, three votes each: all topped up (fewer than 15)
    assert in_conversation(few, tuple(range(12))).all()
    # once in, always in
    assert in_conversation(values, tuple(range(30)), previous=["25"])[25]


def test_projection_is_sparsity_aware():
    conv = planted_conversation(2, 40, 30, missing=(0.2, 0.7), seed=1)
    none = np.zeros(30, dtype=bool)
    coords, pcs = sparsity_aware_projection(conv.values, none)
    voted = ~np.isnan(conv.values)
    means = np.nanmean(conv.values, axis=0)
    raw = (np.where(voted, conv.values, means) - means) @ pcs.T
    scale = np.sqrt(30 / voted.sum(axis=1))
    assert np.allclose(coords, raw * scale[:, None])


def test_k_changes_only_after_winning_several_recomputes_in_a_row():
    state = ClusterState()
    assert smooth_k(state, 3) == 3
    for _ in range(K_BUFFER - 1):
        assert smooth_k(state, 2) == 3
    assert smooth_k(state, 2) == 2
    assert smooth_k(state, 4) == 2  # one win is not enough


def test_state_is_carried_and_groups_do_not_jump():
    conv = planted_conversation(3, 50, 30, missing=(0.2, 0.5), seed=5)
    first, state = polis_opinion_groups(_matrix(conv.values), seed=1)
    stored = ClusterState.from_json(json.loads(json.dumps(state.as_json())))
    assert stored.as_json() == state.as_json()
    # a few more votes: the same groups with the same numbers, not relabelled
    more = conv.values.copy()
    rng = np.random.default_rng(0)
    holes = np.argwhere(np.isnan(more))[:20]
    more[holes[:, 0], holes[:, 1]] = rng.choice([-1.0, 1.0], size=len(holes))
    second, _ = polis_opinion_groups(_matrix(more), state=stored, seed=99)
    assert adjusted_rand_score(first.labels, second.labels) >= 0.9
    assert (first.labels == second.labels).mean() >= 0.9


def test_no_group_of_one():
    conv = planted_conversation(2, 40, 30, seed=2)
    values = conv.values.copy()
    values[0] = 1.0 - 2.0 * (np.arange(30) % 2)  # one contrarian
    groups, _ = polis_opinion_groups(_matrix(values), seed=0)
    sizes = np.bincount(groups.labels[groups.labels != UNCLUSTERED])
    assert sizes.min() >= 2


def test_moderated_out_statements_do_not_move_anyone():
    conv = planted_conversation(2, 40, 30, seed=4)
    values = conv.values.copy()
    values[:, 0] = np.where(np.arange(80) % 2, 1.0, -1.0)  # a noisy statement...
    groups, _ = polis_opinion_groups(_matrix(values), moderated_out={0}, seed=0)
    assert adjusted_rand_score(conv.labels, groups.labels) >= 0.9


def test_weighted_silhouette_counts_people():
    centres = np.array([[0.0, 0.0], [0.1, 0.0], [5.0, 0.0]])
    labels = np.array([0, 0, 1])
    # the same split scored with one person per centre or many: both clearly positive
    assert weighted_silhouette(centres, labels, np.array([1.0, 1.0, 1.0])) > 0.5
    assert weighted_silhouette(centres, labels, np.array([50.0, 50.0, 2.0])) > 0.9


def test_empty_and_degenerate_inputs():
    for values in (np.zeros((0, 4)), np.full((3, 3), np.nan), np.ones((5, 8))):
        groups, state = polis_opinion_groups(_matrix(values))
        assert groups.labels.shape == (values.shape[0],)
        assert groups.k in (0, 1)
        json.dumps(state.as_json())
