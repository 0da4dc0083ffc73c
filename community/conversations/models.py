"""Consensus conversations: statements people vote agree, disagree or pass on."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..contributions.models import Contribution
from ..extensions import db
from ..models_base import TimestampMixin, UTCDateTime, utcnow


class Conversation(TimestampMixin, db.Model):
    __tablename__ = "conversations"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    #: The question people respond to.
    question: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    #: Whether participants may add statements of their own.
    allow_statements: Mapped[bool] = mapped_column(default=True)
    #: Where imported data came from, shown on every page that shows it (licence terms).
    attribution: Mapped[str] = mapped_column(Text, default="")
    #: Results computed in the background (groups, consensus, counts), read by pages
    #: through ``stored.results``. Both JSON columns are deferred: about 110 KB at 1,000
    #: x 100, decoded for every list of a consultation's ways to take part before
    #: (the home page: 10 of its 17 ms); they load when read.
    results: Mapped[dict | None] = mapped_column(JSON, deferred=True)
    results_computed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: What one recompute hands the next (who is in, clusters, the k smoother), so that
    #: groups evolve as Pol.is's do instead of jumping (community/consensus/polis_groups.py).
    cluster_state: Mapped[dict | None] = mapped_column(JSON, deferred=True)
    #: Set by every vote or statement; cleared when results are recomputed.
    stale: Mapped[bool] = mapped_column(default=True)

    consultation = relationship("Consultation", backref="conversations")


class Statement(Contribution):
    """A statement is a contribution, so it is moderated (and tagged) like any other."""

    __tablename__ = "statements"

    id: Mapped[int] = mapped_column(ForeignKey("contributions.id"), primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    #: Written by an officer to start the conversation.
    is_seed: Mapped[bool] = mapped_column(default=False)
    #: The statement's id in an imported Pol.is export.
    external_id: Mapped[str | None] = mapped_column(String(40))

    conversation = relationship("Conversation")

    __mapper_args__ = {"polymorphic_identity": "statement"}


class Participant(db.Model):
    """Someone taking part: an account, or an anonymous browser (a hashed token)."""

    __tablename__ = "conversation_participants"
    __table_args__ = (
        UniqueConstraint("conversation_id", "user_id"),
        UniqueConstraint("conversation_id", "browser_token"),
        UniqueConstraint("conversation_id", "external_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    browser_token: Mapped[str | None] = mapped_column(String(64))
    #: The voter's id in an imported Pol.is export.
    external_id: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Vote(db.Model):
    """One vote per participant per statement (a constraint); changing it updates the row."""

    __tablename__ = "conversation_votes"
    __table_args__ = (
        UniqueConstraint("participant_id", "statement_id"),
        CheckConstraint("value IN (-1, 0, 1)", name="value_is_a_vote"),
        #: Covers the recompute's read (results._vote_columns): votes by statement, read
        #: from the index alone, in order, instead of one table lookup per vote.
        Index("ix_conversation_votes_matrix", "statement_id", "participant_id", "value"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("conversation_participants.id", ondelete="CASCADE"), index=True
    )
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE"), index=True
    )
    #: 1 agree, -1 disagree, 0 pass.
    value: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
