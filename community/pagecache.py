"""Pages as a visitor sees them, kept until a table they were read from changes.

Most requests to a popular consultation are visitors reading the same public pages
(the consultations list, a consultation, results, the plan): each drew the same HTML
again, 15-35 ms of templates per page, and at 32 concurrent readers they queued
behind one another (issue 15). A page a visitor is sent is kept in the process and
sent again while nothing it was drawn from has changed:

- **What it was drawn from** is recorded as it is drawn: every SQL statement the
  request runs is read for the names of the tables in it (over-approximated: any
  table named anywhere in the statement), so no page has to declare what it reads.
- **Change** is counted per table: every INSERT, UPDATE or DELETE (by the ORM, Core
  or text) marks its table on its connection; once the transaction has committed,
  each marked table's version goes up (in Redis when ``REDIS_URL`` is set, so every
  gunicorn worker and ``flask worker`` share them; in the process otherwise). A
  statement whose table cannot be read (DDL, anything unusual) moves ``*``, which
  every page depends on.
- **Order** makes it never stale: a request reads the versions *before* it reads
  anything else, and versions move only *after* the commit. So a page is kept under
  versions at least as old as what it shows; once a change has committed and its
  version moved, no request can be answered with a page drawn before it.
- **Time**: a page can also change with the clock alone (a consultation opens at
  nine, "closes in 3 days"), so nothing is kept longer than ``PAGE_CACHE_SECONDS``
  (60 by default). A change made outside the app (psql, a restore) shows within that
  time too.

Only what no one else could be shown differently is kept: a GET by a visitor who is
not signed in, presents no API token and has nothing in their session but a language
choice, a hidden cookie notice and a CSRF secret, answered 200 with HTML or JSON,
that set no cookie, put nothing else in the session and wrote nothing, and is not a
health check. A form's CSRF token is cut out of the kept page and each visitor's own
put in when it is sent. The key is the database, the full URL, the language, the
cookie notice, and the request's other cookies and ``Accept`` header. Redis failing
is not an error: the page is drawn as if nothing were kept.
"""

from __future__ import annotations

import logging
import re
import threading
import time
import uuid
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import Flask, Response, current_app, g, request, session
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from .insights.cache import FigureCache

log = logging.getLogger(__name__)

#: Every page depends on this too: moved by statements whose table is not known.
EVERYTHING = "*"
_WRITE = re.compile(
    r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?(\w+)"?',
    re.IGNORECASE,
)
_READ_ONLY = re.compile(
    r"^\s*(?:SELECT|SAVEPOINT|RELEASE|ROLLBACK|BEGIN|COMMIT|PRAGMA|SHOW|SET|EXPLAIN|VALUES)\b",
    re.IGNORECASE,
)
_WITH = re.compile(r"^\s*WITH\b", re.IGNORECASE)
_CHANGES = re.compile(r"\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\b", re.IGNORECASE)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: Session keys that do not make a visitor's page their own (the two that change it,
#: the language and the hidden cookie notice, are in the key).
_NEUTRAL_SESSION = frozenset(
    {"language", "csrf_token", "_permanent", "_fresh", "cookie_notice_hidden"}
)
#: Where a kept page had its visitor's CSRF token: each visitor is sent their own.
_TOKEN = b"\x00cv-csrf-token\x00"
_KEPT_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Content-Disposition",
    "Vary",
    "ETag",
    "Last-Modified",
)
_NEVER = frozenset({"main.health", "main.ready"})
MAX_BYTES = 1_000_000

_local = threading.local()
_memory: dict[str, MemoryVersions] = {}
_memory_lock = threading.Lock()


# -- versions -----------------------------------------------------------------


class MemoryVersions:
    """Versions for one process (the embedded default: ``flask run``, tests)."""

    def __init__(self) -> None:
        self._versions: dict[str, int] = {}
        self._lock = threading.Lock()

    def read(self, tables: Iterable[str]) -> dict[str, int] | None:
        with self._lock:
            return {t: self._versions.get(t, 0) for t in tables}

    def bump(self, tables: Iterable[str]) -> None:
        with self._lock:
            for table in tables:
                self._versions[table] = self._versions.get(table, 0) + 1


