"""The outbox end to end, with real parts: templates, the database, the official
``sendgrid`` client talking HTTP to a fake SendGrid on loopback, and threads.

Nothing of ours is mocked. Time is moved by passing ``now`` to ``deliver_due``.
"""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from datetime import timedelta

import pytest
from markupsafe import escape
from sqlalchemy import event, select

from community.accounts.models import User
from community.audit.models import AuditEvent
from community.extensions import db
from community.models_base import utcnow
from community.notifications import mails
from community.notifications.models import OutboxMessage, OutboxStatus
from community.notifications.service import (
    CLAIM_LEASE,
    DeliveryReport,
    backoff,
    deliver_due,
    queue_mail,
)
from tests.notifications import context, count_messages, reload
from tests.support.factories import make_user
from tests.support.sendgrid_server import FakeSendGrid

PASSWORD_CHANGED_LINE = "The password for your account was changed"


@pytest.fixture
def fake_sendgrid():
    fake = FakeSendGrid()
    # Poll for shutdown every 20 ms rather than http.server's 0.5 s: shutdown() waits
    # for a poll, and this fixture is torn down after most tests here.
    fake.thread = threading.Thread(
        target=fake.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    with fake:
        yield fake


@pytest.fixture
def sendgrid_app(make_app, fake_sendgrid):
    """``sendgrid_app(**overrides)``: an app that mails through the real client to the fake."""

    def factory(**overrides):
        settings = {
            "MAIL_BACKEND": "sendgrid",
            "SENDGRID_API_KEY": "SG.test",
            "SENDGRID_HOST": fake_sendgrid.url,
        }
        return make_app(**{**settings, **overrides})

    return factory


def queue_plain(n: int = 1, prefix: str = "test") -> list[int]:
    """Queue ``n`` mails without an account and commit; their ids."""
    messages = [
        queue_mail(
            template="password_changed",
            to=f"{prefix}{i}@example.com",
            subject=f"Mail {i}",
            key=f"{prefix}:{i}",
        )
        for i in range(n)
    ]
    db.session.commit()
    return [m.id for m in messages]


def outbox_keys(requests: list[dict]) -> list[str]:
    return [r["body"]["custom_args"]["outbox_key"] for r in requests]


# --- Queueing -------------------------------------------------------------------


def test_a_typed_mail_is_one_outbox_row_with_both_bodies_rendered(ctx):
    user = make_user()
    before = utcnow()
    mails.password_changed(user)
    db.session.commit()

    rows = db.session.scalars(select(OutboxMessage)).all()
    assert len(rows) == 1
    row = rows[0]
    assert row.template == "password_changed"
    assert row.to_address == user.email
    assert row.user_id == user.id
    assert row.subject == "Your password was changed"
    assert row.status == OutboxStatus.PENDING
    assert row.attempts == 0
    assert row.sent_at is None and row.claimed_at is None
    assert before <= row.next_attempt_at <= utcnow()  # due at once
    assert row.idempotency_key.startswith("password_changed:")
    contact = ctx.config["PARTNERSHIP_CONTACT_EMAIL"]
    # Plain text: the words, the greeting with the name as typed, no markup added.
    assert PASSWORD_CHANGED_LINE in row.text_body
    assert contact in row.text_body
    assert f"Hello {user.display_name}," in row.text_body
    assert "<p>" not in row.text_body
    # HTML: the same words in the HTML layout, with the hostile name escaped.
    assert PASSWORD_CHANGED_LINE in row.html_body
    assert contact in row.html_body
    assert row.html_body.lstrip().startswith("<!DOCTYPE html>")
    assert "<title>Your password was changed</title>" in row.html_body
    assert str(escape(user.display_name)) in row.html_body
    assert "<script>" not in row.html_body


def test_outbox_times_come_back_timezone_aware_in_utc(ctx):
    """The worker compares and adds to these times; on SQLite too they must be UTC."""
    before = utcnow()
    queue_plain(1)
    db.session.expire_all()
    row = db.session.scalars(select(OutboxMessage)).one()
    for value in (row.next_attempt_at, row.created_at):
        assert value.utcoffset() == timedelta(0)
        assert before <= value <= utcnow()


def test_the_same_idempotency_key_twice_is_one_mail(ctx):
    user = make_user()
    first = queue_mail(
        template="password_changed", to=user.email, subject="S", key="pw:1", user=user
    )
    db.session.commit()
    again = queue_mail(
        template="password_changed", to=user.email, subject="S", key="pw:1", user=user
    )
    db.session.commit()
    assert again.id == first.id
    assert count_messages() == 1

    # Twice in one transaction (nothing flushed yet) is one mail too.
    one = queue_mail(template="password_changed", to=user.email, subject="S", key="pw:2")
    two = queue_mail(template="password_changed", to=user.email, subject="S", key="pw:2")
    db.session.commit()
    assert one is two
    assert count_messages() == 2


def test_a_rolled_back_transaction_leaves_no_mail(ctx):
    user = make_user()
    user.display_name = "Renamed in the failed request"
    mails.password_changed(user)
    db.session.flush()
    assert count_messages() == 1  # the row really is in the open transaction
    db.session.rollback()

    assert count_messages() == 0
    assert db.session.get(User, user.id).display_name != "Renamed in the failed request"


# --- SendGrid, through the official client ---------------------------------------


def test_sendgrid_receives_the_mail_as_the_v3_api_expects(sendgrid_app, fake_sendgrid):
    app = sendgrid_app()
    with context(app):
        user = make_user()
        message = mails.password_changed(user)
        db.session.commit()
        message_id, key, to = message.id, message.idempotency_key, user.email

        assert deliver_due() == DeliveryReport(sent=1)

        sent = reload(message_id)
        assert sent.status == OutboxStatus.SENT
        assert sent.attempts == 1
        assert sent.sent_at is not None
        assert sent.last_error is None
        assert sent.provider_message_id == "fake-1"  # SendGrid's X-Message-Id header
        text_body, html_body = sent.text_body, sent.html_body

    assert len(fake_sendgrid.requests) == 1
    request = fake_sendgrid.requests[0]
    assert request["path"] == "/v3/mail/send"
    assert request["authorization"] == "Bearer SG.test"
    body = request["body"]
    assert body["from"] == {"email": app.config["MAIL_FROM"]}
    assert body["personalizations"] == [{"to": [{"email": to}]}]
    assert body["subject"] == "Your password was changed"
    assert body["content"] == [
        {"type": "text/plain", "value": text_body},
        {"type": "text/html", "value": html_body},
    ]
    assert PASSWORD_CHANGED_LINE in body["content"][0]["value"]
    assert body["custom_args"] == {"outbox_key": key}
    assert body["headers"] == {"X-Idempotency-Key": key}
    assert fake_sendgrid.delivered == [request]


def test_a_500_is_retried_after_the_backoff_and_the_mail_is_delivered_exactly_once(
    sendgrid_app, fake_sendgrid
):
    app = sendgrid_app()
    fake_sendgrid.fail_next(500)
    with context(app):
        (message_id,) = queue_plain(1)
        key = reload(message_id).idempotency_key

        before = utcnow()
        assert deliver_due() == DeliveryReport(retried=1)
        after = utcnow()
        waiting = reload(message_id)
        assert waiting.status == OutboxStatus.PENDING
        assert waiting.attempts == 1
        assert waiting.last_error == "SendGrid answered 500"
        assert waiting.claimed_at is None
        assert waiting.sent_at is None
        assert backoff(1) == timedelta(seconds=30)
        assert before + backoff(1) <= waiting.next_attempt_at <= after + backoff(1)
        assert fake_sendgrid.delivered == []
        assert len(fake_sendgrid.requests) == 1
        due_at = waiting.next_attempt_at

        # Not due yet: running the worker again at once, or a second early, sends nothing.
        assert deliver_due() == DeliveryReport()
        assert deliver_due(now=due_at - timedelta(seconds=1)) == DeliveryReport()
        assert len(fake_sendgrid.requests) == 1
        assert reload(message_id).attempts == 1

        # Due: delivered.
        assert deliver_due(now=due_at + timedelta(seconds=1)) == DeliveryReport(sent=1)
        sent = reload(message_id)
        assert sent.status == OutboxStatus.SENT
        assert sent.attempts == 2
        assert sent.last_error is None
        assert sent.provider_message_id == "fake-2"

        # Never again, however often and however late the worker runs.
        assert deliver_due(now=due_at + timedelta(seconds=2)) == DeliveryReport()
        assert deliver_due(now=due_at + timedelta(days=30)) == DeliveryReport()
        assert deliver_due() == DeliveryReport()

    assert len(fake_sendgrid.requests) == 2
    assert outbox_keys(fake_sendgrid.delivered) == [key]


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        (400, OutboxStatus.FAILED),
        (401, OutboxStatus.FAILED),
        (403, OutboxStatus.FAILED),
        (413, OutboxStatus.FAILED),
        (408, OutboxStatus.PENDING),
        (429, OutboxStatus.PENDING),
        (500, OutboxStatus.PENDING),
        (502, OutboxStatus.PENDING),
        (503, OutboxStatus.PENDING),
    ],
)
def test_client_errors_fail_for_good_and_server_errors_are_retried(
    sendgrid_app, fake_sendgrid, status, outcome
):
    app = sendgrid_app()
    fake_sendgrid.fail_next(status)
    with context(app):
        (message_id,) = queue_plain(1)
        report = deliver_due()
        message = reload(message_id)
        assert message.status == outcome
        assert message.attempts == 1
        assert message.last_error == f"SendGrid answered {status}"
        assert message.sent_at is None
        if outcome == OutboxStatus.FAILED:
            assert report == DeliveryReport(failed=1)
            # A failed mail is never tried again by the worker, even much later.
            assert deliver_due(now=utcnow() + timedelta(days=7)) == DeliveryReport()
            assert reload(message_id).status == OutboxStatus.FAILED
        else:
            assert report == DeliveryReport(retried=1)
            assert message.next_attempt_at > utcnow()
    assert len(fake_sendgrid.requests) == 1
    assert fake_sendgrid.delivered == []


