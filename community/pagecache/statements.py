"""What each SQL statement reads and writes, recorded as it runs.

Reads: every table named anywhere in a statement (over-approximated: an extra redraw
is the only cost), recorded for the visitor's request being drawn and for values
other caches keep (``recording`` / ``depends_on``). Writes: the table of every
INSERT, UPDATE or DELETE that matched a row, ``*`` for a statement whose table
cannot be read; kept on the connection until it commits, then the tables' versions
move (``committed``).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

#: Every page depends on this too: moved by statements whose table is not known.
EVERYTHING = "*"
_WRITE = re.compile(
    r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?(\w+)"?',
    re.IGNORECASE,
)
_READ_ONLY = re.compile(
    r"^\s*(?:SELECT|SAVEPOINT|RELEASE|ROLLBACK|BEGIN|COMMIT|PRAGMA|SHOW|SET|EXPLAIN|VALUES|LOCK)\b",
    re.IGNORECASE,
)
_WITH = re.compile(r"^\s*WITH\b", re.IGNORECASE)
_CHANGES = re.compile(r"\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\b", re.IGNORECASE)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

_local = threading.local()
_known: frozenset[str] | None = None


@dataclass
class Reading:
    """A visitor's request being drawn: its key, the versions read first, and what it
    read and whether it wrote."""

    key: tuple
    versions: dict[str, int]
    tables: frozenset[str] = frozenset()
    wrote: bool = False


def start_reading(reading: Reading | None) -> None:
    _local.reading = reading


def stop_reading() -> Reading | None:
    reading = getattr(_local, "reading", None)
    _local.reading = None
    return reading


def _read_names(statement: str, tables: frozenset[str]) -> frozenset[str]:
    memo = _local.__dict__.setdefault("names", {})
    found = memo.get(statement)
    if found is None:
        found = frozenset(n for n in _NAME.findall(statement) if n in tables)
        if len(memo) < 4096:
            memo[statement] = found
    return found


def written(statement: str) -> str | None:
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
    table = written(statement)
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
    names = _read_names(statement, known_tables())
    if reading is not None:
        reading.tables |= names
    for recorder in recorders or ():
        recorder.update(names)


def known_tables() -> frozenset[str]:
    """Every table of the models, and ``*``: the names whose versions are kept."""
    global _known
    if _known is None:
        from ..extensions import db

        _known = frozenset(db.metadata.tables) | {EVERYTHING}
    return _known


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


def _take_written(conn) -> set[str] | None:
    """The tables this connection's transaction changed, forgotten as they are read.
    None from a connection the database dropped (invalidated): its info goes with it,
    and reading ``conn.info`` there raises inside the rollback that is cleaning up,
    which turned a worker's database outage into its crash (the error was no longer
    one it waits out)."""
    if conn.invalidated or conn.closed:
        return None
    return conn.info.pop("cv_pages_written", None)


def _committing(conn) -> None:
    changed = _take_written(conn)
    if changed:
        _local.__dict__.setdefault("pending", set()).update(changed)


def _rolled_back(conn) -> None:
    _take_written(conn)


def committed(_session=None) -> None:
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


def listen_once() -> None:
    if not event.contains(Engine, "after_cursor_execute", _after_execute):
        event.listen(Engine, "after_cursor_execute", _after_execute)
        event.listen(Engine, "commit", _committing)
        event.listen(Engine, "rollback", _rolled_back)
        event.listen(Session, "after_commit", committed)
