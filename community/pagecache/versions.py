"""Tables' versions: moved after each commit that changed them, read before a page.

In Redis when ``REDIS_URL`` is set, so every gunicorn worker and ``flask worker``
share them; in the process otherwise (one process only: ``flask run``, tests).
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Iterable

from flask import Flask

log = logging.getLogger(__name__)

_memory: dict[str, MemoryVersions] = {}
_memory_lock = threading.Lock()


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
