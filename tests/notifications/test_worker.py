"""The worker and the wake-ups: `flask worker`, Redis, and inline delivery after commit.

Redis is the real one at 127.0.0.1:6379 (db 15): missing, these tests skip locally
and fail in CI (``tests.support.env.require``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from community import jobs
from community.extensions import db
from community.notifications import mails
from community.notifications.models import OutboxMessage, OutboxStatus
from community.operations import logs
from tests.notifications import context, reload
from tests.support.env import REDIS_URL, redis_available, require
from tests.support.factories import make_user

ROOT = Path(__file__).resolve().parents[2]


def wait_for(condition, timeout: float = 5.0, interval: float = 0.02):
    """Poll ``condition()`` until it is truthy or ``timeout`` seconds pass; its last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)


def status_of(app, message_id: int) -> OutboxStatus:
    with context(app):
        return reload(message_id).status


def queue_password_changed(app) -> tuple[int, str]:
    """In a request on ``app``: queue a mail and commit, as a view would. (id, file name)"""
    with context(app):
        user = make_user(commit=False)
        message = mails.password_changed(user)
        db.session.commit()
        return message.id, f"{message.id:08d}-password_changed.eml"


@pytest.fixture
def redis_client():
    require(redis_available(), "Redis")
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_timeout=5)
    client.delete(jobs.WAKE_KEY)
    yield client
    client.delete(jobs.WAKE_KEY)
    client.close()


# --- flask worker --once ------------------------------------------------------------


def test_flask_worker_once_delivers_pending_mail(make_app, tmp_path):
    mail_dir = tmp_path / "mail"
    app = make_app(MAIL_BACKEND="file", MAIL_FILE_DIR=str(mail_dir))
    first_id, first_file = queue_password_changed(app)
    second_id, second_file = queue_password_changed(app)

    result = app.test_cli_runner().invoke(args=["worker", "--once"])

    assert result.exit_code == 0, result.output
    assert "Worker started (once)" in result.output
    assert status_of(app, first_id) == OutboxStatus.SENT
    assert status_of(app, second_id) == OutboxStatus.SENT
    assert sorted(p.name for p in mail_dir.iterdir()) == sorted([first_file, second_file])

    # Once more: nothing is left to send, nothing is written again.
    again = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert again.exit_code == 0, again.output
    assert len(list(mail_dir.iterdir())) == 2
    with context(app):
        assert {m.attempts for m in db.session.scalars(select(OutboxMessage))} == {1}


# --- JOBS_MODE=worker with Redis ------------------------------------------------------


@pytest.mark.redis
def test_a_commit_that_queued_mail_wakes_the_worker_through_redis(make_app, redis_client):
    app = make_app(JOBS_MODE="worker", REDIS_URL=REDIS_URL)
    with context(app):
        user = make_user()
        message = mails.password_changed(user)
        db.session.flush()
        assert redis_client.lrange(jobs.WAKE_KEY, 0, -1) == []  # nothing before the commit
        db.session.commit()
        woken = [jobs.read_wake_payload(raw) for raw in redis_client.lrange(jobs.WAKE_KEY, 0, -1)]
        assert woken == [("deliver_mail", None)]  # no request here, so no request id
        # The web process only wakes the worker; it does not send.
        assert reload(message.id).status == OutboxStatus.PENDING

        # A commit that queued no mail wakes nobody.
        redis_client.delete(jobs.WAKE_KEY)
        user.display_name = "Renamed"
        db.session.commit()
        assert redis_client.lrange(jobs.WAKE_KEY, 0, -1) == []

        # Mail queued in a transaction that rolled back wakes nobody either, even
        # when the session's next transaction commits.
        mails.password_changed(user)
        db.session.rollback()
        user.display_name = "Renamed again"
        db.session.commit()
        assert redis_client.lrange(jobs.WAKE_KEY, 0, -1) == []


@pytest.mark.redis
@pytest.mark.slow  # a real `flask worker` subprocess
def test_flask_worker_is_woken_by_redis_and_sends_at_once(app, make_app, redis_client, tmp_path):
    """A real `flask worker` process, polling only every 60 s, sends within seconds of
    the commit: the Redis wake-up, not the poll, made it run."""
    mail_dir = tmp_path / "mail"
    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": "test-secret-key-not-for-production",
        "REDIS_URL": REDIS_URL,
        "RATELIMIT_STORAGE_URI": "memory://",
        "JOBS_MODE": "worker",
        "MAIL_BACKEND": "file",
        "MAIL_FILE_DIR": str(mail_dir),
        "WORKER_POLL_SECONDS": "60",
        "COMMUNITY_ENV": "development",
        "LOG_FORMAT": "json",
        "PYTHONUNBUFFERED": "1",
    }

    def blocked_workers() -> int:
        return sum(
            1
            for c in redis_client.client_list()
            if c.get("cmd") == "blpop" and c.get("db") == REDIS_URL.rsplit("/", 1)[-1]
        )

    already_blocked = blocked_workers()
    flask = Path(sys.executable).with_name("flask")
    worker = subprocess.Popen(
        [str(flask), "--app", "wsgi", "worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        # Wait until the worker has run its first round and sleeps on the Redis list.
        if not wait_for(lambda: blocked_workers() > already_blocked, timeout=60, interval=0.05):
            worker.kill()
            pytest.fail(f"the worker never waited on Redis:\n{worker.communicate()[0]}")

        sender = make_app(JOBS_MODE="worker", REDIS_URL=REDIS_URL)
        queued_at = time.monotonic()
        # Queued while serving a request: its id travels in the wake-up to the worker.
        with logs.request_id_context("req-worker-3"):
            message_id, file_name = queue_password_changed(sender)

        assert wait_for(lambda: status_of(sender, message_id) == OutboxStatus.SENT, timeout=10)
        assert time.monotonic() - queued_at < 10  # far less than the 60 s poll
        assert (mail_dir / file_name).is_file()
        # Back to sleep on Redis, not sending again.
        assert wait_for(lambda: blocked_workers() > already_blocked, timeout=5)
        assert [p.name for p in mail_dir.iterdir()] == [file_name]
    finally:
        worker.terminate()
        output = worker.communicate(timeout=10)[0]
    assert "Worker started" in output
    assert "Traceback" not in output
    # Its log lines are JSON (LOG_FORMAT=json); the delivery carries the request's id.
    entries = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    delivered = [e for e in entries if e.get("job") == "deliver_mail" and "sent=1" in e["message"]]
    assert delivered, output
    assert {e["request_id"] for e in delivered} == {"req-worker-3"}
    assert "@" not in output  # the recipient's address never reaches the log


# --- JOBS_MODE=inline -----------------------------------------------------------------


def test_inline_mode_delivers_after_commit_in_a_background_thread(make_app, tmp_path):
    mail_dir = tmp_path / "mail"
    app = make_app(JOBS_MODE="inline", MAIL_BACKEND="file", MAIL_FILE_DIR=str(mail_dir))
    with context(app):
        user = make_user()
        message = mails.password_changed(user)
        db.session.flush()
        message_id = message.id
        file_name = f"{message_id:08d}-password_changed.eml"
        before = set(threading.enumerate())
        db.session.commit()
        started = [t for t in threading.enumerate() if t not in before]

    assert wait_for(lambda: status_of(app, message_id) == OutboxStatus.SENT, timeout=5)
    assert (mail_dir / file_name).is_file()
    for thread in started:  # let the job thread finish before the tables are emptied
        thread.join(timeout=5)
    with context(app):
        sent = reload(message_id)
        assert sent.attempts == 1
        assert sent.provider_message_id == file_name
