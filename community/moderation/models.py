"""Moderation: decisions on contributions, reports from people, and the editable lists."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import UTCDateTime, string_enum, utcnow


class Action(enum.StrEnum):
    PUBLISH = "publish"
    REJECT = "reject"
    HIDE = "hide"
    RESTORE = "restore"
    REDACT = "redact"
    HOLD = "hold"  # automatic: held by a rule or by reports


class ReportReason(enum.StrEnum):
    SPAM = "spam"
    ABUSIVE = "abusive"
    PERSONAL = "personal_information"
    OFF_TOPIC = "off_topic"
    SAFEGUARDING = "safeguarding"


class Decision(db.Model):
    """Every moderation decision, kept for ever: who, when, what, why."""

    __tablename__ = "moderation_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(ForeignKey("contributions.id"), index=True)
    #: Null for automatic decisions.
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[Action] = mapped_column(string_enum(Action, "moderation_action"))
    #: A short code (a rejection template's code, or a hold rule) and the words shown.
    reason_code: Mapped[str] = mapped_column(String(40), default="")
    reason_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    moderator = relationship("User")


class Report(db.Model):
    """A signed-in person reports a contribution. One report per person per contribution."""

    __tablename__ = "moderation_reports"
    __table_args__ = (UniqueConstraint("contribution_id", "reporter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(ForeignKey("contributions.id"), index=True)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[ReportReason] = mapped_column(string_enum(ReportReason, "report_reason"))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class AbuseTerm(db.Model):
    """A word or phrase that holds a contribution for review (editable by moderators)."""

    __tablename__ = "moderation_abuse_terms"

    id: Mapped[int] = mapped_column(primary_key=True)
    phrase: Mapped[str] = mapped_column(String(80), unique=True)
    #: Whose list it is on (a code from LANGUAGES): every list is applied to every
    #: contribution, since people mix languages; the lists are kept by language so each
    #: language's moderators can keep theirs.
    language: Mapped[str] = mapped_column(String(10), default="en_GB", server_default="en_GB")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class RejectionTemplate(db.Model):
    """A reason for rejecting, with the words the author is sent (editable)."""

    __tablename__ = "moderation_rejection_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(120))
    message: Mapped[str] = mapped_column(Text)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
