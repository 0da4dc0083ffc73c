"""Analyse a Pol.is export without storing it: counts, groups, consensus, repness.

For analysts who bring Pol.is exports from elsewhere (`flask conversations analyse`).
The same maths as a stored conversation's results: groups by `polis_opinion_groups`
(or Pol.is's own `group-id` labels), group-informed consensus over every statement,
representative statements and Pol.is's majority rule over statements not moderated out.
"""

from __future__ import annotations

import time
from collections.abc import Hashable

import numpy as np

from .consensus import group_informed_consensus
from .counts import statement_counts
from .majority import polis_consensus_statements
from .polis_groups import polis_opinion_groups
from .polis_io import PolisExport
from .repness import repness_stats, representative_statements


def analyse_export(export: PolisExport, *, groups_from_export: bool = False, seed: int = 0) -> dict:
    """The analysis as a JSON-safe dict (ids as strings), with its runtime in seconds."""
    started = time.perf_counter()
    matrix = export.vote_matrix()
    out = export.moderated_out
    if groups_from_export:
        labels = np.array(
            [_label(export.group_labels.get(pid)) for pid in matrix.participant_ids],
            dtype=np.int64,
        )
    else:
        labels = polis_opinion_groups(matrix, moderated_out=out, seed=seed)[0].labels
    counts = statement_counts(matrix)
    clustered = bool((labels >= 0).any())
    gic = group_informed_consensus(matrix, labels) if clustered else None
    kept = matrix.without_statements(out)
    repness = {}
    if len(set(labels[labels >= 0].tolist())) > 1:
        repness = representative_statements(repness_stats(kept, labels))
    majority = polis_consensus_statements(kept)
    return {
        "per_comment": {
            str(sid): {
                "agree": int(counts.agree[j]),
                "disagree": int(counts.disagree[j]),
                "pass": int(counts.passes[j]),
                "gic": None if gic is None else float(gic.agree[j]),
            }
            for j, sid in enumerate(matrix.statement_ids)
        },
        "participant_groups": {
            str(pid): None if lab < 0 else int(lab)
            for pid, lab in zip(matrix.participant_ids, labels.tolist(), strict=True)
        },
        "repness": {
            str(g): [_json_id(r.statement_id) for r in reps] for g, reps in repness.items()
        },
        "majority_consensus": {
            side: [_json_id(c.statement_id) for c in majority[side]]
            for side in ("agree", "disagree")
        },
        "runtime_s": round(time.perf_counter() - started, 3),
    }


def _label(group: int | None) -> int:
    return -1 if group is None else int(group)


def _json_id(sid: Hashable) -> int | str:
    return sid if isinstance(sid, int) else str(sid)
