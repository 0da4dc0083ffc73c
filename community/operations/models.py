"""What operations keep in the database: who is working, and which forms were used."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models_base import UTCDateTime, utcnow


class WorkerHeartbeat(db.Model):
    """One row per running `flask worker`, updated as it works and waits.

    Kept in the database rather than Redis so `/healthz/ready` can tell a worker
    that cannot reach the database (no beat) from one that is simply idle.
    """

    __tablename__ = "worker_heartbeats"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: host:pid:random, unique per process start.
    worker: Mapped[str] = mapped_column(String(120), unique=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: The last time the worker was seen alive (between jobs, while waiting, per mail).
    beat_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    #: "idle", "job <name>" or "recovering".
    state: Mapped[str] = mapped_column(String(80), default="starting")
    #: The last transient error it recovered from (type and message, no data).
    last_error: Mapped[str | None] = mapped_column(Text)


class UsedFormToken(db.Model):
    """A one-time form token, spent in the same transaction as what the form created.

    The unique token makes a double submission (two taps, a retry, a reload) create
    one thing: the second request meets the row and is sent where the first went.
    """

    __tablename__ = "used_form_tokens"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: The endpoint the form posted to (a token is only good for its own form).
    endpoint: Mapped[str] = mapped_column(String(120))
    #: Where the first submission sent the person, for the repeat to go there too.
    result_url: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
