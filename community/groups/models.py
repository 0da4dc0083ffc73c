"""Groups led by an approved adult, their youth members, and the projects they propose."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from ..contributions.models import Contribution, ContributionStatus
from ..extensions import db
from ..models_base import TimestampMixin, UTCDateTime, string_enum, utcnow


class GroupKind(enum.StrEnum):
    YOUTH_CLUB = "youth_club"
    SCHOOL_COUNCIL = "school_council"
    COMMUNITY_ORGANISATION = "community_organisation"


class GroupStatus(enum.StrEnum):
    """An application to lead a group is the group, pending until an officer decides."""

    PENDING = "pending"
    ACTIVE = "active"
    DECLINED = "declined"


class ProjectStage(enum.StrEnum):
    """Co-production stages; the allowed moves between them are in ``stages.py``."""

    DRAFT = "draft"
    PROPOSED = "proposed"
    CO_DESIGN = "co_design"
    REVIEW = "review"
    APPROVED = "approved"
    NOT_TAKEN_FORWARD = "not_taken_forward"
    DELIVERING = "delivering"
    EVALUATED = "evaluated"


#: Past "proposed": a project in one of these stages is public once moderators publish it.
PUBLIC_STAGES = frozenset(
    {
        ProjectStage.CO_DESIGN,
        ProjectStage.REVIEW,
        ProjectStage.APPROVED,
        ProjectStage.NOT_TAKEN_FORWARD,
        ProjectStage.DELIVERING,
        ProjectStage.EVALUATED,
    }
)


class SupportKind(enum.StrEnum):
    MONEY = "money"
    SPACE = "space"
    MENTORS = "mentors"


class Group(TimestampMixin, db.Model):
    """A youth club, school council or community organisation, with one approved leader."""

    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The public name: projects are shown under it, never under a young person's name.
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[GroupKind] = mapped_column(string_enum(GroupKind, "group_kind", 30))
    #: The ward (a term of the ``area`` vocabulary).
    area_id: Mapped[int | None] = mapped_column(ForeignKey("terms.id"), index=True)
    #: The adult who applied to lead it; null only if their account was erased.
    leader_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: What the applicant told officers (their role, checks, training); officers only.
    leader_statement: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[GroupStatus] = mapped_column(
        string_enum(GroupStatus, "group_status", 30), default=GroupStatus.PENDING, index=True
    )
    #: The code members join with; set on approval, replaced when regenerated.
    invite_code: Mapped[str | None] = mapped_column(String(16), unique=True)
    code_created_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: Why an application was declined (mailed to the applicant); officers only.
    decision_reasons: Mapped[str] = mapped_column(Text, default="")

    area = relationship("Term", foreign_keys=[area_id])
    leader = relationship("User", foreign_keys=[leader_id])

    @hybrid_property
    def is_active(self) -> bool:
        return self.status == GroupStatus.ACTIVE


class Membership(db.Model):
    """A young person in a group. Removal keeps the row (who removed them, and when)."""

    __tablename__ = "group_members"
    __table_args__ = (UniqueConstraint("group_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    group = relationship("Group")
    user = relationship("User", foreign_keys=[user_id])

    @hybrid_property
    def is_current(self) -> bool:
        return self.removed_at is None

    @is_current.inplace.expression
    @classmethod
    def _is_current_expression(cls):
        return cls.removed_at.is_(None)


project_terms = Table(
    "project_terms",
    db.metadata,
    Column("project_id", ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
    Column("term_id", ForeignKey("terms.id"), primary_key=True),
)


class Project(Contribution):
    """A counter-narrative project proposal: a contribution, so moderation applies to it.

    ``body`` holds the whole proposal as one text (see ``service.compose``), so the
    automatic holds, the moderation queue and search see everything the group wrote.
    """

    __tablename__ = "projects"
    __table_args__ = (
        CheckConstraint(
            "people_reached IS NULL OR people_reached >= 0", name="people_reached_not_negative"
        ),
    )

    id: Mapped[int] = mapped_column(ForeignKey("contributions.id"), primary_key=True)
    #: The group; this table's column carries the foreign key, and the ORM writes the
    #: same value to ``contributions.group_id``, which every kind shares.
    group_id = column_property(
        mapped_column("group_id", ForeignKey("groups.id"), index=True, nullable=False),
        Contribution.__table__.c.group_id,
    )
    title: Mapped[str] = mapped_column(String(120))
    #: The problem or harmful narrative it answers.
    problem: Mapped[str] = mapped_column(Text, default="")
    #: Who it is for.
    audience: Mapped[str] = mapped_column(Text, default="")
    #: What the group will do.
    activities: Mapped[str] = mapped_column(Text, default="")
    #: The positive role models, aspirations or community strengths it builds on.
    strengths: Mapped[str] = mapped_column(Text, default="")
    #: Which kinds of support it needs (``SupportKind`` values), and the details.
    support_kinds: Mapped[list] = mapped_column(JSON, default=list)
    support_details: Mapped[str] = mapped_column(Text, default="")
    #: How the group will know it worked.
    success_measures: Mapped[str] = mapped_column(Text, default="")

    stage: Mapped[ProjectStage] = mapped_column(
        string_enum(ProjectStage, "project_stage", 30), default=ProjectStage.DRAFT, index=True
    )
    stage_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: The officer who mentors the group through co-design.
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: On approval: the resources the partnership commits.
    resources: Mapped[str] = mapped_column(Text, default="")
    #: When not taken forward: why.
    decision_reasons: Mapped[str] = mapped_column(Text, default="")
    #: On evaluation: what happened, how many people it reached, what was learned.
    outcome: Mapped[str] = mapped_column(Text, default="")
    people_reached: Mapped[int | None] = mapped_column()
    lessons: Mapped[str] = mapped_column(Text, default="")

    group = relationship("Group", foreign_keys=[group_id], lazy="joined", innerjoin=True)
    mentor = relationship("User", foreign_keys=[mentor_id])
    terms = relationship("Term", secondary=project_terms, lazy="selectin")

    __mapper_args__ = {"polymorphic_identity": "project"}

    @hybrid_property
    def is_listed(self) -> bool:
        """Public: published by moderators and past "proposed" (usable in queries)."""
        return self.status == ContributionStatus.PUBLISHED and self.stage in PUBLIC_STAGES

    @is_listed.inplace.expression
    @classmethod
    def _is_listed_expression(cls):
        return (cls.status == ContributionStatus.PUBLISHED) & cls.stage.in_(list(PUBLIC_STAGES))

    @property
    def is_public(self) -> bool:
        # Shared pages (the report form) ask this; a moderated draft is still private.
        return self.is_listed

    def terms_of(self, vocabulary: str) -> list:
        return [t for t in self.terms if t.vocabulary.code == vocabulary]


class ProjectUpdate(db.Model):
    """A dated update on a project: a move between stages, or news within one."""

    __tablename__ = "project_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    from_stage: Mapped[ProjectStage] = mapped_column(string_enum(ProjectStage, "from_stage", 30))
    #: The same as ``from_stage`` for an update that does not move the project.
    to_stage: Mapped[ProjectStage] = mapped_column(string_enum(ProjectStage, "to_stage", 30))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    author = relationship("User")

    @property
    def is_move(self) -> bool:
        return self.from_stage != self.to_stage


class ProjectMessage(db.Model):
    """The co-design thread: the group's leader and officers only, never youth members."""

    __tablename__ = "project_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    author = relationship("User")
