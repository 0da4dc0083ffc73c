"""The audit log: who did what to whom, and when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import UTCDateTime, utcnow


class AuditEvent(db.Model):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Who acted; null for the system (worker, retention) or an erased account.
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: A dotted verb, e.g. ``user.role_changed``.
    action: Mapped[str] = mapped_column(String(64), index=True)
    #: What it was done to, e.g. ``user`` and its id.
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[int | None] = mapped_column(index=True)
    #: Facts about the change (old and new values); never free text from a person.
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    actor = relationship("User", foreign_keys=[actor_id], lazy="joined")
