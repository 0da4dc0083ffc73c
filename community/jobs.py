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

import contextlib
import json
import logging
import threading
import time
from collections.abc import Callable

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from .operations.logs import current_request_id, request_id_context, sane_request_id

log = logging.getLogger(__name__)

WAKE_KEY = "community:jobs:wake"
_REGISTRY: dict[str, Callable[[], object]] = {}
#: Set while the worker waits between rounds (a stop signal may end it at once then).
_waiting = threading.Event()


def waiting() -> bool:
    """True while the worker is between rounds, holding no work."""
    return _waiting.is_set()


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


#: Set in `flask worker`: heavy work runs in a forked child (``heavy``).
_isolating = threading.Event()


def heavy(work: Callable[[], object]):
    """Run ``work`` (opinion groups, a classifier: scikit-learn and SciPy) where its
    memory goes away afterwards.

    In `flask worker` it runs in a forked child process, which commits its own work
    and exits: the libraries it imports (about 100 MB) and what it computes are given
    back to the system, so the long-lived worker stays small (issue 15: 235 MB after
    one recompute, the target is 150). Elsewhere (web processes' job threads, tests,
    the CLI) it simply runs here. The child's result is not passed back: it logs it.
    """
    if not _isolating.is_set():
        return work()
    import multiprocessing

    from .extensions import db

    app = current_app._get_current_object()
    request_id = current_request_id()
    db.session.remove()  # the child must not share the parent's connection
    child = multiprocessing.get_context("fork").Process(
        target=_heavy_child, args=(app, work, request_id), daemon=True
    )
    child.start()
    child.join()
    if child.exitcode != 0:
        raise RuntimeError(f"heavy work failed in its process (exit code {child.exitcode})")
    return "done in a child process"


def _heavy_child(app: Flask, work: Callable[[], object], request_id: str | None) -> None:
    from .extensions import db

    _isolating.clear()
    with app.app_context(), request_id_context(request_id):
        db.engine.dispose(close=False)  # new connections of its own; the parent's stay
        result = work()
        if result:
            log.info("heavy work: %s", result)


def _redis(app: Flask, socket_timeout: float = 5):
    import redis

    return redis.Redis.from_url(
        app.config["REDIS_URL"], socket_timeout=socket_timeout, socket_connect_timeout=5
    )


def _waker(app: Flask):
    """The process's Redis client for waking the worker, kept with the app: a client
    (and its connection) made for every commit that queued a job cost a connection
    to Redis per vote (issue 15)."""
    client = app.extensions.get("community_waker")
    if client is None:
        client = app.extensions["community_waker"] = _redis(app)
    return client


def wake_payload(name: str, request_id: str | None) -> str:
    """What goes on the Redis wake list: the job and the request that asked for it."""
    return json.dumps({"job": name, "request_id": request_id})


def read_wake_payload(raw: bytes | str) -> tuple[str, str | None]:
    """(job name, request id) from a wake payload; a bare name (older senders) too."""
    text = raw.decode() if isinstance(raw, bytes) else raw
    try:
        data = json.loads(text)
    except ValueError:
        return text, None
    if not isinstance(data, dict):
        return text, None
    return str(data.get("job", "")), sane_request_id(data.get("request_id"))


def _dispatch(app: Flask, names: set[str]) -> None:
    mode = app.config["JOBS_MODE"]
    request_id = current_request_id()
    if mode == "inline":
        thread = threading.Thread(
            target=_run_in_thread, args=(app, sorted(names), request_id), daemon=True
        )
        thread.start()
    elif mode == "worker" and app.config["REDIS_URL"]:
        try:
            _waker(app).rpush(WAKE_KEY, *(wake_payload(n, request_id) for n in sorted(names)))
        except Exception:  # the worker still polls; a missed wake only delays it
            log.warning("could not wake the worker through Redis", exc_info=True)


def _run_in_thread(app: Flask, names: list[str], request_id: str | None = None) -> None:
    from .extensions import db

    with app.app_context(), request_id_context(request_id):
        for name in names:
            try:
                result = run(name)
                if result:
                    log.info("job %s: %s", name, result, extra={"job": name})
            except Exception:
                log.exception("job %s failed", name, extra={"job": name})
                db.session.rollback()


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    names = session.info.pop("community_jobs", None)
    if names:
        _dispatch(current_app._get_current_object(), names)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop("community_jobs", None)


def transient_errors() -> tuple[type[BaseException], ...]:
    """Errors that mean "a server is unreachable for now": wait and try again."""
    import redis
    from sqlalchemy.exc import InterfaceError, OperationalError

    return (redis.ConnectionError, redis.TimeoutError, OperationalError, InterfaceError)


