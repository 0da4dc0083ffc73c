"""Who may do what: one place, used by views and templates alike.

Roles grant named capabilities; a view asks for a capability, never for a role,
so a new role is one line here.
"""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user

from ..extensions import login_manager
from .models import Role

_RESIDENT = frozenset({"contribute", "support", "comment", "follow"})
_STAFF = frozenset({"view_staff_area"})

CAPABILITIES: dict[Role, frozenset[str]] = {
    Role.RESIDENT: _RESIDENT,
    Role.YOUTH: frozenset({"contribute", "support", "comment"}),
    Role.GROUP_LEADER: _RESIDENT | {"lead_group"},
    # Partners update the plan actions their organisation leads (checked per action).
    Role.PARTNER: _RESIDENT | _STAFF | {"view_shared_analysis", "use_api", "update_plan_actions"},
    Role.MODERATOR: _RESIDENT | _STAFF | {"moderate"},
    Role.OFFICER: _RESIDENT
    | _STAFF
    | {
        "moderate",
        "manage_consultations",
        "tag",
        "analyse",
        "manage_plan",
        "update_plan_actions",
        "manage_framework",
        "view_shared_analysis",
        "manage_partner_data",
    },
}
CAPABILITIES[Role.ADMIN] = CAPABILITIES[Role.OFFICER] | {
    "manage_users",
    # Requests about a person's data (a copy, or erasure), each audited.
    "handle_data_requests",
    "view_audit",
    "view_outbox",
    "manage_api_tokens",
}

#: Roles an admin may give, and who may hold them: youth stays youth, adults stay adult.
ADULT_ROLES = [r for r in Role if r != Role.YOUTH]


def can(user, capability: str) -> bool:
    """True when ``user`` (possibly anonymous) holds ``capability``."""
    if user is None or not user.is_authenticated:
        return False
    return capability in CAPABILITIES.get(user.role, frozenset())


def requires(capability: str):
    """View decorator: sign in first, then 403 unless the user has ``capability``."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not can(current_user, capability):
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_capability = capability
        return wrapped

    return decorator
