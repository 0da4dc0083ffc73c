"""The worker's heartbeat: a row it updates while it works and waits.

Written on a connection of its own (not the request/job session), so a beat never
commits or rolls back a job's half-done work, and a job's failure never loses a beat.
"""

from __future__ import annotations

import os
import secrets
import socket
import time
from datetime import timedelta

from sqlalchemy import delete, insert, update

from ..extensions import db
from ..models_base import utcnow
from .models import WorkerHeartbeat

#: Rows of workers silent for this long are removed by the next worker to beat.
FORGET_AFTER = timedelta(days=1)

_current: Heartbeat | None = None


class Heartbeat:
    """One worker process's row; ``beat()`` is cheap and rate-limited."""

    def __init__(self, min_interval: float = 1.0) -> None:
        self.name = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"[:120]
        self.min_interval = min_interval
        self._row_id: int | None = None
        self._last = 0.0
        self.state = "starting"
        #: An error to record with the next beat that reaches the database.
        self.pending_error: str | None = None

    def beat(self, state: str | None = None, error: str | None = None, force: bool = False):
        """Record that this worker is alive (and what it does); database errors propagate."""
        if state is not None:
            changed = state != self.state
            self.state = state
        else:
            changed = False
        now_mono = time.monotonic()
        if (
            not (force or changed or self.pending_error or error)
            and now_mono - self._last < self.min_interval
        ):
            return
        now = utcnow()
        values = {"beat_at": now, "state": self.state[:80]}
        if error is not None:
            self.pending_error = error[:2000]
        if self.pending_error is not None:
            values["last_error"] = self.pending_error
        with db.engine.begin() as conn:
            if self._row_id is None:
                conn.execute(
                    delete(WorkerHeartbeat).where(WorkerHeartbeat.beat_at < now - FORGET_AFTER)
                )
                self._row_id = conn.execute(
                    insert(WorkerHeartbeat)
                    .values(worker=self.name, started_at=now, **values)
                    .returning(WorkerHeartbeat.id)
                ).scalar_one()
            else:
                conn.execute(
                    update(WorkerHeartbeat)
                    .where(WorkerHeartbeat.id == self._row_id)
                    .values(**values)
                )
        self._last = now_mono
        self.pending_error = None

    def stop(self) -> None:
        """Remove this worker's row on a clean stop (best effort)."""
        if self._row_id is None:
            return
        try:
            with db.engine.begin() as conn:
                conn.execute(delete(WorkerHeartbeat).where(WorkerHeartbeat.id == self._row_id))
        except Exception:  # noqa: S110  (stopping anyway; the row ages out)
            pass


def install(heartbeat: Heartbeat | None) -> None:
    """Make ``heartbeat`` the one ``pulse()`` updates (the worker sets it at start)."""
    global _current
    _current = heartbeat


def pulse(state: str | None = None) -> None:
    """From inside a long job: the worker is alive. Does nothing outside a worker."""
    if _current is not None:
        _current.beat(state)
