"""Retention: each rule applies once, reports what it did, and a second run does nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from community import jobs
from community.accounts.models import Role, User
from community.audit.models import AuditEvent
from community.extensions import db
from community.models_base import utcnow
from community.notifications.models import OutboxMessage, OutboxStatus
from community.notifications.service import deliver_due
from community.privacy.models import Consent, ConsentPurpose
from community.privacy.retention import RetentionReport, apply_retention, months_before
from community.surveys.models import AboutYouAnswer, Response, ResponseStatus
from tests.support.factories import make_consultation, make_survey, make_user
from tests.support.mail import outbox

DAY = timedelta(days=1)


def _respondent_with_about_you(survey, user, **answers):
    response = Response(survey_id=survey.id, user_id=user.id, status=ResponseStatus.SUBMITTED)
    db.session.add(response)
    db.session.flush()
    for key, value in answers.items():
        db.session.add(AboutYouAnswer(response_id=response.id, key=key, value=value))
    db.session.add(
        Consent(user_id=user.id, purpose=ConsentPurpose.ABOUT_YOU, response_id=response.id)
    )
    return response


def _mail(template: str, *, created, status=OutboxStatus.SENT, to="someone@example.org"):
    message = OutboxMessage(
        idempotency_key=f"{template}:{created.isoformat()}:{status}",
        template=template,
        to_address=to,
        subject="Subject",
        text_body="Hello, this is the text",
        html_body="<p>Hello</p>",
        status=status,
        created_at=created,
        sent_at=created if status == OutboxStatus.SENT else None,
    )
    db.session.add(message)
    return message


@pytest.fixture
def borough(app):
    """People and data either side of every retention period (defaults: 12 months,
    30 days, 36 months with 30 days' warning, 90 days)."""
    now = utcnow()
    with app.test_request_context():
        old = make_consultation(phase="closed")
        old.closes_at = months_before(now, 13)
        recent = make_consultation(phase="closed")
        recent.closes_at = months_before(now, 10)
        old_survey = make_survey(old, about_you=["age_band", "ethnicity"])
        recent_survey = make_survey(recent, about_you=["age_band"])
        resident = make_user()
        _respondent_with_about_you(old_survey, resident, age_band="35_44", ethnicity="mixed")
        _respondent_with_about_you(recent_survey, resident, age_band="35_44")

        abandoned = make_user(verified=False)
        abandoned.created_at = now - 31 * DAY
        pending = make_user(verified=False)
        pending.created_at = now - 29 * DAY

        due = make_user(email="due.for.warning@example.org")  # 10 days into the warning window
        due.last_sign_in_at = months_before(now, 36) + 10 * DAY
        ancient = make_user(email="ancient@example.org")  # long gone, never warned
        ancient.last_sign_in_at = months_before(now, 50)
        active = make_user()
        active.last_sign_in_at = months_before(now, 24)
        admin = make_user(Role.ADMIN)
        admin.last_sign_in_at = months_before(now, 60)

        _mail("old_sent", created=now - 91 * DAY)
        _mail("recent_sent", created=now - 89 * DAY)
        _mail("old_pending", created=now - 100 * DAY, status=OutboxStatus.PENDING)
        db.session.commit()
        return {
            "now": now,
            "resident": resident.id,
            "abandoned": abandoned.id,
            "pending": pending.id,
            "due": due.id,
            "ancient": ancient.id,
            "active": active.id,
            "admin": admin.id,
        }


def _run(app, now) -> RetentionReport:
    with app.test_request_context():
        report = apply_retention(now=now)
        db.session.remove()
        return report


def _about_you(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AboutYouAnswer))


def _warnings(app) -> list[tuple[str, OutboxStatus]]:
    with app.app_context():
        return sorted((m.to_address, m.status) for m in outbox(template="inactivity_warning"))