def test_repeated_500s_back_off_longer_each_time_and_end_in_failed(sendgrid_app, fake_sendgrid):
    app = sendgrid_app(MAIL_MAX_ATTEMPTS=4)
    fake_sendgrid.fail_next(500, 500, 500, 500)
    with context(app):
        (message_id,) = queue_plain(1)
        now = utcnow()
        waits = []
        for attempt in (1, 2, 3):
            assert deliver_due(now=now) == DeliveryReport(retried=1)
            message = reload(message_id)
            assert message.status == OutboxStatus.PENDING
            assert message.attempts == attempt
            waits.append(message.next_attempt_at - now)
            now = message.next_attempt_at
        assert waits == [timedelta(seconds=30), timedelta(minutes=1), timedelta(minutes=2)]

        assert deliver_due(now=now) == DeliveryReport(failed=1)
        failed = reload(message_id)
        assert failed.status == OutboxStatus.FAILED
        assert failed.attempts == 4
        assert failed.last_error == "SendGrid answered 500"
        assert deliver_due(now=now + timedelta(days=1)) == DeliveryReport()
    assert len(fake_sendgrid.requests) == 4
    assert fake_sendgrid.delivered == []


def test_backoff_is_capped_at_one_hour():
    assert [backoff(n) for n in (1, 2, 3, 4)] == [
        timedelta(seconds=30),
        timedelta(seconds=60),
        timedelta(seconds=120),
        timedelta(seconds=240),
    ]
    assert backoff(8) == timedelta(hours=1)
    assert backoff(50) == timedelta(hours=1)


