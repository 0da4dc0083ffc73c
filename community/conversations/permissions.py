"""Who may vote and add statements in a conversation."""

from __future__ import annotations

from ..accounts.permissions import can
from ..consultations.models import Audience
from ..consultations.permissions import in_audience
from ..consultations.phases import allows


def can_vote(user, conversation) -> bool:
    """While the consultation is open; signed in, or anonymous where it allows that."""
    consultation = conversation.consultation
    if not allows(consultation.phase, "vote"):
        return False
    if not user.is_authenticated:
        return consultation.allow_anonymous and consultation.audience == Audience.EVERYONE
    return can(user, "contribute") and in_audience(user, consultation)


def can_add_statement(user, conversation) -> bool:
    return conversation.allow_statements and can_vote(user, conversation)


def can_manage(user) -> bool:
    return can(user, "manage_consultations")
