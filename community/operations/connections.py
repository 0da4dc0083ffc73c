"""Checking a pooled database connection before a request uses it: only after it has
lain idle.

SQLAlchemy's ``pool_pre_ping`` sends ``SELECT 1`` before every checkout: one more
round trip to the database on every page and every vote, and the database's own work
for it, while a connection in steady use has just shown it is alive (issue 15: about
4 % of a vote's throughput). The connection that may be dead is the one that has lain
idle: a quiet night, a worker left alone, a database restarted, a firewall that
drops idle connections. So a connection is pinged only when it was last given back
to the pool more than ``DATABASE_PING_AFTER_IDLE`` seconds ago (default 1; 0 pings
every time, as ``pool_pre_ping`` did). A dead one is replaced before the request sees
it: the pool opens a fresh connection and tries again.

The trade: a connection that dies between two requests less than that apart fails
the one request that finds it (the 503 page, nothing saved: ``failures.py``), and
SQLAlchemy then replaces every connection of the pool opened before, so it is one
request per worker, not one per connection.
"""

from __future__ import annotations

import time

from flask import Flask
from sqlalchemy import event, exc
from sqlalchemy.engine import Engine

_RETURNED = "cv_returned_at"


def init_app(app: Flask, engine: Engine) -> None:
    if engine.dialect.name == "sqlite":
        return  # a file: nothing between the worker and it to drop the connection
    ping_after_idle(engine, app.config["DATABASE_PING_AFTER_IDLE"])


def ping_after_idle(engine: Engine, seconds: float) -> None:
    dialect = engine.dialect

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_connection, record, _proxy) -> None:
        returned = record.info.get(_RETURNED)
        if returned is None:
            return  # opened for this checkout (the record's info goes with a connection)
        if time.monotonic() - returned < seconds:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            # The pool invalidates this connection and opens a fresh one (if the
            # database is down, that fails with the error a request waits out).
            raise exc.DisconnectionError("an idle connection no longer answers") from error

    @event.listens_for(engine, "checkin")
    def _checkin(_dbapi_connection, record) -> None:
        if record is not None and record.dbapi_connection is not None:
            record.info[_RETURNED] = time.monotonic()
