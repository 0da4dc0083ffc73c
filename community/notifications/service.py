"""Queueing mail in the outbox, and delivering it with retries."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, render_template
from sqlalchemy import select, update

from .. import jobs
from ..audit.service import record
from ..extensions import db
from ..models_base import utcnow
from ..operations.heartbeat import pulse
from .backends import DeliveryError, get_backend
from .models import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

#: A claim older than this is assumed to belong to a worker that died
#: (``MAIL_CLAIM_LEASE_SECONDS`` overrides it).
CLAIM_LEASE = timedelta(minutes=10)


def _lease() -> timedelta:
    return timedelta(seconds=current_app.config.get("MAIL_CLAIM_LEASE_SECONDS", 600))


def queue_mail(
    *,
    template: str,
    to: str,
    subject: str,
    key: str | None = None,
    user=None,
    known_new: bool = False,
    **context,
) -> OutboxMessage:
    """Render a mail and add it to the outbox in the current transaction.

    The same ``key`` queued twice gives back the first message, so a retried
    request never mails twice. A caller queuing many mails may look the keys up in
    one query itself and pass ``known_new=True`` (the unique key still guards it).
    """
    key = key or f"{template}:{uuid.uuid4()}"
    subject = one_line(subject)
    if not known_new:
        existing = db.session.scalar(
            select(OutboxMessage).where(OutboxMessage.idempotency_key == key)
        )
        if existing is not None:
            return existing
    context.update(subject=subject, recipient=user)
    message = OutboxMessage(
        idempotency_key=key,
        template=template,
        user_id=getattr(user, "id", None),
        to_address=to,
        subject=subject,
        text_body=render_template(f"emails/{template}.txt", **context),
        html_body=render_template(f"emails/{template}.html", **context),
        next_attempt_at=utcnow(),
    )
    db.session.add(message)
    jobs.after_commit("deliver_mail")
    return message


def one_line(subject: str) -> str:
    """A subject on one line and within its column: a title saved with a line break
    (before the request guard refused them) must never split a mail header."""
    return " ".join(str(subject).split())[:200]


def backoff(attempts: int) -> timedelta:
    """Wait before the next try: 30 s, 1 min, 2 min … capped at one hour."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def _claim(message_id: int, now: datetime) -> str | None:
    """Take a message for this worker; its claim id, or None if another worker has it.

    It must still be due: another worker may have tried it since this one listed
    it, and a failed try sets a later ``next_attempt_at`` (the backoff). The lease
    is timed from this claim (``utcnow()`` now, not the batch's start), so a long
    batch never hands a mail it is still sending to a second worker.
    """
    claim = uuid.uuid4().hex
    result = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.next_attempt_at <= now,
        )
        .values(status=OutboxStatus.SENDING, claimed_at=utcnow(), claimed_by=claim)
    )
    db.session.commit()
    return claim if result.rowcount == 1 else None


def release_stale_claims(now: datetime) -> int:
    """Take back claims older than the lease: their worker died mid-delivery."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.status == OutboxStatus.SENDING,
            OutboxMessage.claimed_at < now - _lease(),
        )
        .values(status=OutboxStatus.PENDING, claimed_by=None)
    )
    db.session.commit()
    if result.rowcount:
        log.warning("took back %d mail claims older than the lease", result.rowcount)
    return result.rowcount


def _record(message_id: int, claim: str, values: dict) -> bool:
    """Write a delivery's outcome, only if this worker still holds the claim."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.claimed_by == claim)
        .values(**values)
    )
    db.session.commit()
    if result.rowcount != 1:
        log.error("mail %s: the claim was taken back before its result was recorded", message_id)
    return result.rowcount == 1


@jobs.job("deliver_mail")
def deliver_due(now: datetime | None = None, limit: int = 100) -> DeliveryReport:
    """Deliver every pending message that is due. Safe to run in several workers."""
    now = now or utcnow()
    report = DeliveryReport()
    release_stale_claims(now)
    due = db.session.scalars(
        select(OutboxMessage.id)
        .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    backend = get_backend() if due else None
    max_attempts = current_app.config["MAIL_MAX_ATTEMPTS"]
    for message_id in due:
        pulse()
        claim = _claim(message_id, now)
        if claim is None:
            continue
        message = db.session.get(OutboxMessage, message_id)
        attempts = message.attempts + 1
        forget = forget_address(message)  # anonymous receipts: the address goes once sent
        try:
            provider_id = backend.send(message)
        except Exception as error:  # any failure is recorded; only DeliveryError can be permanent
            db.session.rollback()
            if not isinstance(error, DeliveryError):
                log.exception("mail %s: unexpected error from the backend", message_id)
            values = {
                "attempts": attempts,
                "last_error": (str(error) or type(error).__name__)[:2000],
                "claimed_at": None,
                "claimed_by": None,
            }
            if getattr(error, "permanent", False) or attempts >= max_attempts:
                values["status"] = OutboxStatus.FAILED
                report.failed += 1
                log.error("mail %s failed for good: %s", message_id, error)
            else:
                values["status"] = OutboxStatus.PENDING
                values["next_attempt_at"] = now + backoff(attempts)
                report.retried += 1
                log.warning("mail %s will be retried: %s", message_id, error)
        else:
            values = {
                "attempts": attempts,
                "status": OutboxStatus.SENT,
                "sent_at": utcnow(),
                "provider_message_id": (provider_id or "")[:200],
                "last_error": None,
                "claimed_by": None,
            }
            report.sent += 1
        if forget and values["status"] != OutboxStatus.PENDING:
            values.update(to_address="", text_body="", html_body="")
        _record(message_id, claim, values)
    return report


#: Mail to someone without an account whose address we promised not to keep: blanked
#: as soon as it is sent (or has failed for good).
FORGET_AFTER_SENDING = frozenset({"survey_receipt"})


def forget_address(message: OutboxMessage) -> bool:
    return message.user_id is None and message.template in FORGET_AFTER_SENDING


def retry_failed(message: OutboxMessage) -> None:
    """An admin sends a failed message again (audited)."""
    message.status = OutboxStatus.PENDING
    message.attempts = 0
    message.next_attempt_at = utcnow()
    record("mail.retried", "outbox_message", message.id)
    jobs.after_commit("deliver_mail")
