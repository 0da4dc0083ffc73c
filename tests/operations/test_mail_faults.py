"""Mail under faults: the real SendGrid client against a local server that fails,
hangs and drops; the lease timed from each claim; a worker SIGKILLed mid-delivery."""

from __future__ import annotations

import signal
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from community.extensions import db
from community.models_base import utcnow
from community.notifications.models import OutboxMessage, OutboxStatus
from community.notifications.service import (
    DeliveryReport,
    deliver_due,
    queue_mail,
    release_stale_claims,
)
from tests.conftest import sign_in_client
from tests.notifications import context, reload
from tests.operations.conftest import start_worker, stop, wait_for, worker_env
from tests.support.factories import make_user
from tests.support.sendgrid_server import FakeSendGrid


@pytest.fixture
def fake_sendgrid():
    fake = FakeSendGrid()
    fake.thread = threading.Thread(
        target=fake.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    with fake:
        yield fake


@pytest.fixture
def sendgrid_app(make_app, fake_sendgrid):
    def factory(**overrides):
        settings = {
            "MAIL_BACKEND": "sendgrid",
            "SENDGRID_API_KEY": "SG.test",
            "SENDGRID_HOST": fake_sendgrid.url,
            "MAIL_SEND_TIMEOUT_SECONDS": 1,
        }
        return make_app(**{**settings, **overrides})

    return factory


def queue(n: int) -> list[str]:
    keys = [f"fault:{i}" for i in range(n)]
    for i, key in enumerate(keys):
        queue_mail(template="password_changed", to=f"p{i}@example.com", subject="S", key=key)
    db.session.commit()
    return keys


def test_the_lease_is_timed_from_each_claim_not_the_batch_start(sendgrid_app, fake_sendgrid):
    """A batch that began 11 minutes ago claims its next mail now: no other worker
    may take that mail back while it is being sent."""
    app = sendgrid_app()
    taken_back = []

    with context(app):
        queue(2)
        batch_start = utcnow() - timedelta(minutes=11)
        db.session.execute(update(OutboxMessage).values(next_attempt_at=batch_start))
        db.session.commit()

        original = fake_sendgrid.server.RequestHandlerClass.do_POST

        def while_sending(handler):
            # A second worker looks for stale claims while this mail is on the wire.
            with context(app):
                taken_back.append(release_stale_claims(utcnow()))
            original(handler)

        fake_sendgrid.server.RequestHandlerClass.do_POST = while_sending
        assert deliver_due(now=batch_start) == DeliveryReport(sent=2)
        messages = list(db.session.scalars(select(OutboxMessage)))
    assert taken_back == [0, 0]
    assert fake_sendgrid.delivered_keys() == ["fault:0", "fault:1"]
    assert all(m.claimed_by is None for m in messages)


def test_500s_hangs_and_drops_are_retried_until_every_mail_is_delivered_once(
    sendgrid_app, fake_sendgrid
):
    app = sendgrid_app(MAIL_MAX_ATTEMPTS=6)
    fake_sendgrid.hang_seconds = 2.0  # past the client's 1 s timeout
    fake_sendgrid.fail_next(500, "hang", "drop", 503, "drop", "hang")
    with context(app):
        keys = queue(4)
        now = utcnow()
        reports = []
        for _ in range(6):
            reports.append(deliver_due(now=now))
            if not db.session.scalar(
                select(OutboxMessage.id).where(OutboxMessage.status != OutboxStatus.SENT)
            ):
                break
            now += timedelta(hours=2)
        messages = list(db.session.scalars(select(OutboxMessage)))
        assert {m.status for m in messages} == {OutboxStatus.SENT}
        assert sum(m.attempts for m in messages) == 4 + 6
        assert sum(r.retried for r in reports) == 6
    assert sorted(fake_sendgrid.delivered_keys()) == sorted(keys)  # each exactly once
    assert len(fake_sendgrid.requests) == 10


def test_failed_mail_is_listed_for_administrators(sendgrid_app, fake_sendgrid, users):
    app = sendgrid_app(MAIL_MAX_ATTEMPTS=2)
    fake_sendgrid.fail_next("drop", "hang")
    fake_sendgrid.hang_seconds = 1.5
    with context(app):
        queue_mail(template="password_changed", to="x@example.com", subject="Lost mail", key="k")
        db.session.commit()
        deliver_due()
        message = db.session.scalar(select(OutboxMessage))
        deliver_due(now=message.next_attempt_at)
        assert reload(message.id).status == OutboxStatus.FAILED
    page = sign_in_client(app, users["admin"]).get("/admin/mail/?status=failed")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "x@example.com" in text
    assert "SendGrid unreachable: TimeoutError" in text


@pytest.mark.slow  # starts `flask worker` twice in subprocesses and waits out a lease
def test_a_worker_killed_mid_delivery_loses_nothing_and_repeats_at_most_the_one_in_flight(
    app, make_app, fake_sendgrid
):
    """SIGKILL while SendGrid holds an accepted mail's answer: after the lease the
    restarted worker sends that one again (the documented window); every other mail
    goes exactly once."""
    fake_sendgrid.hang_seconds = 1.5
    # Only the first worker's two requests need to be held: it is killed during the
    # second. The restarted worker's requests are answered at once.
    fake_sendgrid.fail_next("slow", "slow")
    env = worker_env(
        app.config["SQLALCHEMY_DATABASE_URI"],
        MAIL_BACKEND="sendgrid",
        SENDGRID_API_KEY="SG.test",
        SENDGRID_HOST=fake_sendgrid.url,
        WORKER_POLL_SECONDS="1",
        MAIL_CLAIM_LEASE_SECONDS="4",
    )
    sender = make_app()
    with context(sender):
        make_user()
        keys = queue(5)
    worker = start_worker(env)
    try:
        assert wait_for(lambda: len(fake_sendgrid.requests) >= 2, timeout=150)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
        in_flight = fake_sendgrid.delivered_keys()[-1]
        with context(sender):
            held = db.session.scalars(
                select(OutboxMessage.idempotency_key).where(
                    OutboxMessage.status == OutboxStatus.SENDING
                )
            ).all()
        assert held == [in_flight]  # claimed, accepted by SendGrid, not recorded

        worker = start_worker(env)

        def all_sent():
            with context(sender):
                statuses = db.session.scalars(select(OutboxMessage.status)).all()
                return set(statuses) == {OutboxStatus.SENT}

        assert wait_for(all_sent, timeout=150)
    finally:
        output = stop(worker)
    delivered = fake_sendgrid.delivered_keys()
    assert set(delivered) == set(keys)  # nothing lost
    repeats = [k for k in set(delivered) if delivered.count(k) > 1]
    assert repeats == [in_flight]  # only the documented window
    assert delivered.count(in_flight) == 2
    assert "Traceback" not in output
