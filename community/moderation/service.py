"""Moderation rules: automatic holds, decisions, reports. Never a hard delete."""

from __future__ import annotations

from collections import Counter

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from ..accounts.models import User
from ..audit.service import record
from ..contributions.models import Contribution, ContributionStatus
from ..contributions.service import set_status
from ..extensions import db
from ..failures import ServiceError
from ..models_base import utcnow
from ..notifications import mails
from ..shortcache import cached, forget_on_commit
from ..urls import external_url
from . import detect
from .models import AbuseTerm, Action, Decision, RejectionTemplate, Report, ReportReason


def decide_many(ids: list[int], action: str, moderator, template=None) -> int:
    """Publish or reject several contributions at once (the queue's bulk action); how
    many were asked for. Rejecting needs a reason."""
    if not ids or action not in ("publish", "reject") or (action == "reject" and not template):
        raise ModerationError(_("Choose contributions, an action and, to reject, a reason."))
    for contribution in db.session.scalars(select(Contribution).where(Contribution.id.in_(ids))):
        if action == "publish":
            publish(contribution, moderator)
        else:
            reject(contribution, moderator, template)
    return len(ids)


class ModerationError(ServiceError):
    """A rule was broken; the message is safe to show."""


ABUSE_WORDS = "abuse_words"
forget_on_commit(AbuseTerm, ABUSE_WORDS)


def abuse_words() -> list[str]:
    """The word list screening holds for; kept briefly (shortcache), forgotten on change."""
    return cached(ABUSE_WORDS, lambda: list(db.session.scalars(select(AbuseTerm.phrase))))


def screen(contribution: Contribution) -> list[str]:
    """Hold a contribution whose text has personal data or abuse words, whatever the policy."""
    found = detect.reasons(detect.find(contribution.body, abuse_words()))
    contribution.hold_reasons = found
    if found and contribution.status == ContributionStatus.PUBLISHED:
        contribution.status = ContributionStatus.PENDING
        contribution.published_at = None
    if found:
        _decide(contribution, None, Action.HOLD, ",".join(found), "")
    return found


def _decide(contribution, moderator, action: Action, code: str = "", text: str = "") -> Decision:
    decision = Decision(
        contribution_id=contribution.id,
        moderator_id=getattr(moderator, "id", None),
        action=action,
        reason_code=code,
        reason_text=text,
    )
    db.session.add(decision)
    if moderator is not None:
        record(
            f"contribution.{action.value}",
            "contribution",
            contribution.id,
            actor=moderator,
            reason=code,
        )
    return decision


def _resolve_reports(contribution, moderator) -> None:
    for report in db.session.scalars(
        select(Report).where(
            Report.contribution_id == contribution.id, Report.resolved_at.is_(None)
        )
    ):
        report.resolved_at = utcnow()
        report.resolved_by_id = moderator.id


def publish(contribution: Contribution, moderator, *, redact: bool = False) -> None:
    """Publish, optionally with personal data replaced by "[removed]"."""
    if redact:
        redacted = detect.redact(contribution.body)
        if redacted != contribution.body:
            contribution.body = redacted
            _decide(contribution, moderator, Action.REDACT)
    set_status(contribution, ContributionStatus.PUBLISHED)
    contribution.hold_reasons = detect.reasons(detect.find(contribution.body, abuse_words()))
    _resolve_reports(contribution, moderator)
    _decide(contribution, moderator, Action.PUBLISH)


def reject(
    contribution: Contribution, moderator, template: RejectionTemplate, note: str = ""
) -> None:
    """Reject with a reason the author is told by email (no mail for anonymous authors)."""
    contribution.status = ContributionStatus.REJECTED
    contribution.published_at = None
    _resolve_reports(contribution, moderator)
    _decide(contribution, moderator, Action.REJECT, template.code, note)
    author = contribution.author
    if author is not None and author.is_active:
        mails.contribution_rejected(
            author, contribution=contribution, reason=template.message, note=note
        )


