"""Opinion groups the way Pol.is computes them, history included.

Pol.is (compdemocracy/polis, math/src/polismath/math/conversation.clj) does not
cluster participants directly. Each update it:

1. keeps "in the conversation" every participant with at least min(7, statements)
   votes (votes on moderated-out statements count), topped up to 15 with the most
   active voters; once in, a participant stays in;
2. zeroes the moderated-out statements, fills each missing vote with its statement's
   mean and finds the first two principal components over every participant;
3. projects each participant from the votes they cast only, scaled by
   sqrt(statements / votes cast) so that people who voted on little are not all
   pulled to the centre (the zeroed moderated-out columns count as cast, as there);
4. runs k-means with k = 100 on the projections of those in the conversation
   ("base clusters"), starting from the previous update's base clusters;
5. runs a k-means weighted by size over the base-cluster centres for
   k = 2..min(5, 2 + bases / 12), each k starting from its previous clustering, and
   scores each by a silhouette over the base-cluster centres;
6. switches to a new best k only after it has won `K_BUFFER` (4) updates in a row.

This module does the same, with the history in a `ClusterState` the caller stores
between recomputes (`as_json` / `from_json`). Differences, each measured in
community/consensus/README.md: the PCA is exact (SVD, Pol.is uses power iteration);
the silhouette weights each base-cluster centre by its members (Pol.is counts each
centre once, which on flat scores picks k = 5 where Pol.is settled on 2);
without history the base clusters start from the first distinct points as in Pol.is,
while the group k-means, where the start matters most, takes the best of several
seeded k-means++ starts; and a clustering that leaves one participant alone in a
group is never chosen (one person is not an opinion group, and it drags every
group-informed consensus figure down to at most about 2/3).
"""

from __future__ import annotations

from collections.abc import Collection, Hashable
from dataclasses import dataclass, field

import numpy as np
from sklearn.cluster import KMeans
from threadpoolctl import threadpool_limits

from .groups import UNCLUSTERED, OpinionGroups, _fit_pca
from .matrix import VoteMatrix

MIN_VOTES = 7
GREEDY_N = 15
BASE_K = 100
MAX_K = 5
K_BUFFER = 4
BASE_ITERS = 100
GROUP_N_INIT = 10
MIN_GROUP = 2


@dataclass
class ClusterState:
    """What one recompute hands to the next: who is in, the clusters and the k smoother."""

    in_conv: list = field(default_factory=list)
    base_centers: list[list[float]] = field(default_factory=list)
    group_centers: dict[int, list[list[float]]] = field(default_factory=dict)
    components: list[list[float]] = field(default_factory=list)
    component_ids: list = field(default_factory=list)
    last_k: int | None = None
    last_k_count: int = 0
    smoothed_k: int | None = None

    def as_json(self) -> dict:
        """A JSON-safe dict (ids as strings) for storing in the database."""
        return {
            "in_conv": [str(p) for p in self.in_conv],
            "base_centers": self.base_centers,
            "group_centers": {str(k): v for k, v in self.group_centers.items()},
            "components": self.components,
            "component_ids": [str(s) for s in self.component_ids],
            "last_k": self.last_k,
            "last_k_count": self.last_k_count,
            "smoothed_k": self.smoothed_k,
        }

    @classmethod
    def from_json(cls, data: dict | None) -> ClusterState:
        """The state stored by `as_json` (ids come back as strings); empty for None."""
        if not data:
            return cls()
        return cls(
            in_conv=list(data.get("in_conv", [])),
            base_centers=[list(c) for c in data.get("base_centers", [])],
            group_centers={int(k): v for k, v in data.get("group_centers", {}).items()},
            components=[list(c) for c in data.get("components", [])],
            component_ids=list(data.get("component_ids", [])),
            last_k=data.get("last_k"),
            last_k_count=int(data.get("last_k_count", 0)),
            smoothed_k=data.get("smoothed_k"),
        )


