"""Background jobs, kept simple: the database holds the work, this only wakes a runner.

Work that must not run on the request path (delivering mail, later recomputing
consensus) is recorded in the database in the request's transaction. After that
transaction commits, ``after_commit`` wakes whatever runs jobs:

* ``JOBS_MODE=inline`` (embedded default): a thread of the web process runs it.
* ``JOBS_MODE=worker``: `flask worker` runs it; with ``REDIS_URL`` set the worker
  is woken at once through a Redis list, otherwise it polls.
* ``JOBS_MODE=off``: nothing is woken (tests call the jobs themselves).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

WAKE_KEY = "community:jobs:wake"
_REGISTRY: dict[str, Callable[[], object]] = {}


def job(name: str):
    """Register a function (run inside an app context) as a named job."""

    def decorator(func):
        _REGISTRY[name] = func
        return func

    return decorator


def after_commit(name: str) -> None:
    """Ask for job ``name`` to run once the current transaction commits."""
    from .extensions import db

    db.session.info.setdefault("community_jobs", set()).add(name)


def run(name: str):
    """Run a registered job now, in the current app context."""
    return _REGISTRY[name]()


def _redis(app: Flask):
    import redis

    return redis.Redis.from_url(app.config["REDIS_URL"], socket_timeout=5)


def _dispatch(app: Flask, names: set[str]) -> None:
    mode = app.config["JOBS_MODE"]
    if mode == "inline":
        thread = threading.Thread(target=_run_in_thread, args=(app, sorted(names)), daemon=True)
        thread.start()
    elif mode == "worker" and app.config["REDIS_URL"]:
        try:
            _redis(app).rpush(WAKE_KEY, *sorted(names))
        except Exception:  # the worker still polls; a missed wake only delays it
            log.warning("could not wake the worker through Redis", exc_info=True)


def _run_in_thread(app: Flask, names: list[str]) -> None:
    from .extensions import db

    with app.app_context():
        for name in names:
            try:
                run(name)
            except Exception:
                log.exception("job %s failed", name)
                db.session.rollback()


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    names = session.info.pop("community_jobs", None)
    if names:
        _dispatch(current_app._get_current_object(), names)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop("community_jobs", None)


def work_forever(app: Flask, once: bool = False) -> None:
    """The worker loop: run every job, then wait for a wake-up or the poll interval."""
    from .extensions import db

    poll = app.config["WORKER_POLL_SECONDS"]
    client = _redis(app) if app.config["REDIS_URL"] else None
    while True:
        for name in sorted(_REGISTRY):
            try:
                result = run(name)
                if result:
                    log.info("job %s: %s", name, result)
            except Exception:
                log.exception("job %s failed", name)
                db.session.rollback()
        if once:
            return
        if client is not None:
            client.blpop([WAKE_KEY], timeout=poll)
            client.delete(WAKE_KEY)
        else:
            time.sleep(poll)