def hide(contribution: Contribution, moderator, note: str = "") -> None:
    contribution.status = ContributionStatus.HIDDEN
    contribution.published_at = None
    _decide(contribution, moderator, Action.HIDE, "", note)


def restore(contribution: Contribution, moderator) -> None:
    """Put a hidden or rejected contribution back in the queue (pending)."""
    if contribution.status not in (ContributionStatus.HIDDEN, ContributionStatus.REJECTED):
        raise ModerationError(_("Only hidden or rejected contributions can be restored"))
    contribution.status = ContributionStatus.PENDING
    _decide(contribution, moderator, Action.RESTORE)


def report(contribution: Contribution, reporter, reason: ReportReason, note: str = "") -> Report:
    """A signed-in person reports a contribution; enough distinct reports hide it."""
    existing = db.session.scalar(
        select(Report).where(
            Report.contribution_id == contribution.id, Report.reporter_id == reporter.id
        )
    )
    if existing is not None:
        return existing
    item = Report(
        contribution_id=contribution.id, reporter_id=reporter.id, reason=reason, note=note.strip()
    )
    db.session.add(item)
    db.session.flush()
    reporters = db.session.scalar(
        select(func.count(func.distinct(Report.reporter_id))).where(
            Report.contribution_id == contribution.id, Report.resolved_at.is_(None)
        )
    )
    if reporters >= current_app.config["MODERATION_REPORT_THRESHOLD"] and contribution.is_public:
        contribution.status = ContributionStatus.HIDDEN
        contribution.published_at = None
        contribution.hold_reasons = sorted({*contribution.hold_reasons, "reports"})
        _decide(contribution, None, Action.HOLD, "reports")
    if reason == ReportReason.SAFEGUARDING:
        alert_safeguarding_leads(contribution, item)
    return item


def alert_safeguarding_leads(contribution: Contribution, item: Report) -> int:
    leads = db.session.scalars(
        select(User).where(User.safeguarding_lead.is_(True), User.disabled_at.is_(None))
    ).all()
    link = external_url("moderation.show", contribution_id=contribution.id)
    for lead in leads:
        mails.safeguarding_alert(
            lead, contribution=contribution, link=link, key=f"safeguarding:{item.id}:{lead.id}"
        )
    return len(leads)


def public_log(consultation_id: int) -> dict:
    """Counts only, never content: published, held, rejected, hidden, and rejection reasons."""
    statuses = Counter(
        dict(
            db.session.execute(
                select(Contribution.status, func.count())
                .where(Contribution.consultation_id == consultation_id)
                .group_by(Contribution.status)
            ).all()
        )
    )
    reasons = dict(
        db.session.execute(
            select(RejectionTemplate.title, func.count(func.distinct(Decision.contribution_id)))
            .join(Decision, Decision.reason_code == RejectionTemplate.code)
            .join(Contribution, Contribution.id == Decision.contribution_id)
            .where(
                Contribution.consultation_id == consultation_id,
                Decision.action == Action.REJECT,
                Contribution.status == ContributionStatus.REJECTED,
            )
            .group_by(RejectionTemplate.title)
        ).all()
    )
    return {"statuses": statuses, "rejection_reasons": reasons}


DEFAULT_TEMPLATES = [
    (
        "personal",
        "Personal information",
        "It included personal information about you or someone else.",
    ),
    ("abusive", "Abusive or offensive", "It included language that is abusive or offensive."),
    ("off_topic", "Off topic", "It was not about this consultation."),
    ("spam", "Spam or advertising", "It looked like spam or advertising."),
    ("unlawful", "Could break the law", "It could prejudice a legal case or break the law."),
]


def seed_templates() -> int:
    """Add the standard rejection reasons that are missing (idempotent)."""
    codes = set(db.session.scalars(select(RejectionTemplate.code)))
    added = 0
    for code, title, message in DEFAULT_TEMPLATES:
        if code not in codes:
            db.session.add(RejectionTemplate(code=code, title=title, message=message))
            added += 1
    return added
