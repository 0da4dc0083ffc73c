"""Groups and consensus for a conversation, computed in the background and stored.

The maths lives in community.consensus (pure NumPy); this module only reads the
votes from the database, calls it, and stores a JSON summary the pages read.
"""

from __future__ import annotations

import logging

import numpy as np
from sqlalchemy import func, select

from ..consensus import (
    VoteMatrix,
    group_informed_consensus,
    polis_consensus_statements,
    repness_stats,
    representative_statements,
    statement_counts,
    wilson_interval,
)
from ..contributions.models import ContributionStatus
from ..extensions import db
from ..models_base import utcnow
from .models import Conversation, Participant, Statement

log = logging.getLogger(__name__)


#: Statements a moderator took out: Pol.is's moderated = -1.
MODERATED_OUT = (ContributionStatus.REJECTED, ContributionStatus.HIDDEN)


def load_matrix(conversation_id: int) -> tuple[VoteMatrix, set[int]]:
    """The vote matrix of published and moderated-out statements, and the moderated-out ids.

    Statements still waiting for a moderator (or withdrawn) are left out. Moderated-out
    statements stay in the matrix because Pol.is counts votes on them when deciding who
    is clustered, and officers see their counts; they take no part in consensus.
    """
    rows = db.session.execute(
        select(Statement.id, Statement.status)
        .where(
            Statement.conversation_id == conversation_id,
            Statement.status.in_((ContributionStatus.PUBLISHED, *MODERATED_OUT)),
        )
        .order_by(Statement.id)
    ).all()
    statement_ids = [sid for sid, _status in rows]
    moderated_out = {sid for sid, status in rows if status in MODERATED_OUT}
    pids, sids, values = _vote_columns(conversation_id, statement_ids)
    matrix = VoteMatrix.from_arrays(pids, sids, values, statement_ids=statement_ids)
    return matrix, moderated_out


#: Votes are read as one packed integer per vote: participant << 33 | statement << 2 | value + 1.
_PACKED_VOTES = (
    "SELECT v.participant_id * 8589934592 + v.statement_id * 4 + v.value + 1 "
    "FROM conversation_votes v JOIN statements s ON s.id = v.statement_id "
    "WHERE s.conversation_id = %s"
)
_PLAIN_VOTES = (
    "SELECT v.participant_id, v.statement_id, v.value "
    "FROM conversation_votes v JOIN statements s ON s.id = v.statement_id "
    "WHERE s.conversation_id = %s"
)
_PACKABLE = 1 << 30


