"""Small lists that rarely change, kept in the process for a few seconds.

The ward names and the moderation word list are read on most answering pages (a
ward question's choices, a receipt's rows, screening free text) but change only when
an admin edits the framework or the word list. Reading them from the database on
every request was a fifth of a survey response's SQL statements (issue 15).

Each is kept for ``SECONDS`` per process and database. A change made through the
services (``framework.service``, the moderation settings) forgets it in that process
at once; other processes (gunicorn workers) see it within ``SECONDS``. That delay is
the whole price: no page reads a list older than that.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from . import pagecache
from .extensions import db

SECONDS = 30.0

_kept: dict[tuple[str, str], tuple[float, Any, frozenset[str]]] = {}
_lock = threading.Lock()


def cached(name: str, load: Callable[[], Any], seconds: float = SECONDS) -> Any:
    """``load()``'s value, from this process if it was read less than ``seconds`` ago.

    The tables ``load`` read are kept with it: a visitor's page drawn from the kept
    value depends on them as if it had read them itself (``pagecache.depends_on``)."""
    key = (str(db.engine.url), name)
    now = time.monotonic()
    with _lock:
        kept = _kept.get(key)
    if kept is not None and kept[0] > now:
        pagecache.depends_on(kept[2])
        return kept[1]
    with pagecache.recording() as tables:
        value = load()
    with _lock:
        _kept[key] = (now + seconds, value, frozenset(tables))
    return value


def forget(*names: str) -> None:
    """Read these again next time (all of them when no name is given)."""
    with _lock:
        for key in list(_kept):
            if not names or key[1] in names:
                del _kept[key]


def forget_on_commit(model: type, *names: str) -> None:
    """Forget ``names`` in this process when a commit changed a ``model`` row through the
    ORM (services, seeds, the demo, tests' factories alike)."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    key = f"shortcache:{model.__name__}"

    @event.listens_for(Session, "after_flush")
    def _noticed(session, _context):
        for obj in (*session.new, *session.dirty, *session.deleted):
            if isinstance(obj, model):
                session.info[key] = True
                return

    @event.listens_for(Session, "after_commit")
    def _forgotten(session):
        if session.info.pop(key, False):
            forget(*names)

    @event.listens_for(Session, "after_rollback")
    def _not_changed(session):
        session.info.pop(key, None)
