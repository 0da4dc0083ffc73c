"""Representativeness ("repness") of statements for opinion groups, as in Pol.is.

For group g and a statement, with A, D, S the agree, disagree and all votes (passes
included) inside the group and A', D', S' those of every other group together:

    p_agree = (A + 1) / (S + 2)          ra = p_agree / ((A' + 1) / (S' + 2))
    pat = prop_test(A, S)                rat = two_prop_test(A, A', S, S')

and the same with D for disagreement. Pol.is's tests add one pseudo-count to every
input: prop_test(k, n) = 2 * sqrt(n + 1) * ((k + 1) / (n + 1) - 1/2), and
two_prop_test is the pooled two-proportion z statistic on (k_in + 1, k_out + 1,
n_in + 1, n_out + 1), 0 when the pooled share is 1. A z is significant at 90%
(one-sided) when it is above 1.2816. A statement represents a group when both its
tests pass, for agree or for disagree; the representative statements of a group are
ranked by Pol.is's metric repness * repness_test * p_success * p_test, at most five,
agrees listed before disagrees. Like Pol.is, the group's "best agreed" statement (by
p_agree * pat, times ra * rat once the best so far has ra > 1) goes first even when
not significant (`best_agree=False` turns that off), and a group with nothing
significant still gets its statement with the biggest two-proportion z. Unlike Pol.is,
the best agreed statement is always reported on the agree side.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from .consensus import GroupVotes, group_votes
from .matrix import VoteMatrix

Z_90 = 1.2816
MAX_REPRESENTATIVE = 5


def prop_test(successes, n):
    """Pol.is one-proportion z for share > 1/2: 2*sqrt(n+1)*((k+1)/(n+1) - 0.5)."""
    k = np.asarray(successes, dtype=float) + 1.0
    m = np.asarray(n, dtype=float) + 1.0
    z = 2.0 * np.sqrt(m) * (k / m - 0.5)
    return float(z) if z.ndim == 0 else z


def two_prop_test(successes_in, successes_out, n_in, n_out):
    """Pol.is two-proportion z (in-group share > out-group share), +1 on every count."""
    k1 = np.asarray(successes_in, dtype=float) + 1.0
    k2 = np.asarray(successes_out, dtype=float) + 1.0
    n1 = np.asarray(n_in, dtype=float) + 1.0
    n2 = np.asarray(n_out, dtype=float) + 1.0
    pooled = (k1 + k2) / (n1 + n2)
    spread = pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)
    safe = np.where(spread > 0, spread, 1.0)
    z = np.where(pooled >= 1.0, 0.0, (k1 / n1 - k2 / n2) / np.sqrt(safe))
    return float(z) if z.ndim == 0 else z


def z_sig_90(z):
    """True where a one-sided z statistic is significant at 90% (z > 1.2816, as Pol.is)."""
    out = np.asarray(z) > Z_90
    return bool(out) if out.ndim == 0 else out


@dataclass(frozen=True, eq=False)
class RepnessStats:
    """Pol.is repness statistics; every array has shape (groups, statements)."""

    groups: tuple
    statement_ids: tuple
    n_agree: np.ndarray
    n_disagree: np.ndarray
    n_votes: np.ndarray
    p_agree: np.ndarray
    p_disagree: np.ndarray
    p_agree_test: np.ndarray
    p_disagree_test: np.ndarray
    ra: np.ndarray
    rd: np.ndarray
    ra_test: np.ndarray
    rd_test: np.ndarray


def repness_from_group_votes(counts: GroupVotes) -> RepnessStats:
    """Repness statistics from per-group counts (out-group = all other groups together)."""
    a, d, s = (x.astype(float) for x in (counts.agree, counts.disagree, counts.votes))
    a_out, d_out, s_out = (x.sum(axis=0) - x for x in (a, d, s))
    p_agree = (a + 1.0) / (s + 2.0)
    p_disagree = (d + 1.0) / (s + 2.0)
    ids = counts.statement_ids or tuple(range(a.shape[1]))
    return RepnessStats(
        groups=counts.groups,
        statement_ids=tuple(ids),
        n_agree=counts.agree,
        n_disagree=counts.disagree,
        n_votes=counts.votes,
        p_agree=p_agree,
        p_disagree=p_disagree,
        p_agree_test=np.asarray(prop_test(a, s)),
        p_disagree_test=np.asarray(prop_test(d, s)),
        ra=p_agree / ((a_out + 1.0) / (s_out + 2.0)),
        rd=p_disagree / ((d_out + 1.0) / (s_out + 2.0)),
        ra_test=np.asarray(two_prop_test(a, a_out, s, s_out)),
        rd_test=np.asarray(two_prop_test(d, d_out, s, s_out)),
    )


def repness_stats(
    matrix: VoteMatrix | np.ndarray,
    labels: Sequence[Hashable] | Mapping[Hashable, Hashable] | np.ndarray,
) -> RepnessStats:
    """Pol.is repness statistics for every group and statement."""
    return repness_from_group_votes(group_votes(matrix, labels))


@dataclass(frozen=True)
class RepresentativeStatement:
    """A statement chosen to represent a group, with the side ("agree"/"disagree") it shows."""

    statement_id: Hashable
    repful_for: str
    n_success: int
    n_trials: int
    p_success: float
    p_test: float
    repness: float
    repness_test: float
    best_agree: bool = False

    @property
    def metric(self) -> float:
        """Pol.is's ranking metric: repness * repness_test * p_success * p_test."""
        return self.repness * self.repness_test * self.p_success * self.p_test