def test_each_rule_applies_once_and_a_second_run_does_nothing(app, borough):
    now = borough["now"]
    first = _run(app, now)
    assert first == RetentionReport(
        demographics_deleted=2,
        unverified_deleted=1,
        inactive_warned=2,
        inactive_erased=0,
        mail_bodies_blanked=1,
        erased_mail_blanked=0,
    )
    assert _about_you(app) == 1  # the recent consultation's answer stays
    with app.app_context():
        assert db.session.get(User, borough["abandoned"]) is None
        assert db.session.get(User, borough["pending"]) is not None
        bodies = {m.template: m.text_body for m in db.session.scalars(select(OutboxMessage))}
        assert bodies["old_sent"] == "" and bodies["recent_sent"] and bodies["old_pending"]
        (closed,) = db.session.scalars(
            select(Consent).where(Consent.withdrawn_at.is_not(None))
        ).all()
        assert closed.purpose == ConsentPurpose.ABOUT_YOU
    assert _warnings(app) == [
        ("ancient@example.org", OutboxStatus.PENDING),
        ("due.for.warning@example.org", OutboxStatus.PENDING),
    ]

    second = _run(app, now)
    assert second == RetentionReport() and not second.changed
    with app.app_context():
        deliver_due()
    assert _warnings(app) == [
        ("ancient@example.org", OutboxStatus.SENT),
        ("due.for.warning@example.org", OutboxStatus.SENT),
    ]
    mid = _run(app, now + 29 * DAY)
    assert (mid.inactive_warned, mid.inactive_erased) == (0, 0)  # still within the warning
    # Meanwhile other periods ran out: the second unconfirmed account, the mail sent 89
    # days before, and the old mail that was waiting (delivered just now, queued long ago).
    assert (mid.unverified_deleted, mid.mail_bodies_blanked) == (1, 2)

    later = now + 31 * DAY
    third = _run(app, later)
    assert third.inactive_erased == 2 and third.inactive_warned == 0
    assert third.unverified_deleted == 0 and third.mail_bodies_blanked == 0
    assert third.demographics_deleted == 0
    # Erasing them blanked the warnings they had been sent.
    assert _warnings(app) == [("", OutboxStatus.SENT), ("", OutboxStatus.SENT)]
    with app.app_context():
        for key in ("due", "ancient"):
            user = db.session.get(User, borough[key])
            assert user.is_erased and user.email.endswith("@erased.invalid")
        for key in ("active", "admin", "resident"):
            assert not db.session.get(User, borough[key]).is_erased
        # Each erased person was told, once, why.
        erased = outbox(template="account_erased")
        assert len(erased) == 2
        assert all("had not been used for 3 years" in m.text_body for m in erased)
    assert _run(app, later) == RetentionReport()
    with app.app_context():
        deliver_due()
    fourth = _run(app, later)
    assert fourth == RetentionReport(erased_mail_blanked=2)  # the confirmations, once sent
    assert _run(app, later) == RetentionReport()
    assert len(_warnings(app)) == 2  # one warning each, whatever the number of runs
    with app.app_context():
        runs = db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "retention.applied")
            .order_by(AuditEvent.id)
        ).all()
        assert len(runs) == 7 and runs[0].details["demographics_deleted"] == 2
        assert runs[0].actor_id is None
        erasures = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "user.erased").order_by(AuditEvent.id)
        ).all()
        assert {e.details["via"] for e in erasures} == {"retention"}


def test_signing_in_after_the_warning_keeps_the_account(app, borough):
    now = borough["now"]
    _run(app, now)
    with app.app_context():
        user = db.session.get(User, borough["due"])
        user.last_sign_in_at = now + 5 * DAY
        db.session.commit()
    report = _run(app, now + 31 * DAY)
    assert report.inactive_erased == 1  # only the one who never came back
    with app.app_context():
        assert not db.session.get(User, borough["due"]).is_erased
    # Nearly three years after that sign-in, they are warned again (a new mail), as are the
    # others who have not signed in since.
    report = _run(app, months_before(now + 5 * DAY, -36) - 20 * DAY)
    assert report.inactive_warned == 3 and report.inactive_erased == 0
    assert [a for a, _ in _warnings(app)].count("due.for.warning@example.org") == 2


def test_flask_retention_reports_what_it_did(app, borough):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["retention"])
    assert result.exit_code == 0, result.output
    assert "About-you answers deleted (consultation closed over 12 months ago): 2" in result.output
    assert "Unconfirmed accounts deleted (older than 30 days): 1" in result.output
    assert "Unused accounts warned" in result.output and "Sent mail blanked" in result.output
    again = runner.invoke(args=["retention"])
    assert again.exit_code == 0 and "Nothing was due." in again.output


def test_the_worker_job_runs_at_most_once_per_interval(app, borough):
    with app.test_request_context():
        assert jobs.run("retention").unverified_deleted == 1
        assert jobs.run("retention") is None
        db.session.remove()
    with app.app_context():
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "retention.applied")
        )
        event.created_at = utcnow() - timedelta(hours=25)
        db.session.commit()
    with app.test_request_context():
        assert jobs.run("retention") == RetentionReport()
        db.session.remove()


def test_months_before_keeps_the_day_or_the_end_of_the_month():
    from datetime import UTC, datetime

    assert months_before(datetime(2026, 3, 31, 12, tzinfo=UTC), 1) == datetime(
        2026, 2, 28, 12, tzinfo=UTC
    )
    assert months_before(datetime(2026, 1, 15, tzinfo=UTC), 13) == datetime(
        2024, 12, 15, tzinfo=UTC
    )
    assert months_before(datetime(2026, 1, 15, tzinfo=UTC), -36) == datetime(
        2029, 1, 15, tzinfo=UTC
    )