def in_conversation(
    values: np.ndarray, ids: tuple, previous: Collection[str] = (), min_votes: int = MIN_VOTES
) -> np.ndarray:
    """Pol.is's in-conv mask: enough votes, or in before, topped up to 15 by most votes."""
    n, m = values.shape
    counts = (~np.isnan(values)).sum(axis=1)
    mask = counts >= max(1, min(min_votes, m)) if m else np.zeros(n, dtype=bool)
    if previous:
        before = set(previous)
        mask |= np.fromiter((str(p) in before for p in ids), dtype=bool, count=n)
    if mask.sum() < GREEDY_N:
        order = np.argsort(-counts, kind="stable")
        extra = [i for i in order if not mask[i] and counts[i] > 0][: GREEDY_N - int(mask.sum())]
        mask[extra] = True
    return mask


def sparsity_aware_projection(
    values: np.ndarray, out_columns: np.ndarray, seed: int = 0, previous: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Each participant's 2-D projection from the votes they cast, Pol.is-scaled: (coords, pcs)."""
    n, m = values.shape
    rating = values.copy()
    rating[:, out_columns] = 0.0  # Pol.is zeroes moderated-out columns for everyone
    voted = ~np.isnan(rating)
    n_voted = voted.sum(axis=0)
    means = np.divide(
        np.where(voted, rating, 0.0).sum(axis=0), n_voted, out=np.zeros(m), where=n_voted > 0
    )
    filled = np.where(voted, rating, means)
    coords = np.zeros((n, 2))
    n_comp = min(2, n, m)
    if n_comp < 1 or not np.any(filled != filled[0]):
        return coords, np.zeros((2, m))
    pca = _fit_pca(filled, n_comp, seed)
    pcs = np.zeros((2, m))
    pcs[:n_comp] = pca.components_
    if previous is not None and previous.shape == pcs.shape:
        # The sign of a component is arbitrary: keep the previous one so the map does not flip.
        for c in range(2):
            if float(pcs[c] @ previous[c]) < 0:
                pcs[c] = -pcs[c]
    coords = (filled - pca.mean_) @ pcs.T
    coords *= np.sqrt(m / np.maximum(voted.sum(axis=1), 1))[:, None]
    return coords, pcs


def _first_distinct(points: np.ndarray, k: int) -> np.ndarray:
    """The first k distinct points in order (Pol.is's start for a k-means without history)."""
    _, first = np.unique(np.round(points, 12), axis=0, return_index=True)
    return points[np.sort(first)[:k]]


def _kmeans(points, k, init, weights=None, n_init=1, seed=0, max_iter=BASE_ITERS) -> KMeans:
    return KMeans(n_clusters=k, init=init, n_init=n_init, random_state=seed, max_iter=max_iter).fit(
        points, sample_weight=weights
    )


def base_clusters(points: np.ndarray, previous: list[list[float]]) -> tuple[np.ndarray, np.ndarray]:
    """k-means with up to 100 clusters, from the previous centres when there are some."""
    distinct = len(np.unique(np.round(points, 12), axis=0))
    k = min(BASE_K, distinct)
    if k < 1:
        return np.zeros(len(points), dtype=np.int64), np.zeros((0, 2))
    start = np.asarray(previous, dtype=float).reshape(-1, 2)[:k]
    if len(start) < k:
        fresh = [p for p in _first_distinct(points, len(points)) if not _near(p, start)]
        start = np.vstack([start, np.asarray(fresh)[: k - len(start)]]) if fresh else start
    if len(start) < k or len(np.unique(np.round(start, 12), axis=0)) < k:
        start = _first_distinct(points, k)
    model = _kmeans(points, k, start)
    labels = model.labels_
    used = np.unique(labels)  # drop empty clusters, as Pol.is does
    remap = np.full(k, -1)
    remap[used] = np.arange(len(used))
    return remap[labels], model.cluster_centers_[used]


def _near(point: np.ndarray, centres: np.ndarray) -> bool:
    return bool(len(centres)) and bool(np.any(np.all(np.isclose(centres, point), axis=1)))


def group_clusterings(
    centres: np.ndarray, weights: np.ndarray, previous: dict[int, list], seed: int
) -> dict[int, np.ndarray]:
    """Weighted k-means of the base-cluster centres for each k Pol.is tries: {k: labels}."""
    n = len(centres)
    distinct = len(np.unique(np.round(centres, 12), axis=0))
    top = min(MAX_K, 2 + n // 12, distinct)
    out: dict[int, np.ndarray] = {}
    for k in range(2, top + 1):
        start = np.asarray(previous.get(k, []), dtype=float).reshape(-1, 2)
        if len(start) == k:
            model = _kmeans(centres, k, start, weights)
        else:
            model = _kmeans(centres, k, "k-means++", weights, n_init=GROUP_N_INIT, seed=seed)
        if len(np.unique(model.labels_)) == k:
            out[k] = model.labels_
    return out


def choose_k(
    centres: np.ndarray, clusterings: dict[int, np.ndarray], sizes: np.ndarray
) -> tuple[int | None, dict[int, float]]:
    """The k with the best silhouette of the people (each at its base centre), no group of one."""
    scores: dict[int, float] = {}
    for k, labels in clusterings.items():
        people = np.bincount(labels, weights=sizes, minlength=k)
        if people.min() < MIN_GROUP:
            continue
        scores[k] = weighted_silhouette(centres, labels, sizes)
    if not scores:
        return None, scores
    return max(scores, key=lambda k: (scores[k], -k)), scores


def smooth_k(state: ClusterState, this_k: int) -> int:
    """Pol.is's k smoother: a new k is taken only after winning K_BUFFER updates in a row."""
    same = state.last_k is not None and this_k == state.last_k
    state.last_k_count = state.last_k_count + 1 if same else 1
    state.last_k = this_k
    if state.last_k_count >= K_BUFFER or state.smoothed_k is None:
        state.smoothed_k = this_k
    return state.smoothed_k


def polis_opinion_groups(
    matrix: VoteMatrix,
    *,
    moderated_out: Collection[Hashable] = (),
    state: ClusterState | None = None,
    seed: int = 0,
) -> tuple[OpinionGroups, ClusterState]:
    """Opinion groups as Pol.is would give them after this update, and the state for the next."""
    with threadpool_limits(limits=1):
        return _polis_groups(matrix, set(moderated_out), state or ClusterState(), seed)


def _polis_groups(matrix, moderated_out, previous: ClusterState, seed):
    values = matrix.values
    ids = matrix.participant_ids
    n, m = values.shape
    out_columns = np.array([sid in moderated_out for sid in matrix.statement_ids], dtype=bool)
    state = ClusterState(
        last_k=previous.last_k,
        last_k_count=previous.last_k_count,
        smoothed_k=previous.smoothed_k,
    )
    eligible = in_conversation(values, ids, previous.in_conv) if n else np.zeros(0, dtype=bool)
    prior_pcs = _aligned_components(previous, matrix.statement_ids)
    coords, pcs = sparsity_aware_projection(values, out_columns, seed, prior_pcs)
    state.components = pcs.tolist()
    state.component_ids = list(matrix.statement_ids)
    state.in_conv = [str(p) for p, e in zip(ids, eligible, strict=True) if e]
    labels = np.full(n, UNCLUSTERED, dtype=np.int64)
    points = coords[eligible]
    if len(points) == 0:
        return OpinionGroups(labels, coords, 0, float("nan"), eligible, {}, ids), state
    base_labels, centres = base_clusters(points, previous.base_centers)
    state.base_centers = centres.tolist()
    sizes = np.bincount(base_labels, minlength=len(centres)).astype(float)
    clusterings = group_clusterings(centres, sizes, previous.group_centers, seed)
    best, scores = choose_k(centres, clusterings, sizes)
    if best is None:
        labels[eligible] = 0
        return OpinionGroups(labels, coords, 1, float("nan"), eligible, scores, ids), state
    k = smooth_k(state, best)
    if k not in scores:  # the carried k is no longer possible (or has a group of one)
        k = best
        state.smoothed_k = best
    for kk, lab in clusterings.items():
        state.group_centers[kk] = _centres(centres, sizes, lab, kk).tolist()
    group_of_base = clusterings[k]
    if k not in previous.group_centers:
        group_of_base = _by_size(group_of_base, sizes, _first_rows(base_labels, len(centres)))
        state.group_centers[k] = _centres(centres, sizes, group_of_base, k).tolist()
    labels[eligible] = group_of_base[base_labels]
    return OpinionGroups(labels, coords, k, scores[k], eligible, scores, ids), state


def _centres(centres, sizes, labels, k) -> np.ndarray:
    return np.array(
        [np.average(centres[labels == g], axis=0, weights=sizes[labels == g]) for g in range(k)]
    )


def _first_rows(base_labels: np.ndarray, k: int) -> np.ndarray:
    """Each base cluster's first row (the earliest participant in it; rows are in
    participant order), or the number of rows for an empty one."""
    first = np.full(k, len(base_labels), dtype=np.int64)
    np.minimum.at(first, base_labels, np.arange(len(base_labels)))
    return first


def _by_size(labels: np.ndarray, sizes: np.ndarray, first_rows: np.ndarray) -> np.ndarray:
    """Groups numbered by size, largest first; equal sizes by their earliest participant,
    so the numbering never depends on k-means' arbitrary labels (only when there is no
    earlier numbering)."""
    people = np.bincount(labels, weights=sizes)
    earliest = np.full(len(people), len(first_rows), dtype=np.int64)
    np.minimum.at(earliest, labels, first_rows)
    order = np.lexsort((earliest, -people))
    remap = np.empty_like(order)
    remap[order] = np.arange(len(order))
    return remap[labels]


def _aligned_components(state: ClusterState, statement_ids: tuple) -> np.ndarray | None:
    """The previous components laid out on today's statements (new statements get 0)."""
    if not state.components:
        return None
    where = {str(s): j for j, s in enumerate(statement_ids)}
    out = np.zeros((2, len(statement_ids)))
    for j, sid in enumerate(state.component_ids):
        col = where.get(str(sid))
        if col is not None:
            out[:, col] = [state.components[0][j], state.components[1][j]]
    return out


def weighted_silhouette(centres: np.ndarray, labels: np.ndarray, sizes: np.ndarray) -> float:
    """The silhouette of the participants, each placed at its base-cluster centre.

    Pol.is averages the silhouette of the base-cluster centres, each counting once
    however many people it holds; weighting each centre by its members scores the
    grouping of people instead (see README: it is what keeps brexit-consensus at k = 2-3).
    A participant alone in a group scores 0, as in the usual silhouette.
    """
    d = np.sqrt(((centres[:, None, :] - centres[None, :, :]) ** 2).sum(-1))
    k = labels.max() + 1
    onehot = np.zeros((len(centres), k))
    onehot[np.arange(len(centres)), labels] = sizes
    tot = d @ onehot  # summed distance to members of each group
    counts = onehot.sum(0)
    own = counts[labels] - 1
    a = np.divide(
        tot[np.arange(len(centres)), labels], own, out=np.zeros(len(centres)), where=own > 0
    )
    other = np.where(np.arange(k)[None, :] == labels[:, None], np.inf, tot / counts[None, :])
    b = other.min(1)
    sil = np.where(own > 0, (b - a) / np.maximum(np.maximum(a, b), 1e-12), 0.0)
    return float(np.average(sil, weights=sizes))