def test_an_unreachable_sendgrid_is_retried(make_app):
    with socket.socket() as sock:  # a loopback port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app = make_app(
        MAIL_BACKEND="sendgrid",
        SENDGRID_API_KEY="SG.test",
        SENDGRID_HOST=f"http://127.0.0.1:{port}",
    )
    with context(app):
        (message_id,) = queue_plain(1)
        assert deliver_due() == DeliveryReport(retried=1)
        message = reload(message_id)
        assert message.status == OutboxStatus.PENDING
        assert message.attempts == 1
        assert message.last_error.startswith("SendGrid unreachable")


def test_a_missing_api_key_fails_for_good_without_calling_sendgrid(sendgrid_app, fake_sendgrid):
    app = sendgrid_app(SENDGRID_API_KEY="")
    with context(app):
        (message_id,) = queue_plain(1)
        assert deliver_due() == DeliveryReport(failed=1)
        message = reload(message_id)
        assert message.status == OutboxStatus.FAILED
        assert message.last_error == "SENDGRID_API_KEY is not set"
    assert fake_sendgrid.requests == []


# --- Admins see failed mail and send it again ------------------------------------


NON_ADMIN_ROLES = ["resident", "youth", "group_leader", "partner", "moderator", "officer"]


def test_failed_mail_is_listed_for_admins_and_can_be_sent_again(
    sendgrid_app, fake_sendgrid, role_client, users
):
    app = sendgrid_app()
    fake_sendgrid.fail_next(400)
    with context(app):
        failed_id, ok_id = queue_plain(2, prefix="admin-page")
        assert deliver_due() == DeliveryReport(sent=1, failed=1)
        assert reload(failed_id).status == OutboxStatus.FAILED
        assert reload(ok_id).status == OutboxStatus.SENT

    admin = role_client("admin")
    page = admin.get("/admin/mail/?status=failed")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "admin-page0@example.com" in html
    assert "SendGrid answered 400" in html
    assert f'action="/admin/mail/{failed_id}/retry"' in html
    assert "admin-page1@example.com" not in html  # the sent one is not a failure
    assert "failed (1)" in html and "sent (1)" in html

    sent_page = admin.get("/admin/mail/?status=sent").get_data(as_text=True)
    assert "admin-page1@example.com" in sent_page
    assert f"/admin/mail/{ok_id}/retry" not in sent_page  # only failed mail can be resent

    response = admin.post(f"/admin/mail/{failed_id}/retry")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/mail/")

    with context(app):
        message = reload(failed_id)
        assert message.status == OutboxStatus.PENDING
        assert message.attempts == 0
        assert message.next_attempt_at <= utcnow()
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "mail.retried").order_by(AuditEvent.id)
        ).all()
        assert [(e.target_type, e.target_id, e.actor_id) for e in events] == [
            ("outbox_message", failed_id, users["admin"].id)
        ]
        # The next worker run sends it (SendGrid accepts it this time), once.
        assert deliver_due() == DeliveryReport(sent=1)
        assert reload(failed_id).status == OutboxStatus.SENT
    assert outbox_keys(fake_sendgrid.delivered) == ["admin-page:1", "admin-page:0"]

    # Only failed mail can be sent again; unknown mail is 404.
    assert admin.post(f"/admin/mail/{failed_id}/retry").status_code == 400
    assert admin.post("/admin/mail/999999/retry").status_code == 404


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_only_admins_see_the_mail_page(ctx, role_client, role):
    message = OutboxMessage(
        idempotency_key="k:failed",
        template="password_changed",
        to_address="secret@example.com",
        subject="S",
        text_body="t",
        html_body="h",
        status=OutboxStatus.FAILED,
    )
    db.session.add(message)
    db.session.commit()
    client = role_client(role)
    page = client.get("/admin/mail/?status=failed")
    assert page.status_code == 403
    assert "secret@example.com" not in page.get_data(as_text=True)
    assert client.post(f"/admin/mail/{message.id}/retry").status_code == 403
    assert reload(message.id).status == OutboxStatus.FAILED


