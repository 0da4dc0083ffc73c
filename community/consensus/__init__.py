"""The consensus maths: Pol.is-style opinion groups, consensus and representativeness.

Pure functions over NumPy arrays: no Flask, no database and no other part of the
app (an import-linter contract keeps it so). Votes are agree = 1, disagree = -1,
pass = 0, and NaN in a matrix means "not voted".

- `matrix`: `VoteMatrix`, the latest vote per participant and statement.
- `formula`: the two formulas pages need (informed consensus, Wilson), plain Python.
- `counts`: agree/disagree/pass counts and shares per statement; `wilson_interval`.
- `groups`: `opinion_groups` (PCA to 2-D, k-means, k = 2..5 by silhouette).
- `polis_groups`: `polis_opinion_groups`, Pol.is's pipeline (base clusters, k carried
  between recomputes); what the app uses (see README.md here for each choice).
- `consensus`: `group_informed_consensus`, the product over groups of (A+1)/(S+2).
- `repness`: Pol.is representativeness, its z-tests and representative statements.
- `majority`: statements most voters agree or disagree with.
- `polis_io`: read and write Pol.is export folders.
- `synthetic`: generated conversations with planted groups (tests, benchmarks).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .consensus import (
        GroupConsensus,
        GroupVotes,
        consensus_from_group_votes,
        encode_groups,
        group_informed_consensus,
        group_votes,
    )
    from .counts import (
        StatementCounts,
        participant_counts,
        statement_counts,
        wilson_interval,
    )
    from .formula import (
        informed_consensus,
        wilson,
    )
    from .groups import (
        UNCLUSTERED,
        OpinionGroups,
        eligible_participants,
        opinion_groups,
    )
    from .majority import (
        ConsensusStatement,
        MajorityStatement,
        majority_statements,
        polis_consensus_statements,
    )
    from .matrix import (
        AGREE,
        DISAGREE,
        PASS,
        VoteEvent,
        VoteMatrix,
        vote_values,
    )
    from .polis_io import (
        PolisComment,
        PolisExport,
        read_polis_export,
        write_polis_export,
    )
    from .repness import (
        RepnessStats,
        RepresentativeStatement,
        prop_test,
        repness_from_group_votes,
        repness_stats,
        representative_statements,
        two_prop_test,
        z_sig_90,
    )

#: Where each name lives. Each module is imported on first use of one of its names:
#: most need NumPy (about 15 MB), ``groups`` scikit-learn and SciPy (about 100 MB), and
#: a web worker serving pages needs only ``formula`` (tests/main/test_weight.py).
_WHERE = {
    "AGREE": "matrix",
    "consensus_from_group_votes": "consensus",
    "ConsensusStatement": "majority",
    "DISAGREE": "matrix",
    "eligible_participants": "groups",
    "encode_groups": "consensus",
    "group_informed_consensus": "consensus",
    "group_votes": "consensus",
    "GroupConsensus": "consensus",
    "GroupVotes": "consensus",
    "informed_consensus": "formula",
    "majority_statements": "majority",
    "MajorityStatement": "majority",
    "opinion_groups": "groups",
    "OpinionGroups": "groups",
    "participant_counts": "counts",
    "PASS": "matrix",
    "polis_consensus_statements": "majority",
    "PolisComment": "polis_io",
    "PolisExport": "polis_io",
    "prop_test": "repness",
    "read_polis_export": "polis_io",
    "repness_from_group_votes": "repness",
    "repness_stats": "repness",
    "RepnessStats": "repness",
    "representative_statements": "repness",
    "RepresentativeStatement": "repness",
    "statement_counts": "counts",
    "StatementCounts": "counts",
    "two_prop_test": "repness",
    "UNCLUSTERED": "groups",
    "vote_values": "matrix",
    "VoteEvent": "matrix",
    "VoteMatrix": "matrix",
    "wilson": "formula",
    "wilson_interval": "counts",
    "write_polis_export": "polis_io",
    "z_sig_90": "repness",
}

__all__ = [
    "AGREE",
    "ConsensusStatement",
    "DISAGREE",
    "GroupConsensus",
    "GroupVotes",
    "MajorityStatement",
    "OpinionGroups",
    "PASS",
    "PolisComment",
    "PolisExport",
    "RepnessStats",
    "RepresentativeStatement",
    "StatementCounts",
    "UNCLUSTERED",
    "VoteEvent",
    "VoteMatrix",
    "consensus_from_group_votes",
    "eligible_participants",
    "encode_groups",
    "group_informed_consensus",
    "group_votes",
    "informed_consensus",
    "majority_statements",
    "opinion_groups",
    "participant_counts",
    "polis_consensus_statements",
    "prop_test",
    "read_polis_export",
    "repness_from_group_votes",
    "repness_stats",
    "representative_statements",
    "statement_counts",
    "two_prop_test",
    "vote_values",
    "wilson",
    "wilson_interval",
    "write_polis_export",
    "z_sig_90",
]


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{module}", __name__), name)
