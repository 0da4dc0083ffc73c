"""Who may see, answer and manage a consultation."""

from __future__ import annotations

from ..accounts.permissions import can
from .models import Audience, Consultation, Phase
from .phases import allows


def can_manage(user) -> bool:
    return can(user, "manage_consultations")


def can_view(user, consultation: Consultation) -> bool:
    """Drafts are for officers; everything published is public."""
    return consultation.phase != Phase.DRAFT or can_manage(user)


def in_audience(user, consultation: Consultation) -> bool:
    if consultation.audience == Audience.EVERYONE:
        return True
    if consultation.audience == Audience.YOUTH:
        return bool(user.is_authenticated and (user.is_youth or can_manage(user)))
    return bool(user.is_authenticated and can_manage(user))


def can_respond(user, consultation: Consultation) -> bool:
    """Open, in the audience, and signed in unless anonymous answers are allowed."""
    if not allows(consultation.phase, "respond"):
        return False
    if not user.is_authenticated:
        return consultation.allow_anonymous and consultation.audience == Audience.EVERYONE
    return can(user, "contribute") and in_audience(user, consultation)


def can_see_results(user, consultation: Consultation) -> bool:
    # Partners will see analyses shared with their organisation (privacy issue);
    # until sharing exists they see what the public sees.
    if can(user, "analyse"):
        return True
    return allows(consultation.phase, "results") == "public" and consultation.results_public