def _vote_columns(
    conversation_id: int, statement_ids: list[int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Participant, statement and value columns of the votes on these statements.

    One query through the driver's own cursor, no SQLAlchemy row or ORM object per vote:
    each vote comes back as a single integer (participant, statement and value packed
    into 64 bits), which both drivers hand over several times faster than three
    columns, and NumPy unpacks at once. Ids too large to pack fall back to three columns.
    """
    empty = (np.array([], dtype=np.int64),) * 2 + (np.array([], dtype=float),)
    if not statement_ids:
        return empty
    connection = db.session.connection()
    top = db.session.scalar(
        select(func.max(Participant.id)).where(Participant.conversation_id == conversation_id)
    )
    packed = (top or 0) < _PACKABLE and max(statement_ids) < (1 << 31)
    sql = _PACKED_VOTES if packed else _PLAIN_VOTES
    if connection.dialect.name == "sqlite":
        sql = sql.replace("%s", "?")
    cursor = connection.connection.driver_connection.cursor()
    try:
        cursor.execute(sql, (conversation_id,))
        rows = cursor.fetchall()
    finally:
        cursor.close()
    if not rows:
        return empty
    if packed:
        cells = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        pids, sids, values = cells >> 33, (cells >> 2) & 0x7FFFFFFF, (cells & 3) - 1
    else:
        table = np.array(rows, dtype=np.int64)
        pids, sids, values = table[:, 0], table[:, 1], table[:, 2]
    keep = np.isin(sids, np.asarray(statement_ids, dtype=np.int64))
    return pids[keep], sids[keep], values[keep].astype(float)


def compute(conversation: Conversation) -> dict:
    """Counts, opinion groups, group-informed consensus and representative statements.

    Groups follow Pol.is (community/consensus/polis_groups.py), carrying the previous
    recompute's clusters and k in `conversation.cluster_state`; the new state is set on
    the conversation here. Everything else is computed over published statements only.
    """
    # Imported here: scikit-learn (about 100 MB) is loaded only by the process that
    # recomputes, never by a web worker serving pages (tests/main/test_weight.py).
    from ..consensus.polis_groups import ClusterState, polis_opinion_groups

    everything, moderated_out = load_matrix(conversation.id)
    state = ClusterState.from_json(conversation.cluster_state)
    groups, new_state = polis_opinion_groups(
        everything, moderated_out=moderated_out, state=state, seed=conversation.id
    )
    conversation.cluster_state = new_state.as_json()
    return summarise(everything, moderated_out, groups.labels, groups.coordinates, groups.k)


def summarise(
    everything: VoteMatrix, moderated_out: set, labels: np.ndarray, coordinates, k: int
) -> dict:
    """The stored results for a matrix, its moderated-out statements and group labels."""
    matrix = everything.without_statements(moderated_out)
    counts = statement_counts(matrix)
    clustered = [g for g in sorted(set(labels.tolist())) if g >= 0]
    consensus = group_informed_consensus(matrix, labels) if clustered else None
    members = {g: np.flatnonzero(labels == g) for g in clustered}
    per_group = {g: statement_counts(matrix, rows=members[g]) for g in clustered}
    representative = (
        representative_statements(repness_stats(matrix, labels)) if len(clustered) > 1 else {}
    )
    statements = {}
    wilson = wilson_interval(counts.agree, counts.votes)
    for j, sid in enumerate(matrix.statement_ids):
        statements[str(sid)] = _statement_entry(j, counts, per_group, clustered, consensus, wilson)
    out_counts = statement_counts(everything)
    out_wilson = wilson_interval(out_counts.agree, out_counts.votes)
    for j, sid in enumerate(everything.statement_ids):
        if sid in moderated_out:
            entry = _statement_entry(j, out_counts, {}, [], None, out_wilson)
            entry["moderated_out"] = True
            statements[str(sid)] = entry
    majority = polis_consensus_statements(matrix)
    return {
        "participants": int(matrix.shape[0]),
        "votes": int(np.count_nonzero(~np.isnan(matrix.values))),
        "k": int(k) if clustered else 0,
        "groups": {str(g): int(len(members[g])) for g in clustered},
        "membership": {
            str(pid): (None if lab < 0 else int(lab))
            for pid, lab in zip(matrix.participant_ids, labels.tolist(), strict=True)
        },
        "map": {
            str(pid): [round(float(x), 4), round(float(y), 4)]
            for pid, (x, y), lab in zip(
                matrix.participant_ids, coordinates.tolist(), labels.tolist(), strict=True
            )
            if lab >= 0
        },
        "statements": statements,
        "representative": {
            str(g): [
                {
                    "statement": int(r.statement_id),
                    "side": r.repful_for,
                    "share": float(r.p_success),
                }
                for r in reps
            ]
            for g, reps in representative.items()
        },
        "majority": [
            {
                "statement": int(c.statement_id),
                "side": side,
                "share": c.n_success / c.n_trials if c.n_trials else 0.0,
                "p": float(c.p_success),
                "test": float(c.p_test),
            }
            for side in ("agree", "disagree")
            for c in majority[side]
        ],
    }


def _statement_entry(j, counts, per_group, clustered, consensus, wilson) -> dict:
    """Counts, shares and consensus of one statement (column j); wilson: (low, high) arrays."""
    agree, disagree, passes = (
        int(counts.agree[j]),
        int(counts.disagree[j]),
        int(counts.passes[j]),
    )
    total = agree + disagree + passes
    shares = [
        per_group[g].agree[j]
        / max(per_group[g].agree[j] + per_group[g].disagree[j] + per_group[g].passes[j], 1)
        for g in clustered
    ]
    low, high = (wilson[0][j], wilson[1][j]) if total else (0.0, 0.0)
    return {
        "agree": agree,
        "disagree": disagree,
        "pass": passes,
        "votes": total,
        "agree_share": agree / total if total else 0.0,
        "pass_share": passes / total if total else 0.0,
        "agree_low": float(low),
        "agree_high": float(high),
        "consensus_agree": float(consensus.agree[j]) if consensus is not None else None,
        "consensus_disagree": float(consensus.disagree[j]) if consensus is not None else None,
        "divisiveness": float(max(shares) - min(shares)) if len(shares) > 1 else 0.0,
        "groups": {
            str(g): {
                "agree": int(per_group[g].agree[j]),
                "disagree": int(per_group[g].disagree[j]),
                "pass": int(per_group[g].passes[j]),
            }
            for g in clustered
        },
    }


def recompute(conversation: Conversation) -> None:
    """Recompute now (an officer's button, the demo): the caller commits."""
    store(conversation)
    conversation.stale = False


def store(conversation: Conversation) -> None:
    """Compute and keep the results (the caller commits)."""
    conversation.results = compute(conversation)
    conversation.results_computed_at = utcnow()
