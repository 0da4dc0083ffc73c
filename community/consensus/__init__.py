"""The consensus maths: Pol.is-style opinion groups, consensus and representativeness.

Pure functions over NumPy arrays: no Flask, no database and no other part of the
app (an import-linter contract keeps it so). Votes are agree = 1, disagree = -1,
pass = 0, and NaN in a matrix means "not voted".

- `matrix`: `VoteMatrix`, the latest vote per participant and statement.
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

from .consensus import (
    GroupConsensus,
    GroupVotes,
    consensus_from_group_votes,
    encode_groups,
    group_informed_consensus,
    group_votes,
)
from .counts import StatementCounts, participant_counts, statement_counts, wilson_interval
from .majority import (
    ConsensusStatement,
    MajorityStatement,
    majority_statements,
    polis_consensus_statements,
)
from .matrix import AGREE, DISAGREE, PASS, VoteEvent, VoteMatrix, vote_values
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

__all__ = [
    "AGREE",
    "DISAGREE",
    "PASS",
    "UNCLUSTERED",
    "ConsensusStatement",
    "GroupConsensus",
    "GroupVotes",
    "MajorityStatement",
    "OpinionGroups",
    "PolisComment",
    "PolisExport",
    "RepnessStats",
    "RepresentativeStatement",
    "StatementCounts",
    "VoteEvent",
    "VoteMatrix",
    "consensus_from_group_votes",
    "eligible_participants",
    "encode_groups",
    "group_informed_consensus",
    "group_votes",
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
    "wilson_interval",
    "write_polis_export",
    "z_sig_90",
]

#: Names from ``groups``, imported on first use: it needs scikit-learn and SciPy
#: (about 100 MB in each process), which only the recompute job and the CLI use, so
#: a web worker serving pages never loads them (tests/main/test_weight.py).
_FROM_GROUPS = ("UNCLUSTERED", "OpinionGroups", "eligible_participants", "opinion_groups")


def __getattr__(name: str):
    if name in _FROM_GROUPS:
        from . import groups

        return getattr(groups, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