class RedisVersions:
    """Versions every process shares. An epoch kept beside them changes if Redis
    comes back empty, so counters starting again can never match a kept page."""

    def __init__(self, url: str, namespace: str) -> None:
        import redis

        self._client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self._errors: tuple[type[Exception], ...] = (redis.RedisError, OSError)
        self._prefix = f"cv:pages:{namespace}:"
        #: After a failure Redis is left alone this long, so an outage does not add a
        #: timeout to every visitor's request.
        self.pause = 5.0
        self._down_until = 0.0

    def _down(self, error: Exception, doing: str) -> None:
        if time.monotonic() >= self._down_until:
            log.warning(
                "page cache: Redis unavailable (%s: %s); drawing pages afresh", doing, error
            )
        self._down_until = time.monotonic() + self.pause

    def read(self, tables: Iterable[str]) -> dict[str, int] | None:
        if time.monotonic() < self._down_until:
            return None
        names = list(tables)
        try:
            values = self._client.mget([self._prefix + "epoch", *(self._prefix + t for t in names)])
            epoch = values[0]
            if epoch is None:
                self._client.set(self._prefix + "epoch", uuid.uuid4().hex, nx=True)
                epoch = self._client.get(self._prefix + "epoch")
        except self._errors as error:
            self._down(error, "reading versions")
            return None
        found = {t: int(v or 0) for t, v in zip(names, values[1:], strict=True)}
        found["epoch"] = hash(epoch)
        return found

    def bump(self, tables: Iterable[str]) -> None:
        if time.monotonic() < self._down_until:
            return  # as below: kept pages are at most PAGE_CACHE_SECONDS old
        try:
            pipe = self._client.pipeline(transaction=False)
            for table in tables:
                pipe.incr(self._prefix + table)
            pipe.execute()
        except self._errors as error:
            # Pages drawn before this change can be sent until they are
            # PAGE_CACHE_SECONDS old; readers that cannot reach Redis keep nothing.
            self._down(error, f"marking {sorted(tables)} changed")


# -- what a statement reads and writes ----------------------------------------


def _tables(app: Flask) -> frozenset[str]:
    from .extensions import db

    return frozenset(db.metadata.tables)


def _read_names(statement: str, tables: frozenset[str]) -> frozenset[str]:
    memo = _local.__dict__.setdefault("names", {})
    found = memo.get(statement)
    if found is None:
        found = frozenset(n for n in _NAME.findall(statement) if n in tables)
        if len(memo) < 4096:
            memo[statement] = found
    return found


def _written(statement: str) -> str | None:
    """The table a statement changes, ``*`` if it may change any, None if it reads."""
    if _READ_ONLY.match(statement):
        return None
    match = _WRITE.match(statement)
    if match:
        return match.group(1).lower()
    if _WITH.match(statement) and not _CHANGES.search(statement):
        return None  # a query with common table expressions that only reads
    return EVERYTHING


def _after_execute(conn, cursor, statement, parameters, context, executemany) -> None:
    table = _written(statement)
    if table is not None:
        if not executemany and table != EVERYTHING and getattr(cursor, "rowcount", -1) == 0:
            return  # matched no row (a vote's "mark stale" once it is marked): no change
        conn.info.setdefault("cv_pages_written", set()).add(table)
        reading = getattr(_local, "reading", None)
        if reading is not None:
            reading.wrote = True
        return
    reading = getattr(_local, "reading", None)
    recorders = _local.__dict__.get("recorders")
    if reading is None and not recorders:
        return
    names = _read_names(statement, _known_tables())
    if reading is not None:
        reading.tables |= names
    for recorder in recorders or ():
        recorder.update(names)


def _known_tables() -> frozenset[str]:
    from .extensions import db

    known = _local.__dict__.get("known")
    if known is None or len(known) != len(db.metadata.tables) + 1:
        known = _local.known = frozenset(db.metadata.tables) | {EVERYTHING}
    return known


@contextmanager
def recording() -> Iterator[set[str]]:
    """The tables read inside the block, for a value another cache keeps: a page that
    is later drawn from the kept value depends on them too (``depends_on``)."""
    tables: set[str] = set()
    recorders = _local.__dict__.setdefault("recorders", [])
    recorders.append(tables)
    try:
        yield tables
    finally:
        recorders.remove(tables)


def depends_on(tables: Iterable[str]) -> None:
    """The page being drawn used a kept value read from ``tables``."""
    reading = getattr(_local, "reading", None)
    if reading is not None:
        reading.tables |= frozenset(tables)


def _committing(conn) -> None:
    written = conn.info.pop("cv_pages_written", None)
    if written:
        _local.__dict__.setdefault("pending", set()).update(written)


def _rolled_back(conn) -> None:
    conn.info.pop("cv_pages_written", None)


def _committed(_session=None) -> None:
    """After a commit: move the versions of the tables it changed."""
    pending = _local.__dict__.pop("pending", None)
    if not pending:
        return
    try:
        store = current_app.extensions.get("community_pages")
    except RuntimeError:  # no app: nothing can have kept a page of it here
        return
    if store is not None:
        store.versions.bump(pending)


def _listen_once() -> None:
    if not event.contains(Engine, "after_cursor_execute", _after_execute):
        event.listen(Engine, "after_cursor_execute", _after_execute)
        event.listen(Engine, "commit", _committing)
        event.listen(Engine, "rollback", _rolled_back)
        event.listen(Session, "after_commit", _committed)


# -- the kept pages -----------------------------------------------------------


@dataclass
class Kept:
    versions: tuple[tuple[str, int], ...]
    at: float
    status: int
    headers: list[tuple[str, str]]
    body: bytes


@dataclass
class Reading:
    key: tuple
    versions: dict[str, int]
    tables: frozenset[str] = frozenset()
    wrote: bool = False


