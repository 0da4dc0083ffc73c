"""Rules every kind of contribution shares."""

from __future__ import annotations

from ..models_base import utcnow
from .models import Contribution, ContributionStatus


def initial_status(consultation, *, by_youth: bool, anonymous: bool) -> ContributionStatus:
    """Published at once or held for a moderator, by the consultation's policy.

    Youth contributions are always checked first, whatever the policy.
    """
    from ..consultations.models import ModerationPolicy

    policy = consultation.moderation_policy if consultation else ModerationPolicy.PRE_YOUTH_ANON
    if by_youth or policy == ModerationPolicy.PRE_ALL:
        return ContributionStatus.PENDING
    if policy == ModerationPolicy.PRE_YOUTH_ANON and anonymous:
        return ContributionStatus.PENDING
    return ContributionStatus.PUBLISHED


def set_status(contribution: Contribution, status: ContributionStatus) -> None:
    contribution.status = status
    if status == ContributionStatus.PUBLISHED and contribution.published_at is None:
        contribution.published_at = utcnow()


def titles(ids) -> dict[int, str]:
    """Ideas' titles by id, in one query: moderators and taggers read an idea's title with
    its body, not the body alone (a project's body already starts with its title)."""
    from sqlalchemy import select

    from ..extensions import db
    from ..ideas.models import Idea

    ids = list(ids)
    if not ids:
        return {}
    table = Idea.__table__
    rows = db.session.execute(select(table.c.id, table.c.title).where(table.c.id.in_(ids)))
    return {row.id: row.title for row in rows}