def test_visitors_are_sent_to_sign_in_from_the_mail_page(role_client):
    response = role_client("visitor").get("/admin/mail/?status=failed")
    assert response.status_code == 302
    assert response.headers["Location"].split("?")[0].endswith("/sign-in")


# --- Several workers --------------------------------------------------------------


def run_in_threads(app, count: int, target):
    """Run ``target()`` in ``count`` threads at once, each in its own app context."""
    barrier = threading.Barrier(count)
    results: list = []
    errors: list[BaseException] = []

    def work():
        try:
            with app.app_context():
                barrier.wait(timeout=10)
                results.append(target())
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    return results


def test_two_workers_at_once_deliver_every_mail_exactly_once(sendgrid_app, fake_sendgrid):
    app = sendgrid_app()
    with context(app):
        ids = queue_plain(20, prefix="race")

    reports = run_in_threads(app, 2, deliver_due)

    assert sum(r.sent for r in reports) == 20
    assert all(r.retried == r.failed == 0 for r in reports)
    assert len(fake_sendgrid.requests) == 20
    keys = outbox_keys(fake_sendgrid.delivered)
    assert len(keys) == 20
    assert set(keys) == {f"race:{i}" for i in range(20)}
    with context(app):
        rows = [reload(i) for i in ids]
        assert {r.status for r in rows} == {OutboxStatus.SENT}
        assert {r.attempts for r in rows} == {1}