class Pages:
    def __init__(self, app: Flask, versions) -> None:
        self.versions = versions
        self.kept = FigureCache(size=int(app.config.get("PAGE_CACHE_ENTRIES", 128)))
        self.seconds = float(app.config.get("PAGE_CACHE_SECONDS", 60))
        self.known = _tables(app) | {EVERYTHING}
        self.hits = 0


def _visitor_request() -> bool:
    if request.method != "GET" or request.endpoint in _NEVER or request.endpoint == "static":
        return False
    if request.authorization is not None or request.headers.get("Authorization"):
        return False
    return set(session.keys()) <= _NEUTRAL_SESSION


def _key(app: Flask) -> tuple:
    from .i18n import select_locale

    cookie_name = app.config.get("SESSION_COOKIE_NAME", "session")
    cookies = tuple(sorted((k, v) for k, v in request.cookies.items() if k != cookie_name))
    return (
        "page",
        str(app.config["SQLALCHEMY_DATABASE_URI"]),
        request.host_url,
        request.full_path,
        select_locale(),
        bool(session.get("cookie_notice_hidden")),
        request.headers.get("Accept", ""),
        cookies,
    )


def _fresh(kept: Kept | None, versions: dict[str, int], seconds: float) -> bool:
    """Kept, younger than ``seconds``, and drawn from tables that have not changed."""
    if kept is None or time.monotonic() - kept.at >= seconds:
        return False
    return all(versions.get(t) == v for t, v in kept.versions)


def _before() -> Response | None:
    _local.reading = None
    store: Pages | None = current_app.extensions.get("community_pages")
    if store is None or not _visitor_request():
        return None
    versions = store.versions.read(store.known)
    if versions is None:
        store.kept.clear()
        return None
    key = _key(current_app)
    kept: Kept | None = store.kept.peek(key)  # type: ignore[assignment]
    if _fresh(kept, versions, store.seconds):
        assert kept is not None
        store.hits += 1
        kept_page = Response(_with_token(zlib.decompress(kept.body)), kept.status, kept.headers)
        return kept_page.make_conditional(request)  # an ETag sent back: 304
    _local.reading = Reading(key=key, versions=versions)
    return None


def _storable(response: Response, reading: Reading) -> bool:
    from flask_login import current_user

    return (
        response.status_code == 200
        and not response.is_streamed
        and not response.direct_passthrough
        and response.mimetype in ("text/html", "application/json")
        and "Set-Cookie" not in response.headers
        and set(session.keys()) <= _NEUTRAL_SESSION
        and not reading.wrote
        and not current_user.is_authenticated
        and response.calculate_content_length() is not None
        and (response.calculate_content_length() or 0) <= MAX_BYTES
    )


def _without_token(body: bytes) -> bytes:
    token = g.get("csrf_token")
    return body.replace(token.encode(), _TOKEN) if token else body


def _with_token(body: bytes) -> bytes:
    if _TOKEN not in body:
        return body
    from flask_wtf.csrf import generate_csrf

    return body.replace(_TOKEN, generate_csrf().encode())


def _after(response: Response) -> Response:
    reading: Reading | None = getattr(_local, "reading", None)
    _local.reading = None
    store: Pages | None = current_app.extensions.get("community_pages")
    if reading is None or store is None or not _storable(response, reading):
        return response
    depends = reading.tables | {EVERYTHING} | ({"epoch"} & reading.versions.keys())
    store.kept.put(
        reading.key,
        Kept(
            versions=tuple(sorted((t, reading.versions.get(t, 0)) for t in depends)),
            at=time.monotonic(),
            status=response.status_code,
            headers=[(h, response.headers[h]) for h in _KEPT_HEADERS if h in response.headers],
            body=zlib.compress(_without_token(response.get_data()), 1),
        ),
    )
    return response


def _teardown(_error=None) -> None:
    _local.reading = None
    _committed()


def backend(app: Flask):
    """The versions store ``PAGE_CACHE`` names: redis, memory or off."""
    choice = app.config.get("PAGE_CACHE", "")
    if not choice:
        production = app.config.get("COMMUNITY_ENV") == "production"
        choice = "redis" if app.config.get("REDIS_URL") else ("off" if production else "memory")
    if choice == "redis":
        namespace = uuid.uuid5(uuid.NAMESPACE_URL, str(app.config["SQLALCHEMY_DATABASE_URI"])).hex
        return RedisVersions(app.config["REDIS_URL"], namespace[:12])
    if choice == "memory":
        # One per database in the process: every app object on it (tests build several)
        # sees the others' changes.
        with _memory_lock:
            return _memory.setdefault(str(app.config["SQLALCHEMY_DATABASE_URI"]), MemoryVersions())
    return None


def init_app(app: Flask) -> None:
    versions = backend(app)
    if versions is None:
        return
    _listen_once()
    app.extensions["community_pages"] = Pages(app, versions)
    app.before_request(_before)
    app.after_request(_after)
    app.teardown_appcontext(_teardown)


def forget(app: Flask) -> None:
    """Drop every kept page of ``app`` (tests empty the tables between them)."""
    store = app.extensions.get("community_pages")
    if store is not None:
        store.kept.clear()
        store.hits = 0
