"""Retention: each kind of personal data is kept for the period in the settings, no longer.

``apply_retention`` applies every rule once and reports what it did. Every rule
selects only what is due and not yet done, so running it again straight away does
nothing (and a warning mail has an idempotency key, so it is sent once). `flask
retention` runs it; so does the worker's ``retention`` job, at most once per
``RETENTION_INTERVAL_HOURS``. Each run writes one audit entry with its counts.
"""

from __future__ import annotations

import calendar
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from .. import jobs
from ..accounts.models import Role, User
from ..audit.models import AuditEvent
from ..audit.service import record
from ..consultations.models import Consultation
from ..extensions import affected, db
from ..models_base import utcnow
from ..notifications import mails
from ..notifications.models import OutboxMessage, OutboxStatus
from ..surveys import changes
from ..surveys.models import AboutYouAnswer, Response, Survey
from ..urls import external_url
from .consents import delete_consents
from .erasure import blank, erase_person, scrub_erased_mail
from .models import Consent, ConsentPurpose


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` calendar months earlier (clamped to month end)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


@dataclass
class RetentionReport:
    demographics_deleted: int = 0
    unverified_deleted: int = 0
    inactive_warned: int = 0
    inactive_erased: int = 0
    mail_bodies_blanked: int = 0
    erased_mail_blanked: int = 0

    @property
    def changed(self) -> bool:
        return any(asdict(self).values())

    def lines(self, config) -> list[str]:
        inactive = config["RETENTION_INACTIVE_MONTHS"]
        warning = config["RETENTION_INACTIVE_WARNING_DAYS"]
        return [
            f"About-you answers deleted (consultation closed over "
            f"{config['RETENTION_DEMOGRAPHICS_MONTHS']} months ago): {self.demographics_deleted}",
            f"Unconfirmed accounts deleted (older than {config['RETENTION_UNVERIFIED_DAYS']} "
            f"days): {self.unverified_deleted}",
            f"Unused accounts warned (no sign-in for {inactive} months less {warning} days): "
            f"{self.inactive_warned}",
            f"Unused accounts erased (no sign-in for {inactive} months, warned {warning}+ days "
            f"ago): {self.inactive_erased}",
            f"Sent mail blanked (older than {config['RETENTION_OUTBOX_DAYS']} days): "
            f"{self.mail_bodies_blanked}",
            f"Mail to erased accounts blanked: {self.erased_mail_blanked}",
        ]


def apply_retention(now: datetime | None = None) -> RetentionReport:
    """Apply every retention rule once, audit the counts, and commit."""
    now = now or utcnow()
    config = current_app.config
    report = RetentionReport()
    report.demographics_deleted = _demographics(
        months_before(now, config["RETENTION_DEMOGRAPHICS_MONTHS"]), now
    )
    unverified_cutoff = now - timedelta(days=config["RETENTION_UNVERIFIED_DAYS"])
    report.unverified_deleted = _unverified(unverified_cutoff)
    report.inactive_warned, report.inactive_erased = _inactive(now, config)
    report.mail_bodies_blanked = _mail(now - timedelta(days=config["RETENTION_OUTBOX_DAYS"]))
    db.session.flush()
    report.erased_mail_blanked = scrub_erased_mail()  # commits
    record("retention.applied", "retention", None, **asdict(report))
    db.session.commit()
    return report


def _demographics(cutoff: datetime, now: datetime) -> int:
    """About-you answers to consultations that closed before the cutoff."""
    closed = (
        select(Response.id)
        .join(Survey, Survey.id == Response.survey_id)
        .join(Consultation, Consultation.id == Survey.consultation_id)
        .where(Consultation.closes_at.is_not(None), Consultation.closes_at <= cutoff)
    )
    deleted = affected(delete(AboutYouAnswer).where(AboutYouAnswer.response_id.in_(closed)))
    if deleted:
        changes.responses_changed(closed)
    # The consents those answers were given under have nothing left to cover.
    db.session.execute(
        update(Consent)
        .where(
            Consent.purpose.in_([ConsentPurpose.ABOUT_YOU, ConsentPurpose.SPECIAL_CATEGORY]),
            Consent.withdrawn_at.is_(None),
            Consent.response_id.in_(closed),
        )
        .values(withdrawn_at=now)
        .execution_options(synchronize_session=False)
    )
    return deleted


def _unverified(cutoff: datetime) -> int:
    """Accounts whose address was never confirmed: deleted (they cannot have signed in)."""
    due = db.session.scalars(
        select(User).where(
            User.email_verified_at.is_(None),
            User.erased_at.is_(None),
            User.created_at <= cutoff,
        )
    ).all()
    for user in due:
        uid, email = user.id, user.email
        try:
            with db.session.begin_nested():
                _drop_mail(uid, email)
                delete_consents(uid)
                db.session.delete(user)
                db.session.flush()
        except IntegrityError:
            # Something still points at the account: keep an empty tombstone instead.
            db.session.refresh(user)
            erase_person(user, keep_contributions=True, via="retention")
        record("user.deleted_unconfirmed", "user", uid)
    return len(due)


def _drop_mail(uid: int, email: str) -> None:
    theirs = or_(OutboxMessage.user_id == uid, OutboxMessage.to_address == email)
    db.session.execute(
        delete(OutboxMessage).where(theirs, OutboxMessage.status == OutboxStatus.PENDING)
    )
    for message in db.session.scalars(select(OutboxMessage).where(theirs)):
        blank(message)


def _last_active():
    return func.coalesce(User.last_sign_in_at, User.email_verified_at, User.created_at)


def _inactive(now: datetime, config) -> tuple[int, int]:
    """Warn accounts nobody has signed in to for the period less the warning; then, once
    warned long enough ago and still unused, erase them (contributions kept, unnamed)."""
    limit = months_before(now, config["RETENTION_INACTIVE_MONTHS"])
    notice = timedelta(days=config["RETENTION_INACTIVE_WARNING_DAYS"])
    candidates = db.session.execute(
        select(User, _last_active())
        .where(
            User.email_verified_at.is_not(None),
            User.erased_at.is_(None),
            User.role != Role.ADMIN,
            _last_active() <= limit + notice,
        )
        .order_by(User.id)
    ).all()
    warned = erased = 0
    for user, last_active in candidates:
        last_active = _aware(last_active)
        warned_at = _aware(user.inactivity_warned_at)
        if warned_at is None or warned_at < last_active:
            deadline = max(now + notice, _add_months(last_active, config))
            mails.inactivity_warning(
                user,
                last_active=last_active,
                deadline=deadline,
                sign_in=external_url("accounts.sign_in"),
                key=f"inactivity-warning:{user.id}:{last_active.isoformat()}",
            )
            user.inactivity_warned_at = now
            warned += 1
        elif last_active <= limit and warned_at <= now - notice:
            erase_person(user, keep_contributions=True, via="retention")
            erased += 1
    return warned, erased


def _add_months(moment: datetime, config) -> datetime:
    return months_before(moment, -config["RETENTION_INACTIVE_MONTHS"])


def _aware(value):
    """A timestamp read through an SQL function, UTC-aware whatever the database."""
    if value is None or isinstance(value, datetime) and value.tzinfo is not None:
        return value
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC)


def _mail(cutoff: datetime) -> int:
    """The text of mail sent (or given up on) before the cutoff is blanked."""
    return affected(
        update(OutboxMessage)
        .where(
            OutboxMessage.status.in_([OutboxStatus.SENT, OutboxStatus.FAILED]),
            OutboxMessage.created_at <= cutoff,
            or_(OutboxMessage.text_body != "", OutboxMessage.html_body != ""),
        )
        .values(text_body="", html_body="")
        .execution_options(synchronize_session=False)
    )


def last_run() -> datetime | None:
    return db.session.scalar(
        select(func.max(AuditEvent.created_at)).where(AuditEvent.action == "retention.applied")
    )


@jobs.job("retention")
def retention_job() -> RetentionReport | None:
    """For the worker: apply retention if it has not run within the interval."""
    interval = timedelta(hours=current_app.config["RETENTION_INTERVAL_HOURS"])
    previous = _aware(last_run())
    if previous is not None and utcnow() - previous < interval:
        return None
    return apply_retention()
