"""The background recompute of groups and consensus, off the request path.

Votes and new statements mark a conversation stale (``service._mark_stale``); the job
here unmarks each marked conversation and recomputes it (``results.store``, NumPy and
scikit-learn, in a child process under ``flask worker``).
"""

from __future__ import annotations

import logging

from sqlalchemy import select, text, update

from .. import jobs
from ..extensions import affected, db
from .models import Conversation, Vote

log = logging.getLogger(__name__)


@jobs.job("recompute_conversations")
def recompute_stale() -> int:
    """Recompute every conversation with new votes or statements (not on the request path).

    Each is unmarked, and that committed, before its votes are read: a vote that comes
    while it computes marks it again and wakes the worker, so no vote is left out of
    the results (clearing the mark with the results afterwards would have erased it).
    """
    if db.session.scalar(select(Conversation.id).where(Conversation.stale.is_(True)).limit(1)):
        return jobs.heavy(_recompute_stale)
    return 0


def _claim(conversation_id: int) -> bool:
    """Unmark the conversation for this worker, committed before its votes are read.

    On PostgreSQL the claim first waits for the votes being written to commit (a SHARE
    lock on the votes table, held only until this commit): a vote whose mark found the
    conversation still marked, just before this unmarks it, is then in what the
    recompute reads, not left out until someone votes again. SQLite writes one
    transaction at a time, so a vote cannot be half-way through while this runs.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text(f"LOCK TABLE {Vote.__tablename__} IN SHARE MODE"))
    claimed = affected(
        update(Conversation)
        .where(Conversation.id == conversation_id, Conversation.stale.is_(True))
        .values(stale=False)
    )
    db.session.commit()
    return bool(claimed)


def _recompute_stale() -> int:
    from .results import store  # NumPy and scikit-learn: only here (jobs.heavy)

    done = 0
    for conversation_id in db.session.scalars(
        select(Conversation.id).where(Conversation.stale.is_(True)).order_by(Conversation.id)
    ).all():
        if not _claim(conversation_id):  # another worker has it
            continue
        try:
            store(db.session.get_one(Conversation, conversation_id))
            db.session.commit()
            done += 1
        except Exception:
            db.session.rollback()
            db.session.execute(
                update(Conversation).where(Conversation.id == conversation_id).values(stale=True)
            )
            db.session.commit()
            log.exception("could not recompute conversation %s", conversation_id)
    return done
