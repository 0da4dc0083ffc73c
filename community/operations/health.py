"""Readiness: can this deployment take work and get it done?

`/healthz` says the web process answers; `/healthz/ready` checks what it depends
on: the database, Redis (when configured), the worker's last heartbeat (when jobs
run in a worker) and the oldest mail still waiting. Each check reports what it saw,
never personal data, so the JSON can go to a monitoring system as it is.
"""

from __future__ import annotations

import contextlib
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select, text

from ..extensions import db
from ..models_base import utcnow
from ..notifications.models import OutboxMessage, OutboxStatus
from .models import WorkerHeartbeat


def _database() -> dict:
    try:
        db.session.execute(text("SELECT 1"))
        return {"ok": True}
    except Exception as error:
        _forget_session()
        return {"ok": False, "error": type(error).__name__}


def _forget_session() -> None:
    with contextlib.suppress(Exception):  # the connection is gone; remove() discards it
        db.session.rollback()
    db.session.remove()


def _redis() -> dict:
    url = current_app.config["REDIS_URL"]
    if not url:
        return {"ok": True, "configured": False}
    import redis

    client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
        return {"ok": True, "configured": True}
    except (redis.ConnectionError, redis.TimeoutError) as error:
        return {"ok": False, "configured": True, "error": type(error).__name__}
    finally:
        client.close()


def _worker(now) -> dict:
    if current_app.config["JOBS_MODE"] != "worker":
        return {"ok": True, "mode": current_app.config["JOBS_MODE"]}
    stale = current_app.config["WORKER_STALE_SECONDS"]
    last = db.session.scalar(select(func.max(WorkerHeartbeat.beat_at)))
    alive = db.session.scalar(
        select(func.count())
        .select_from(WorkerHeartbeat)
        .where(WorkerHeartbeat.beat_at >= now - timedelta(seconds=stale))
    )
    age = (now - last).total_seconds() if last else None
    return {
        "ok": bool(alive),
        "mode": "worker",
        "workers_alive": alive,
        "last_heartbeat_seconds_ago": round(age, 1) if age is not None else None,
        "stale_after_seconds": stale,
    }


def _outbox(now) -> dict:
    limit = current_app.config["OUTBOX_MAX_DELAY_SECONDS"]
    waiting = (OutboxStatus.PENDING, OutboxStatus.SENDING)
    oldest = db.session.scalar(
        select(func.min(OutboxMessage.created_at)).where(OutboxMessage.status.in_(waiting))
    )
    # Due mail is late when it has waited past the limit since it became due; mail
    # waiting on a retry's backoff is not late.
    overdue = db.session.scalar(
        select(func.min(OutboxMessage.next_attempt_at)).where(
            OutboxMessage.status == OutboxStatus.PENDING
        )
    )
    failed = db.session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.FAILED)
    )
    late = overdue is not None and (now - overdue).total_seconds() > limit
    return {
        "ok": not late,
        "oldest_undelivered_seconds": round((now - oldest).total_seconds(), 1) if oldest else None,
        "longest_overdue_seconds": round(max((now - overdue).total_seconds(), 0), 1)
        if overdue
        else None,
        "late_after_seconds": limit,
        "failed": failed,
    }


def readiness() -> dict:
    """Every check, and ``status`` "ok" only when all pass."""
    now = utcnow()
    checks = {"database": _database(), "redis": _redis()}
    if checks["database"]["ok"]:
        try:
            checks["worker"] = _worker(now)
            checks["outbox"] = _outbox(now)
        except Exception as error:
            _forget_session()
            checks["database"] = {"ok": False, "error": type(error).__name__}
    for name in ("worker", "outbox"):
        checks.setdefault(name, {"ok": False, "error": "database unavailable"})
    healthy = all(check["ok"] for check in checks.values())
    return {"status": "ok" if healthy else "unavailable", "checks": checks}
