"""Opinion groups: PCA of the vote matrix, then k-means with k chosen by silhouette.

The recipe follows Pol.is: only participants with at least min(7, number of
statements) votes are clustered; a missing vote is filled with the statement's mean
over the clustered participants who voted on it; the filled matrix is projected on
its first two principal components; k-means is run for k = 2..5 (never more than
the number of distinct points) and the k with the best silhouette score is kept.
Everything is deterministic for a given seed. Above 3,000 clustered participants
the silhouette is scored on a seeded sample of 3,000 (its cost grows as n squared).

The whole computation runs with one thread per native library (OpenMP, BLAS): on a
2-D k-means and a 10,000 x 1,000 PCA the threads gain little, and when other processes
share the cores their spinning made k-means several times slower (bench/README.md).

Not followed from Pol.is: its two-level clustering (100 base clusters first), its
power-iteration PCA and its smoothing of k over successive updates. Its scaling of
each projection by sqrt(statements / votes cast) is available as
`sparsity_scaling=True`, off by default.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse.linalg import ArpackError, ArpackNoConvergence
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import silhouette_score
from threadpoolctl import threadpool_limits

from .matrix import VoteMatrix, vote_values

UNCLUSTERED = -1
MIN_VOTES = 7
MAX_K = 5
N_INIT = 10
#: Above this many clustered participants the silhouette is scored on a seeded sample.
SILHOUETTE_SAMPLE = 3000
#: Above this many matrix cells the PCA uses ARPACK rather than a full SVD.
LARGE_PCA = 1_000_000


@dataclass(frozen=True, eq=False)
class OpinionGroups:
    """Group label per participant (-1 = not clustered), 2-D PCA coordinates, k and silhouette."""

    labels: np.ndarray
    coordinates: np.ndarray
    k: int
    silhouette: float
    eligible: np.ndarray
    silhouettes: dict[int, float]
    participant_ids: tuple | None = None

    def label_of(self, participant_id) -> int | None:
        """The group of one participant id, or None if not clustered."""
        if self.participant_ids is None:
            raise ValueError("these groups were computed from a bare array, without ids")
        label = int(self.labels[self.participant_ids.index(participant_id)])
        return None if label == UNCLUSTERED else label

    def members(self, group: int) -> np.ndarray:
        """Row indices of the participants in one group."""
        return np.flatnonzero(self.labels == group)

    def as_dict(self) -> dict:
        """{participant_id: group or None} for every participant."""
        ids = self.participant_ids or tuple(range(len(self.labels)))
        return {
            pid: (None if lab == UNCLUSTERED else int(lab))
            for pid, lab in zip(ids, self.labels, strict=True)
        }


def eligible_participants(values: np.ndarray, min_votes: int = MIN_VOTES) -> np.ndarray:
    """Mask of participants with at least min(min_votes, number of statements) votes."""
    n_statements = values.shape[1]
    if n_statements == 0:
        return np.zeros(values.shape[0], dtype=bool)
    need = max(1, min(min_votes, n_statements))
    return (~np.isnan(values)).sum(axis=1) >= need


def fill_missing(
    values: np.ndarray, rows: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Missing votes filled with each statement's mean over voters (in rows): (filled, means)."""
    basis = values if rows is None else values[rows]
    voted = ~np.isnan(basis)
    n = voted.sum(axis=0)
    sums = np.where(voted, basis, 0.0).sum(axis=0)
    means = np.divide(sums, n, out=np.zeros(values.shape[1]), where=n > 0)
    filled = np.where(np.isnan(values), means, values)
    return filled, means


def _fit_pca(rows: np.ndarray, n_comp: int, seed: int) -> PCA:
    """PCA by exact SVD when small, by ARPACK (to float precision, much faster) when large."""
    large = rows.size > LARGE_PCA and min(rows.shape) > n_comp
    if large:
        try:
            return PCA(n_components=n_comp, svd_solver="arpack", random_state=seed).fit(rows)
        except (ArpackNoConvergence, ArpackError):
            pass
    return PCA(n_components=n_comp, svd_solver="full", random_state=seed).fit(rows)