def describe(error: BaseException) -> str:
    """A one-line account of an error, without SQL parameters (they may hold data)."""
    first = str(getattr(error, "orig", None) or error).strip().splitlines()
    return f"{type(error).__name__}: {first[0] if first else ''}"[:300]


class Waker:
    """Waits for a Redis wake-up or the poll interval; never lets a Redis fault out.

    The socket timeout is longer than the blocking wait, so an idle worker never
    meets a read timeout; when Redis is away the worker polls instead and
    reconnects with a fresh client on the next wait.
    """

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.poll = app.config["WORKER_POLL_SECONDS"]
        self.client = None
        self.failures = 0
        #: job name -> the request id that last woke it (read by the next round)
        self.woken_by: dict[str, str | None] = {}

    def take_woken(self) -> dict[str, str | None]:
        woken, self.woken_by = self.woken_by, {}
        return woken

    def wait(self) -> None:
        if not self.app.config["REDIS_URL"]:
            time.sleep(self.poll)
            return
        import redis

        try:
            if self.client is None:
                self.client = _redis(self.app, socket_timeout=self.poll + 10)
            first = self.client.blpop([WAKE_KEY], timeout=self.poll)
            pipe = self.client.pipeline()
            pipe.lrange(WAKE_KEY, 0, -1)
            pipe.delete(WAKE_KEY)
            rest, _ = pipe.execute()
            for raw in ([first[1]] if first else []) + list(rest or []):
                name, request_id = read_wake_payload(raw)
                self.woken_by[name] = request_id
            if self.failures:
                log.info("worker: Redis is back")
            self.failures = 0
        except (redis.ConnectionError, redis.TimeoutError) as error:
            self.failures += 1
            log.warning("worker: Redis unavailable (%s); polling instead", describe(error))
            self._drop()
            time.sleep(min(self.poll, 0.5 * 2 ** min(self.failures, 6)))

    def _drop(self) -> None:
        if self.client is not None:
            with contextlib.suppress(Exception):  # the connection is already gone
                self.client.close()
        self.client = None


def backoff_seconds(failures: int, cap: float = 30.0) -> float:
    """0.5 s, 1, 2, 4 … up to ``cap``: how long the worker waits after a failure."""
    return min(cap, 0.5 * 2 ** max(failures - 1, 0))


def _run_all(
    transient: tuple[type[BaseException], ...], beat, woken_by: dict | None = None
) -> None:
    """Run every registered job once; a server fault stops the round for the caller.

    A job woken by a request runs with that request's id on its log lines.
    """
    from .extensions import db

    for name in sorted(_REGISTRY):
        beat(f"job {name}")
        with request_id_context((woken_by or {}).get(name)):
            try:
                result = run(name)
                if result:
                    log.info("job %s: %s", name, result, extra={"job": name})
            except transient:
                raise
            except Exception:
                log.exception("job %s failed", name, extra={"job": name})
                db.session.rollback()


def work_forever(app: Flask, once: bool = False, should_stop=None) -> None:
    """The worker loop: run every job, then wait for a wake-up or the poll interval.

    It never exits on a fault of Redis or the database: it records the fault, waits
    (backoff up to 30 s) and carries on, so mail queued during an outage goes out
    once the servers are back. ``should_stop()`` ends it (tests, signals).
    """
    from .extensions import db
    from .operations.heartbeat import Heartbeat, install

    transient = transient_errors()
    heartbeat = Heartbeat()
    install(heartbeat)
    waker = Waker(app)
    failures = 0
    if app.config.get("JOBS_ISOLATE_HEAVY", True):
        _isolating.set()
    try:
        while not (should_stop and should_stop()):
            try:
                heartbeat.beat("running", force=True)
                _run_all(transient, heartbeat.beat, waker.take_woken())
                if once:
                    return
                heartbeat.beat("idle", force=True)
                if failures:
                    log.info("worker: the database is back after %d failed rounds", failures)
                failures = 0
            except transient as error:
                if once:
                    raise
                failures += 1
                _recover(db)
                delay = backoff_seconds(failures)
                log.warning("worker: %s; trying again in %.1f s", describe(error), delay)
                _try_beat(heartbeat, error)
                time.sleep(delay)
                continue
            _waiting.set()
            try:
                waker.wait()
            finally:
                _waiting.clear()
    finally:
        _isolating.clear()
        install(None)
        heartbeat.stop()


def _recover(db) -> None:
    """Forget the session and the pooled connections after a server fault."""
    with contextlib.suppress(Exception):  # the connection is gone; remove() discards it
        db.session.rollback()
    db.session.remove()
    db.engine.dispose()


def _try_beat(heartbeat, error: BaseException) -> None:
    with contextlib.suppress(Exception):  # the database is still away: nowhere to record
        heartbeat.beat("recovering", error=describe(error))
