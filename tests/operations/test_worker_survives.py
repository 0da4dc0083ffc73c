"""The worker survives: idle past the poll, Redis and PostgreSQL cut and restored.

Real processes and servers: `flask worker` runs as a subprocess against real Redis
and PostgreSQL, reached through ``tests/support/tcp_proxy.py`` so the test can make
them unreachable (connections reset, reconnects refused) and bring them back.
"""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from community.extensions import db
from community.notifications import mails
from community.notifications.models import OutboxMessage, OutboxStatus
from community.operations.models import WorkerHeartbeat
from tests.notifications import context, reload
from tests.operations.conftest import start_worker, stop, through, wait_for, worker_env
from tests.support.env import REDIS_URL, redis_available, require
from tests.support.factories import make_user
from tests.support.tcp_proxy import TcpProxy

#: Each test starts `flask worker` in a subprocess and cuts Redis or PostgreSQL under it.
pytestmark = pytest.mark.slow


def queue_mail(app) -> int:
    """Queue a mail and commit, as a request would; its outbox id."""
    with context(app):
        message = mails.password_changed(make_user(commit=False))
        db.session.commit()
        return message.id


def status(app, message_id: int) -> OutboxStatus:
    with context(app):
        return reload(message_id).status


def sent(app, *ids: int) -> bool:
    return all(status(app, i) == OutboxStatus.SENT for i in ids)


def heartbeats(app) -> list[WorkerHeartbeat]:
    with context(app):
        rows = list(db.session.scalars(select(WorkerHeartbeat)))
        db.session.expunge_all()
        return rows


def redis_parts():
    url = make_url(REDIS_URL.replace("redis://", "postgresql://", 1))
    return url.host, url.port or 6379, url.database or "0"


@pytest.mark.redis
def test_an_idle_worker_outlives_the_redis_wait_and_still_sends(app, make_app, tmp_path):
    """Poll 6 s against a Redis client that used to time out at 5 s: it must not die."""
    require(redis_available(), "Redis")
    mail_dir = tmp_path / "mail"
    env = worker_env(
        app.config["SQLALCHEMY_DATABASE_URI"],
        REDIS_URL=REDIS_URL,
        WORKER_POLL_SECONDS="6",
        MAIL_BACKEND="file",
        MAIL_FILE_DIR=str(mail_dir),
    )
    worker = start_worker(env)
    try:
        assert wait_for(lambda: heartbeats(app), timeout=60), "no heartbeat"
        time.sleep(8)  # idle longer than the poll (and the old 5 s socket timeout)
        assert worker.poll() is None, stop(worker)
        beat = heartbeats(app)[0]
        assert beat.state == "idle"

        sender = make_app(JOBS_MODE="worker", REDIS_URL=REDIS_URL)
        message_id = queue_mail(sender)
        assert wait_for(lambda: sent(app, message_id), timeout=10)
        assert len(list(mail_dir.iterdir())) == 1

        ready = sender.test_client().get("/healthz/ready")
        assert ready.status_code == 200, ready.json
        assert ready.json["checks"]["worker"]["workers_alive"] == 1
    finally:
        output = stop(worker)
    assert "Traceback" not in output
    assert heartbeats(app) == []  # a clean stop removes its row


@pytest.mark.redis
def test_the_worker_polls_through_a_redis_outage_and_is_woken_again_after(app, make_app, tmp_path):
    require(redis_available(), "Redis")
    host, port, number = redis_parts()
    mail_dir = tmp_path / "mail"
    with TcpProxy(host, port) as proxy:
        proxied = f"redis://127.0.0.1:{proxy.port}/{number}"
        env = worker_env(
            app.config["SQLALCHEMY_DATABASE_URI"],
            REDIS_URL=proxied,
            WORKER_POLL_SECONDS="2",
            MAIL_BACKEND="file",
            MAIL_FILE_DIR=str(mail_dir),
        )
        worker = start_worker(env)
        try:
            assert wait_for(lambda: proxy.connections, timeout=60), "never reached Redis"
            sender = make_app(JOBS_MODE="worker", REDIS_URL=proxied)
            proxy.cut()
            ready = sender.test_client().get("/healthz/ready")
            assert ready.status_code == 503
            assert ready.json["checks"]["redis"]["ok"] is False
            assert ready.json["checks"]["database"]["ok"] is True

            during = queue_mail(sender)  # the wake-up is lost; the poll finds it
            assert wait_for(lambda: sent(app, during), timeout=15)
            time.sleep(3)
            assert worker.poll() is None

            proxy.restore()
            time.sleep(3)  # the worker reconnects and waits on Redis again
            after = queue_mail(sender)
            assert wait_for(lambda: sent(app, after), timeout=10)
            assert worker.poll() is None
            assert sender.test_client().get("/healthz/ready").status_code == 200
        finally:
            output = stop(worker)
    assert "Traceback" not in output
    assert "Redis unavailable" in output
    assert len(list(mail_dir.iterdir())) == 2


@pytest.mark.postgres
def test_the_worker_survives_a_database_outage_and_delivers_what_was_queued(
    pg_app, postgres_url, tmp_path
):
    url = make_url(postgres_url)
    mail_dir = tmp_path / "mail"
    direct = pg_app()
    with TcpProxy(url.host, url.port or 5432) as proxy:
        proxied_url = through(postgres_url, proxy.port)
        env = worker_env(
            proxied_url, WORKER_POLL_SECONDS="1", MAIL_BACKEND="file", MAIL_FILE_DIR=str(mail_dir)
        )
        worker = start_worker(env)
        try:
            assert wait_for(lambda: heartbeats(direct), timeout=60), "no heartbeat"
            before = queue_mail(direct)
            assert wait_for(lambda: sent(direct, before), timeout=10)

            web = pg_app(SQLALCHEMY_DATABASE_URI=proxied_url, JOBS_MODE="worker")
            proxy.cut()
            time.sleep(1)
            ready = web.test_client().get("/healthz/ready")
            assert ready.status_code == 503
            assert ready.json["checks"]["database"] == {"ok": False, "error": "OperationalError"}

            # Queued while the worker cannot reach the database (the web tier can).
            during = [queue_mail(direct) for _ in range(3)]
            time.sleep(5)
            assert worker.poll() is None, stop(worker)
            assert not sent(direct, *during)

            proxy.restore()
            assert wait_for(lambda: sent(direct, *during), timeout=40)
            assert worker.poll() is None
            beat = heartbeats(direct)[0]
            assert "OperationalError" in (beat.last_error or "")
            ready = web.test_client().get("/healthz/ready")
            assert ready.status_code == 200, ready.json
        finally:
            output = stop(worker)
    assert "Traceback" not in output
    assert "trying again in" in output
    assert len(list(mail_dir.iterdir())) == 4
    with direct.app_context():
        assert {m.attempts for m in db.session.scalars(select(OutboxMessage))} == {1}
