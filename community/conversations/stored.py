"""A conversation's stored results, decoded once per recompute and kept in the process.

The results are JSON written by the background recompute (about 90 KB at 1,000
participants x 100 statements); decoding them took 2.2 ms of every voting and results
page. They change only when ``results_computed_at`` does (``results.recompute``), so
that is the cache key; pages load the conversation with the column deferred and read it
only on a miss. The dict is shared between requests: read it, never change it.
"""

from __future__ import annotations

from ..extensions import db
from ..insights.cache import figures as figure_cache
from .models import Conversation


def results(conversation: Conversation) -> dict:
    """The stored results ({} before the first recompute), read-only."""
    if conversation.results_computed_at is None:
        return conversation.results or {}
    key = (
        "conversation-results",
        str(db.engine.url),
        conversation.id,
        # SQLite can give a deleted conversation's id to a new one.
        str(conversation.created_at),
        str(conversation.results_computed_at),
    )
    return figure_cache.get(key, lambda: conversation.results or {})
