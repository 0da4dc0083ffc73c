"""The partnership plan and the evidence behind it: we asked, you said, we did.

Plan → priorities → actions (with dated progress updates). A consultation's
findings ("you said") rest on evidence — themes, framework terms, contributions,
survey items, conversation statements, ideas — whose figures are frozen when the
finding is published. Each finding gets one response ("we did"): a new action, a
change to an action, an existing action that already answers it, or not taken
forward with the reason.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import Organisation
from ..extensions import db
from ..models_base import TimestampMixin, UTCDateTime, string_enum, utcnow


class ActionStatus(enum.StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    PAUSED = "paused"
    DROPPED = "dropped"


class EvidenceKind(enum.StrEnum):
    """What a piece of evidence points at (exactly one of the foreign keys is set)."""

    THEME = "theme"  # contributions tagged with a consultation theme
    TERM = "term"  # contributions tagged with a framework term
    CONTRIBUTION = "contribution"  # one contribution: a quote, an idea, a statement
    QUESTION = "question"  # a survey item (a Likert question, or one row of a matrix)


class ResponseKind(enum.StrEnum):
    NEW_ACTION = "new_action"
    CHANGED_ACTION = "changed_action"
    EXISTING_ACTION = "existing_action"
    NOT_TAKEN_FORWARD = "not_taken_forward"

    @property
    def needs_action(self) -> bool:
        return self is not ResponseKind.NOT_TAKEN_FORWARD


priority_terms = Table(
    "plan_priority_terms",
    db.metadata,
    Column("priority_id", ForeignKey("plan_priorities.id", ondelete="CASCADE"), primary_key=True),
    Column("term_id", ForeignKey("terms.id"), primary_key=True),
)

finding_terms = Table(
    "plan_finding_terms",
    db.metadata,
    Column("finding_id", ForeignKey("plan_findings.id", ondelete="CASCADE"), primary_key=True),
    Column("term_id", ForeignKey("terms.id"), primary_key=True),
)


class Plan(TimestampMixin, db.Model):
    """The partnership plan (one per period; the newest is the current one)."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(160))
    #: For example "2024-2029".
    period: Mapped[str] = mapped_column(String(20), unique=True)
    summary: Mapped[str] = mapped_column(Text, default="")

    priorities = relationship(
        "Priority", back_populates="plan", order_by="Priority.position", lazy="selectin"
    )


class Priority(TimestampMixin, db.Model):
    __tablename__ = "plan_priorities"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(160))
    summary: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)

    plan = relationship("Plan", back_populates="priorities")
    #: The issues, principles and prevention levels it answers.
    terms = relationship(
        "Term", secondary=priority_terms, lazy="selectin", order_by="Term.position"
    )
    actions = relationship(
        "PlanAction", back_populates="priority", order_by="PlanAction.position", lazy="selectin"
    )

    @property
    def number(self) -> int:
        return self.position + 1