_FIELDS = (
    "n_agree",
    "n_disagree",
    "n_votes",
    "p_agree",
    "p_disagree",
    "p_agree_test",
    "p_disagree_test",
    "ra",
    "rd",
    "ra_test",
    "rd_test",
)


def _group_rows(stats: RepnessStats, g: int) -> dict[str, list[float]]:
    """One group's statistics as lists of plain floats (one NumPy conversion per field)."""
    return {name: [float(x) for x in getattr(stats, name)[g].tolist()] for name in _FIELDS}


def _cell(stats: RepnessStats, g: int, j: int, rows: dict | None = None) -> dict[str, float]:
    """The statistics of one group and statement as plain floats."""
    if rows is not None:
        return {name: rows[name][j] for name in _FIELDS}
    return {name: float(getattr(stats, name)[g, j]) for name in _FIELDS}


def _finalise(
    stats: RepnessStats, g: int, j: int, side: str | None = None, rows: dict | None = None
) -> RepresentativeStatement:
    """The statement on one side (by default agree unless the disagree z is at least as big)."""
    c = _cell(stats, g, j, rows)
    if side is None:
        side = "agree" if c["ra_test"] > c["rd_test"] else "disagree"
    key = "a" if side == "agree" else "d"
    return RepresentativeStatement(
        statement_id=stats.statement_ids[j],
        repful_for=side,
        n_success=int(c[f"n_{side}"]),
        n_trials=int(c["n_votes"]),
        p_success=c[f"p_{side}"],
        p_test=c[f"p_{side}_test"],
        repness=c[f"r{key}"],
        repness_test=c[f"r{key}_test"],
    )


def _passes(c: dict[str, float]) -> bool:
    """Both tests significant, for agree or for disagree."""
    agree = z_sig_90(c["ra_test"]) and z_sig_90(c["p_agree_test"])
    return agree or (z_sig_90(c["rd_test"]) and z_sig_90(c["p_disagree_test"]))


def _agree_score(c: dict[str, float], with_repness: bool) -> float:
    """The quantity Pol.is maximises when keeping its best agreed statement."""
    score = c["p_agree"] * c["p_agree_test"]
    return score * c["ra"] * c["ra_test"] if with_repness else score


def _beats_best_agree(c: dict[str, float], best: dict[str, float] | None) -> bool:
    """Pol.is's rule for replacing the best agreed statement of a group."""
    if c["n_agree"] == 0 and c["n_disagree"] == 0:
        return False
    if best is not None and best["ra"] > 1.0:
        return _agree_score(c, True) > _agree_score(best, True)
    if best is not None:
        return _agree_score(c, False) > _agree_score(best, False)
    return z_sig_90(c["p_agree_test"]) or (c["ra"] > 1.0 and c["p_agree"] > 0.5)


def _select_for_group(
    stats: RepnessStats, g: int, columns: list[int], max_n: int, with_best_agree: bool
) -> list[RepresentativeStatement]:
    """Representative statements of one group, Pol.is's selection rules."""
    sufficient: list[RepresentativeStatement] = []
    best: RepresentativeStatement | None = None
    best_agree: tuple[int, dict[str, float]] | None = None
    rows = _group_rows(stats, g)
    for j in columns:
        c = _cell(stats, g, j, rows)
        if _passes(c):
            sufficient.append(_finalise(stats, g, j, rows=rows))
        if not sufficient and (best is None or max(c["ra_test"], c["rd_test"]) > best.repness_test):
            best = _finalise(stats, g, j, rows=rows)
        if with_best_agree and _beats_best_agree(c, None if best_agree is None else best_agree[1]):
            best_agree = (j, c)
    head: list[RepresentativeStatement] = []
    if best_agree is not None:
        # Pol.is finalises this one like the others and may label it "disagree"; it is
        # chosen for its agreement, so it is always reported on the agree side here.
        head = [replace(_finalise(stats, g, best_agree[0], "agree", rows), best_agree=True)]
    if not sufficient:
        return head or ([best] if best is not None else [])
    head_ids = {rep.statement_id for rep in head}
    ranked = sorted(
        (rep for rep in sufficient if rep.statement_id not in head_ids), key=lambda r: -r.metric
    )
    chosen = (head + ranked)[:max_n]
    return [r for r in chosen if r.repful_for == "agree"] + [
        r for r in chosen if r.repful_for != "agree"
    ]


def representative_statements(
    stats: RepnessStats,
    max_per_group: int = MAX_REPRESENTATIVE,
    exclude: Sequence = (),
    *,
    best_agree: bool = True,
) -> dict[Hashable, list[RepresentativeStatement]]:
    """Up to max_per_group representative statements per group, chosen as Pol.is does."""
    excluded = set(exclude)
    columns = [j for j, sid in enumerate(stats.statement_ids) if sid not in excluded]
    return {
        key: _select_for_group(stats, g, columns, max_per_group, best_agree)
        for g, key in enumerate(stats.groups)
    }