def test_a_worker_with_an_old_list_of_due_mail_does_not_skip_the_backoff(
    sendgrid_app, fake_sendgrid
):
    """Worker B reads the due list, then worker A tries the mail and gets a 500.
    B must not then claim it: it is waiting out its backoff, not due."""
    app = sendgrid_app()
    with context(app):
        (message_id,) = queue_plain(1)
        engine = db.engine

    b_is_claiming = threading.Event()
    a_is_done = threading.Event()
    b_reports: list[DeliveryReport] = []

    def worker_b():
        with app.app_context():
            b_reports.append(deliver_due())

    thread_b = threading.Thread(target=worker_b)

    def hold_b_before_its_claim(conn, cursor, statement, parameters, context_, executemany):
        claim = (
            statement.startswith("UPDATE outbox_messages SET status")
            and "claimed_at" in statement
            and "WHERE outbox_messages.id" in statement
        )
        if claim and threading.current_thread() is thread_b and not b_is_claiming.is_set():
            b_is_claiming.set()
            a_is_done.wait(timeout=10)

    event.listen(engine, "before_cursor_execute", hold_b_before_its_claim)
    try:
        thread_b.start()
        assert b_is_claiming.wait(timeout=10), "worker B never tried to claim the mail"
        fake_sendgrid.fail_next(500)
        with context(app):
            assert deliver_due() == DeliveryReport(retried=1)
        a_is_done.set()
        thread_b.join(timeout=10)
        assert not thread_b.is_alive()
    finally:
        a_is_done.set()
        event.remove(engine, "before_cursor_execute", hold_b_before_its_claim)

    assert b_reports == [DeliveryReport()]
    assert len(fake_sendgrid.requests) == 1
    assert fake_sendgrid.delivered == []
    with context(app):
        message = reload(message_id)
        assert message.status == OutboxStatus.PENDING
        assert message.attempts == 1
        assert message.next_attempt_at > utcnow()