class PlanAction(TimestampMixin, db.Model):
    __tablename__ = "plan_actions"
    __table_args__ = (CheckConstraint("progress BETWEEN 0 AND 100", name="progress_percent"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    priority_id: Mapped[int] = mapped_column(
        ForeignKey("plan_priorities.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    lead_organisation: Mapped[Organisation] = mapped_column(
        string_enum(Organisation, "lead_organisation")
    )
    #: The named lead (a user, when they have an account; the name is kept as text).
    lead_officer_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    lead_officer_name: Mapped[str] = mapped_column(String(120), default="")
    starts_on: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[ActionStatus] = mapped_column(
        string_enum(ActionStatus, "action_status"), default=ActionStatus.PLANNED, index=True
    )
    progress: Mapped[int] = mapped_column(default=0)

    priority = relationship("Priority", back_populates="actions")
    lead_officer = relationship("User")
    updates = relationship(
        "ActionUpdate",
        back_populates="action",
        order_by="ActionUpdate.created_at.desc(), ActionUpdate.id.desc()",
    )

    @property
    def reference(self) -> str:
        return f"{self.priority.number}.{self.position + 1}"

    #: Statuses in which an action is finished with, so a past due date is no longer late.
    CLOSED_STATUSES = (ActionStatus.DONE, ActionStatus.DROPPED)

    @property
    def is_overdue(self) -> bool:
        """Past its due date and neither done nor dropped (flagged wherever it is listed)."""
        return (
            self.due_on is not None
            and self.due_on < date.today()
            and self.status not in self.CLOSED_STATUSES
        )

    @classmethod
    def overdue_clause(cls, today: date | None = None):
        """The same rule as ``is_overdue``, for queries."""
        return (
            cls.due_on.is_not(None)
            & (cls.due_on < (today or date.today()))
            & cls.status.not_in([s.value for s in cls.CLOSED_STATUSES])
        )


class ActionUpdate(db.Model):
    """A dated progress update on an action (status and progress as they then were)."""

    __tablename__ = "plan_action_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(
        ForeignKey("plan_actions.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[ActionStatus] = mapped_column(string_enum(ActionStatus, "update_status"))
    progress: Mapped[int] = mapped_column(default=0)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    action = relationship("PlanAction", back_populates="updates")
    author = relationship("User")


class Finding(TimestampMixin, db.Model):
    """What people said ("you said"): a plain-English statement resting on evidence."""

    __tablename__ = "plan_findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    statement: Mapped[str] = mapped_column(Text)
    #: Set when published (with the consultation's outcome); its figures are then frozen.
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: The finding's own totals as they were at publication (see service.freeze).
    figures: Mapped[dict] = mapped_column(JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    consultation = relationship("Consultation")
    terms = relationship("Term", secondary=finding_terms, lazy="selectin", order_by="Term.position")
    evidence = relationship(
        "FindingEvidence",
        back_populates="finding",
        order_by="FindingEvidence.id",
        cascade="all, delete-orphan",
        lazy="selectin",
    )
    response = relationship(
        "FindingResponse",
        back_populates="finding",
        uselist=False,
        cascade="all, delete-orphan",
        lazy="selectin",
    )

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class FindingEvidence(db.Model):
    __tablename__ = "plan_finding_evidence"
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN theme_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN term_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN contribution_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN question_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_target",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    finding_id: Mapped[int] = mapped_column(
        ForeignKey("plan_findings.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[EvidenceKind] = mapped_column(string_enum(EvidenceKind, "evidence_kind"))
    theme_id: Mapped[int | None] = mapped_column(
        ForeignKey("tagging_themes.id", ondelete="CASCADE"), index=True
    )
    term_id: Mapped[int | None] = mapped_column(ForeignKey("terms.id"), index=True)
    contribution_id: Mapped[int | None] = mapped_column(
        ForeignKey("contributions.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("survey_questions.id", ondelete="CASCADE"), index=True
    )
    #: For a matrix question: which of its statements (row).
    item_index: Mapped[int | None] = mapped_column()
    #: The figures at publication (null until then: computed live while a draft).
    frozen: Mapped[dict | None] = mapped_column(JSON)

    finding = relationship("Finding", back_populates="evidence")
    theme = relationship("Theme")
    term = relationship("Term")
    contribution = relationship("Contribution")
    question = relationship("Question")


class FindingResponse(TimestampMixin, db.Model):
    """What the partnership did about a finding ("we did")."""

    __tablename__ = "plan_finding_responses"
    __table_args__ = (
        UniqueConstraint("finding_id"),
        CheckConstraint(
            "kind = 'not_taken_forward' OR action_id IS NOT NULL", name="action_when_acting"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    finding_id: Mapped[int] = mapped_column(ForeignKey("plan_findings.id", ondelete="CASCADE"))
    kind: Mapped[ResponseKind] = mapped_column(string_enum(ResponseKind, "response_kind"))
    action_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_actions.id", ondelete="SET NULL"), index=True
    )
    #: What changed, or why it was not taken forward (shown to the public).
    explanation: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    finding = relationship("Finding", back_populates="response")
    action = relationship("PlanAction")
