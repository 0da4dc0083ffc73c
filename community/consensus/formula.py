"""The two formulas the public pages need, in plain Python: no NumPy.

A web worker shows figures; it does not cluster anyone. Survey items' consensus across
declared groups (community/insights) and confidence intervals need only these two
formulas over counts, so serving pages never loads NumPy (about 15 MB in each gunicorn
worker, issue 15). The vectorised forms in ``consensus`` and ``counts`` apply the same
formulas to whole matrices, for the opinion groups the job worker computes; a test keeps
the two forms equal.
"""

from __future__ import annotations

import math
from collections.abc import Iterable


def informed_consensus(groups: Iterable[tuple[int, int]]) -> float:
    """Group-informed consensus from (agree, votes) per group, in the groups' key order:
    the product of (A_g + 1) / (S_g + 2), as in ``consensus.consensus_from_group_votes``
    (pass disagree counts for the disagree side). NaN when there is no group."""
    value = math.nan
    for agree, votes in groups:
        value = (1.0 if math.isnan(value) else value) * ((agree + 1.0) / (votes + 2.0))
    return value


def wilson(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval (low, high) for successes/n; (0, 1) where n is 0."""
    if successes < 0 or successes > n:
        raise ValueError("successes must lie between 0 and n")
    if n <= 0:
        return 0.0, 1.0
    p = successes / n
    z2 = z * z
    denom = 1.0 + z2 / n
    centre = (p + z2 / (2.0 * n)) / denom
    half = z * math.sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n)) / denom
    return min(max(centre - half, 0.0), 1.0), min(max(centre + half, 0.0), 1.0)
