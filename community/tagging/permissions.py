"""Who may tag, who may read the analysis, and which contributions each of them sees."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user

from ..accounts.permissions import can
from ..contributions.models import ContributionStatus
from ..extensions import login_manager

#: What officers code and what "analysed" is measured against: the public and the waiting.
TAGGABLE = (ContributionStatus.PUBLISHED, ContributionStatus.PENDING)


def can_tag(user) -> bool:
    return can(user, "tag")


def can_analyse(user) -> bool:
    return can(user, "analyse")


def visible_statuses(user) -> tuple[ContributionStatus, ...]:
    """Unpublished contributions are for people who tag; everyone else sees published only."""
    return TAGGABLE if can_tag(user) else (ContributionStatus.PUBLISHED,)


def requires_any(*capabilities: str):
    """Like ``requires``, but any one of the capabilities will do."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not any(can(current_user, c) for c in capabilities):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
