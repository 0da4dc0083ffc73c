"""Consultations: the public home of every engagement."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

from sqlalchemy import (
    JSON,
    Column,
    ForeignKey,
    String,
    Table,
    Text,
    UniqueConstraint,
    case,
    literal,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import TimestampMixin, UTCDateTime, string_enum, utcnow


class Phase(enum.StrEnum):
    """Where a consultation is in its life, derived from its dates and status."""

    DRAFT = "draft"
    SCHEDULED = "scheduled"
    OPEN = "open"
    CLOSED = "closed"
    OUTCOME = "outcome"


class ModerationPolicy(enum.StrEnum):
    PRE_ALL = "pre_all"  # everything is checked before publication
    PRE_YOUTH_ANON = "pre_youth_anon"  # youth and anonymous only (the default)
    POST = "post"  # published at once, checked after


class Audience(enum.StrEnum):
    EVERYONE = "everyone"
    YOUTH = "youth"
    GROUP = "group"


consultation_terms = Table(
    "consultation_terms",
    db.metadata,
    Column("consultation_id", ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True),
    Column("term_id", ForeignKey("terms.id"), primary_key=True),
)


class Consultation(TimestampMixin, db.Model):
    __tablename__ = "consultations"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: In the public address: /consultations/<slug>.
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(160))
    #: One or two sentences for lists.
    summary: Mapped[str] = mapped_column(Text, default="")
    #: Sanitised rich text (headings, lists, links).
    body_html: Mapped[str] = mapped_column(Text, default="")
    why_asking: Mapped[str] = mapped_column(Text, default="")
    how_used: Mapped[str] = mapped_column(Text, default="")
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Null while a draft; set when an officer publishes it (it then opens on opens_at).
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: When every participant who asked to hear back had their outcome mail queued.
    outcome_mailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    #: Related documents: a list of {"title": …, "url": …}.
    documents: Mapped[list] = mapped_column(JSON, default=list)
    moderation_policy: Mapped[ModerationPolicy] = mapped_column(
        string_enum(ModerationPolicy, "moderation_policy"), default=ModerationPolicy.PRE_YOUTH_ANON
    )
    allow_anonymous: Mapped[bool] = mapped_column(default=False)
    audience: Mapped[Audience] = mapped_column(
        string_enum(Audience, "audience"), default=Audience.EVERYONE
    )
    #: Whether the public sees results once it closes.
    results_public: Mapped[bool] = mapped_column(default=True)
    #: When followers were told it opened (so they are told once).
    opening_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    #: Loaded when read (most pages that load a consultation never show its terms);
    #: lists that show them ask with ``selectinload(Consultation.terms)``.
    terms = relationship("Term", secondary=consultation_terms, order_by="Term.position")

    @hybrid_property
    def phase(self) -> Phase:
        return phase_at(self, utcnow())

    @phase.inplace.expression
    @classmethod
    def _phase_expression(cls):
        now = utcnow()
        return case(
            (cls.published_at.is_(None), literal(Phase.DRAFT.value)),
            (cls.outcome_published_at.is_not(None), literal(Phase.OUTCOME.value)),
            (cls.opens_at > now, literal(Phase.SCHEDULED.value)),
            (cls.closes_at <= now, literal(Phase.CLOSED.value)),
            else_=literal(Phase.OPEN.value),
        )

    def terms_in(self, vocabulary_code: str) -> list:
        return [t for t in self.terms if t.vocabulary.code == vocabulary_code]

    @property
    def last_day(self) -> datetime | None:
        """The last moment it is open (closes_at is the first moment it is not)."""
        return self.closes_at - timedelta(seconds=1) if self.closes_at else None

    def days_left(self, now: datetime | None = None) -> int | None:
        if self.closes_at is None:
            return None
        seconds = (self.closes_at - (now or utcnow())).total_seconds()
        return max(0, int(seconds // 86400))


def phase_at(consultation: Consultation, now: datetime) -> Phase:
    """The phase at a given moment (the rules of the hybrid property, in Python)."""
    if consultation.published_at is None:
        return Phase.DRAFT
    if consultation.outcome_published_at is not None:
        return Phase.OUTCOME
    if consultation.opens_at and consultation.opens_at > now:
        return Phase.SCHEDULED
    if consultation.closes_at and consultation.closes_at <= now:
        return Phase.CLOSED
    return Phase.OPEN


class Follow(db.Model):
    """A resident follows a consultation, or an issue or ward (a term), to hear news by mail."""

    __tablename__ = "follows"
    __table_args__ = (
        UniqueConstraint("user_id", "consultation_id"),
        UniqueConstraint("user_id", "term_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    consultation_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    term_id: Mapped[int | None] = mapped_column(ForeignKey("terms.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    consultation = relationship("Consultation")
    term = relationship("Term")


class ConsultationSlug(db.Model):
    """An address a published consultation had before an officer renamed it.

    Why: links already mailed, printed and used by the API must keep working, so an
    old slug redirects (301) to the consultation's current one and is never given
    to another consultation.
    """

    __tablename__ = "consultation_slugs"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    #: The old slug (unique: one consultation per address, ever).
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    consultation = relationship("Consultation")