def test_a_stale_claim_is_taken_back_and_delivered_but_a_fresh_one_is_left(
    sendgrid_app, fake_sendgrid
):
    app = sendgrid_app()
    with context(app):
        stale_id, fresh_id = queue_plain(2, prefix="claim")
        now = utcnow()
        stale, fresh = reload(stale_id), reload(fresh_id)
        stale.status = fresh.status = OutboxStatus.SENDING
        stale.claimed_at = now - CLAIM_LEASE - timedelta(seconds=1)  # its worker died
        fresh.claimed_at = now - CLAIM_LEASE + timedelta(minutes=1)  # still being sent
        db.session.commit()

        assert deliver_due(now=now) == DeliveryReport(sent=1)

        stale, fresh = reload(stale_id), reload(fresh_id)
        assert stale.status == OutboxStatus.SENT
        assert stale.attempts == 1
        assert fresh.status == OutboxStatus.SENDING
        assert fresh.sent_at is None
    assert outbox_keys(fake_sendgrid.delivered) == ["claim:0"]


# --- File and console backends ------------------------------------------------------


def test_the_file_backend_writes_an_eml_file_named_by_id(make_app, tmp_path):
    app = make_app(MAIL_BACKEND="file", MAIL_FILE_DIR=str(tmp_path / "mail"))
    with context(app):
        user = make_user()
        message = mails.password_changed(user)
        db.session.commit()
        message_id = message.id

        assert deliver_due() == DeliveryReport(sent=1)

        sent = reload(message_id)
        name = f"{message_id:08d}-password_changed.eml"
        assert sent.status == OutboxStatus.SENT
        assert sent.provider_message_id == name
        files = list((tmp_path / "mail").iterdir())
        assert [f.name for f in files] == [name]

        mail = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
        assert mail["From"] == app.config["MAIL_FROM"]
        assert mail["To"] == user.email
        assert mail["Subject"] == "Your password was changed"
        assert mail["X-Idempotency-Key"] == sent.idempotency_key
        assert mail.is_multipart()
        plain = mail.get_body(("plain",)).get_content()
        html = mail.get_body(("html",)).get_content()
        assert plain.strip() == sent.text_body.strip()
        assert html.strip() == sent.html_body.strip()
        assert PASSWORD_CHANGED_LINE in plain and PASSWORD_CHANGED_LINE in html
        assert user.display_name in plain  # right-to-left text and emoji survive the file


def test_the_console_backend_prints_the_mail(make_app, capsys):
    app = make_app(MAIL_BACKEND="console")
    with context(app):
        user = make_user()
        message = mails.password_changed(user)
        db.session.commit()
        message_id, key, to = message.id, message.idempotency_key, user.email

        assert deliver_due() == DeliveryReport(sent=1)
        assert reload(message_id).provider_message_id == f"console-{message_id}"

    out = capsys.readouterr().out
    assert f"----- mail {key} -----" in out
    assert f"From: {app.config['MAIL_FROM']}" in out
    assert f"To: {to}" in out
    assert "Subject: Your password was changed" in out
    assert PASSWORD_CHANGED_LINE in out
    assert "----- end of mail -----" in out


def test_one_mail_the_backend_cannot_take_is_retried_and_the_rest_still_go(make_app, tmp_path):
    """An error that is not a DeliveryError (here: the file backend cannot write one
    file) is recorded and retried like any other; it does not stop the batch."""
    mail_dir = tmp_path / "mail"
    app = make_app(MAIL_BACKEND="file", MAIL_FILE_DIR=str(mail_dir))
    with context(app):
        blocked_id, ok_id = queue_plain(2, prefix="batch")
        # A directory where the first mail's file should go: writing it fails.
        (mail_dir / f"{blocked_id:08d}-password_changed.eml").mkdir(parents=True)

        assert deliver_due() == DeliveryReport(sent=1, retried=1)

        blocked, ok = reload(blocked_id), reload(ok_id)
        assert ok.status == OutboxStatus.SENT
        assert (mail_dir / f"{ok_id:08d}-password_changed.eml").is_file()
        assert blocked.status == OutboxStatus.PENDING
        assert blocked.attempts == 1
        assert blocked.claimed_at is None
        assert "Is a directory" in blocked.last_error
        assert blocked.next_attempt_at > utcnow()
