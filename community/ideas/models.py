"""Idea boards: residents propose ideas, others support and comment, officers respond."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..contributions.models import Contribution
from ..extensions import db
from ..models_base import TimestampMixin, UTCDateTime, string_enum, utcnow


class BoardPhase(enum.StrEnum):
    COLLECTING = "collecting"
    SUPPORTING = "supporting"
    REVIEW = "review"
    OUTCOME = "outcome"


class IdeaStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    UNDER_CONSIDERATION = "under_consideration"
    ACCEPTED = "accepted"
    IN_PROGRESS = "in_progress"
    IMPLEMENTED = "implemented"
    NOT_TAKEN_FORWARD = "not_taken_forward"


class IdeaBoard(TimestampMixin, db.Model):
    __tablename__ = "idea_boards"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The consultation it belongs to; null for a standing open call.
    consultation_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, default="")
    phase: Mapped[BoardPhase] = mapped_column(
        string_enum(BoardPhase, "board_phase", length=30), default=BoardPhase.COLLECTING
    )

    consultation = relationship("Consultation", backref="idea_boards")


idea_terms = Table(
    "idea_terms",
    db.metadata,
    Column("idea_id", ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True),
    Column("term_id", ForeignKey("terms.id"), primary_key=True),
)


class Idea(Contribution):
    """An idea is a contribution: moderated, tagged and searchable like any other."""

    __tablename__ = "ideas"

    id: Mapped[int] = mapped_column(ForeignKey("contributions.id"), primary_key=True)
    board_id: Mapped[int] = mapped_column(
        ForeignKey("idea_boards.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(120))
    #: The official status, set by officers, with a public explanation.
    idea_status: Mapped[IdeaStatus] = mapped_column(
        string_enum(IdeaStatus, "idea_status", length=30), default=IdeaStatus.SUBMITTED
    )
    response: Mapped[str] = mapped_column(Text, default="")
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    responded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: Kept in step with the supports table, for sorting; the table is the truth.
    support_count: Mapped[int] = mapped_column(default=0)

    board = relationship("IdeaBoard")
    issues = relationship("Term", secondary=idea_terms, lazy="selectin")

    __mapper_args__ = {"polymorphic_identity": "idea"}


class Support(db.Model):
    """One support per person per idea: a database constraint."""

    __tablename__ = "idea_supports"
    __table_args__ = (UniqueConstraint("idea_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    #: Null once the supporter's account is erased: the support still counts, unnamed.
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Comment(Contribution):
    """A comment on an idea, or a reply to a comment (one level only)."""

    __tablename__ = "idea_comments"

    id: Mapped[int] = mapped_column(ForeignKey("contributions.id"), primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("idea_comments.id"), index=True)

    __mapper_args__ = {"polymorphic_identity": "comment"}