def pca_coordinates(
    values: np.ndarray, rows: np.ndarray, seed: int = 0, sparsity_scaling: bool = False
) -> np.ndarray:
    """2-D PCA coordinates of every participant, the PCA fitted on the given rows only."""
    filled, means = fill_missing(values, rows)
    coords = np.zeros((values.shape[0], 2))
    fit_rows = filled[rows]
    n_comp = min(2, fit_rows.shape[0], fit_rows.shape[1])
    if n_comp < 1 or not np.any(fit_rows != fit_rows[0]):
        return coords
    pca = _fit_pca(fit_rows, n_comp, seed)
    coords[:, :n_comp] = (filled - pca.mean_) @ pca.components_.T
    if sparsity_scaling:
        n_votes = np.maximum((~np.isnan(values)).sum(axis=1), 1)
        coords *= np.sqrt(values.shape[1] / n_votes)[:, None]
    return coords


def _canonical(labels: np.ndarray) -> np.ndarray:
    """Relabel clusters 0..k-1 by size (largest first), ties by first member."""
    uniques, first, counts = np.unique(labels, return_index=True, return_counts=True)
    order = sorted(range(len(uniques)), key=lambda i: (-counts[i], first[i]))
    remap = np.empty(uniques.max() + 1 if len(uniques) else 0, dtype=np.int64)
    for new, i in enumerate(order):
        remap[uniques[i]] = new
    return remap[labels]


def _silhouette(points: np.ndarray, labels: np.ndarray, seed: int) -> float:
    """Silhouette score, on a seeded sample when there are many points."""
    if len(points) > SILHOUETTE_SAMPLE:
        return float(
            silhouette_score(points, labels, sample_size=SILHOUETTE_SAMPLE, random_state=seed)
        )
    return float(silhouette_score(points, labels))


def choose_k_means(
    points: np.ndarray, seed: int = 0, max_k: int = MAX_K, n_init: int = N_INIT
) -> tuple[np.ndarray, int, float, dict[int, float]]:
    """k-means for k = 2..max_k on points, best silhouette kept: (labels, k, score, scores)."""
    n = len(points)
    if n == 0:
        return np.zeros(0, dtype=np.int64), 0, float("nan"), {}
    distinct = len(np.unique(np.round(points, 10), axis=0))
    top = min(max_k, distinct, n - 1)
    if top < 2:
        return np.zeros(n, dtype=np.int64), 1, float("nan"), {}
    scores: dict[int, float] = {}
    best: tuple[float, int, np.ndarray] | None = None
    for k in range(2, top + 1):
        model = KMeans(n_clusters=k, n_init=n_init, random_state=seed)
        labels = model.fit_predict(points)
        if len(np.unique(labels)) < 2:
            continue
        try:
            score = _silhouette(points, labels, seed)
        except ValueError:  # a sample that met a single cluster: no score for this k
            continue
        scores[k] = score
        if best is None or score > best[0]:
            best = (score, k, labels)
    if best is None:
        return np.zeros(n, dtype=np.int64), 1, float("nan"), scores
    score, k, labels = best
    return _canonical(labels), k, score, scores


def opinion_groups(
    matrix: VoteMatrix | np.ndarray,
    *,
    seed: int = 0,
    min_votes: int = MIN_VOTES,
    max_k: int = MAX_K,
    n_init: int = N_INIT,
    sparsity_scaling: bool = False,
) -> OpinionGroups:
    """Cluster participants into opinion groups (PCA to 2-D, k-means, k by silhouette)."""
    with threadpool_limits(limits=1):
        return _opinion_groups(matrix, seed, min_votes, max_k, n_init, sparsity_scaling)


def _opinion_groups(matrix, seed, min_votes, max_k, n_init, sparsity_scaling) -> OpinionGroups:
    values = vote_values(matrix)
    eligible = eligible_participants(values, min_votes)
    labels = np.full(values.shape[0], UNCLUSTERED, dtype=np.int64)
    if eligible.sum() == 0:
        coords = np.zeros((values.shape[0], 2))
        k, score = 0, float("nan")
        scores: dict[int, float] = {}
    else:
        coords = pca_coordinates(values, eligible, seed, sparsity_scaling)
        group_labels, k, score, scores = choose_k_means(coords[eligible], seed, max_k, n_init)
        labels[eligible] = group_labels
    ids = matrix.participant_ids if isinstance(matrix, VoteMatrix) else None
    return OpinionGroups(labels, coords, k, score, eligible, scores, ids)
