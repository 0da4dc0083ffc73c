"""The moderation settings: the abuse word list and the rejection reasons. Settings,
not people's data, but every change is audited."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from ..audit.service import record
from ..extensions import db
from ..models_base import utcnow
from .models import AbuseTerm, RejectionTemplate
from .service import ModerationError


def add_abuse_term(phrase: str, language: str) -> None:
    """Add a word or phrase to the list (adding one already there changes nothing)."""
    phrase = phrase.strip().lower()
    if db.session.scalar(select(AbuseTerm.id).where(AbuseTerm.phrase == phrase)) is not None:
        return
    db.session.add(AbuseTerm(phrase=phrase, language=language))
    record("moderation.abuse_term_added", "abuse_term", None, language=language)


def remove_abuse_term(term: AbuseTerm) -> None:
    term_id = term.id
    db.session.delete(term)
    record("moderation.abuse_term_removed", "abuse_term", term_id)


def add_reason(code: str, title: str, message: str) -> RejectionTemplate:
    """A new rejection reason; its code must be new."""
    code = code.strip().lower()
    if db.session.scalar(select(RejectionTemplate.id).where(RejectionTemplate.code == code)):
        raise ModerationError(_("There is already a reason with this code"), field="code")
    reason = RejectionTemplate(code=code, title=title.strip(), message=message.strip())
    db.session.add(reason)
    record("moderation.reason_added", "rejection_template", None, code=code)
    return reason


def retire_reason(reason: RejectionTemplate) -> None:
    """Stop offering a reason (kept, so old decisions still read right)."""
    reason.retired_at = reason.retired_at or utcnow()
    record("moderation.reason_retired", "rejection_template", reason.id)
