"""A conversation's stored results, decoded once per recompute and kept in the process.

The results are JSON written by the background recompute (about 90 KB at 1,000
participants x 100 statements); decoding them took 2.2 ms of every voting and results
page. They change only when ``results_computed_at`` does (``results.recompute``), so
that is the cache key; pages load the conversation with the column deferred and read it
only on a miss. The dict is shared between requests: read it, never change it.

Pages read them here, never through ``results`` (which computes them, with NumPy and
scikit-learn: a web worker serving pages does not load those, issue 15).
"""

from __future__ import annotations

from ..extensions import db
from ..insights.cache import figures as figure_cache
from .models import Conversation


def key(conversation: Conversation) -> tuple | None:
    """The version of a conversation's stored results, for what is kept computed from
    them (None before the first recompute)."""
    if conversation.results_computed_at is None:
        return None
    return (
        str(db.engine.url),
        conversation.id,
        # SQLite can give a deleted conversation's id to a new one.
        str(conversation.created_at),
        str(conversation.results_computed_at),
    )


def results(conversation: Conversation) -> dict:
    """The stored results ({} before the first recompute), read-only."""
    version = key(conversation)
    if version is None:
        return conversation.results or {}
    return figure_cache.get(("conversation-results", *version), lambda: conversation.results or {})


def where_i_stand(conversation: Conversation, participant_id: int | None) -> dict | None:
    """The participant's opinion group and the statements that group agrees with most."""
    found = results(conversation)
    if participant_id is None:
        return None
    group = found.get("membership", {}).get(str(participant_id))
    if group is None:
        return {"group": None, "agreed": []}
    agreed = []
    for sid, info in found.get("statements", {}).items():
        g = info["groups"].get(str(group))
        if (
            g
            and (g["agree"] + g["disagree"] + g["pass"])
            and g["agree"] / (g["agree"] + g["disagree"] + g["pass"]) >= 0.6
        ):
            agreed.append((g["agree"] / (g["agree"] + g["disagree"] + g["pass"]), int(sid)))
    agreed.sort(reverse=True)
    return {
        "group": group,
        "size": found["groups"].get(str(group), 0),
        "agreed": [sid for _share, sid in agreed[:5]],
    }


def public_results(conversation: Conversation) -> dict:
    """The stored results as anyone may see them, through ``community.disclosure``.

    Each statement's agree/disagree/pass row is suppressed like every published count
    (``statement_votes``: a count from 1 to 4, or 9 when the conversation is for young
    people, and its share go); a majority or group share goes with its statement's row;
    a group's share on a statement goes when the group's votes on it, or what they
    leave of the group's total, are small (``disclosure.share``). Opinion group sizes
    stay: the map draws every person by design, and a group is made by the maths, not
    a characteristic anyone declared.
    """
    from ..consultations.models import Audience
    from ..disclosure import is_small, share, statement_votes, threshold

    stored = results(conversation)
    consultation = conversation.consultation
    limit = threshold(youth=consultation is not None and consultation.audience == Audience.YOUTH)
    statements = {
        sid: statement_votes(info, limit)
        for sid, info in stored.get("statements", {}).items()
        if not info.get("moderated_out")
    }
    majority = [
        m
        for m in stored.get("majority", [])
        if str(m["statement"]) in statements and not statements[str(m["statement"])]["hidden"]
    ]
    representative = {}
    for group, reps in stored.get("representative", {}).items():
        kept = []
        for rep in reps:
            info = stored.get("statements", {}).get(str(rep["statement"]), {})
            votes = info.get("groups", {}).get(group)
            if not votes:
                continue
            total = votes["agree"] + votes["disagree"] + votes["pass"]
            side = votes["agree"] if rep["side"] == "agree" else votes["disagree"]
            value = share(side, total, limit=limit)
            if value is not None:
                kept.append({**rep, "share": value})
        representative[group] = kept
    return (
        {
            "participants": stored.get("participants", 0),
            "participants_small": is_small(stored.get("participants", 0), limit),
            "votes": stored.get("votes", 0),
            "k": stored.get("k", 0),
            "groups": stored.get("groups", {}),
            "statements": statements,
            "majority": majority,
            "representative": representative,
            "limit": limit,
        }
        if stored
        else {}
    )
