"""Writing to the audit log."""

from __future__ import annotations

from flask import has_request_context
from flask_login import current_user

from ..extensions import db
from .models import AuditEvent


def record(
    action: str, target_type: str, target_id: int | None, actor=None, **details
) -> AuditEvent:
    """Add an audit event to the current transaction (the request commits it)."""
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        action=action,
        target_type=target_type,
        target_id=target_id,
        details=details,
    )
    db.session.add(event)
    return event
