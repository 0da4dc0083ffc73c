"""Surveys: sections of questions, and the responses people give."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..contributions.models import Contribution
from ..extensions import db
from ..models_base import TimestampMixin, UTCDateTime, string_enum


class Survey(TimestampMixin, db.Model):
    __tablename__ = "surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(160))
    intro: Mapped[str] = mapped_column(Text, default="")
    #: Which optional "about you" questions it asks (keys of surveys.about_you.QUESTIONS).
    about_you: Mapped[list] = mapped_column(JSON, default=list)
    #: Set by the first response: from then on questions cannot be added, removed,
    #: retyped or have their options changed, only reworded.
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    consultation = relationship("Consultation", backref="surveys")
    sections: Mapped[list[Section]] = relationship(
        back_populates="survey",
        order_by="Section.position",
        cascade="all, delete-orphan",
        lazy="selectin",
    )

    @property
    def questions(self) -> list[Question]:
        return [q for s in self.sections for q in s.questions]

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class SurveyResultsVersion(db.Model):
    """A survey's results version: moves whenever its submitted responses change
    (surveys/changes.py), the key of its cached figures, read by primary key instead of
    counting the responses. A row of its own, made by the first change, not a column
    of ``surveys``: a submission would otherwise change the ``surveys`` table, and every
    kept page read from it (the survey's start page, its consultation's page) would be
    drawn again after each response to a popular consultation."""

    __tablename__ = "survey_results_versions"

    survey_id: Mapped[int] = mapped_column(
        ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(default=0, server_default="0")


class Section(db.Model):
    """One page of a survey."""

    __tablename__ = "survey_sections"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(160))
    intro: Mapped[str] = mapped_column(Text, default="")
    #: Show the section only when an earlier answer matches (see surveys.conditions).
    condition: Mapped[dict | None] = mapped_column(JSON)

    survey: Mapped[Survey] = relationship(back_populates="sections")
    questions: Mapped[list[Question]] = relationship(
        back_populates="section",
        order_by="Question.position",
        cascade="all, delete-orphan",
        lazy="selectin",
    )


class Question(db.Model):
    __tablename__ = "survey_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(
        ForeignKey("survey_sections.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    #: The question type's key in surveys.question_types.REGISTRY.
    kind: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text)
    help_text: Mapped[str] = mapped_column(Text, default="")
    required: Mapped[bool] = mapped_column(default=False)
    #: Type-specific settings: choices, allow_other, min/max, labels, statements, max_length.
    options: Mapped[dict] = mapped_column(JSON, default=dict)
    #: Show the question only when an earlier answer matches (see surveys.conditions).
    condition: Mapped[dict | None] = mapped_column(JSON)

    section: Mapped[Section] = relationship(back_populates="questions")

    @property
    def type(self):
        from .qtypes import REGISTRY

        return REGISTRY[self.kind]

    @property
    def field_name(self) -> str:
        return f"q{self.id}"


class ResponseStatus(enum.StrEnum):
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"


class Channel(enum.StrEnum):
    ONLINE = "online"
    PAPER = "paper"
    EVENT = "event"


def new_reference() -> str:
    """A short reference people can quote, without letters that look alike."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))


class Response(TimestampMixin, db.Model):
    """One person's response to one survey. One per signed-in person (a constraint)."""

    __tablename__ = "survey_responses"
    __table_args__ = (
        UniqueConstraint("survey_id", "user_id"),
        UniqueConstraint("survey_id", "browser_token"),
        # The results page's fingerprint (count and latest change of the submitted
        # responses) is read from this index alone.
        Index("ix_survey_responses_results", "survey_id", "status", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    #: Null for anonymous and paper responses, and after erasure.
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: For anonymous responses: a hash of the browser's token (nothing personal).
    browser_token: Mapped[str | None] = mapped_column(String(64))
    reference: Mapped[str] = mapped_column(String(12), unique=True, default=new_reference)
    status: Mapped[ResponseStatus] = mapped_column(
        string_enum(ResponseStatus, "response_status"), default=ResponseStatus.IN_PROGRESS
    )
    channel: Mapped[Channel] = mapped_column(
        string_enum(Channel, "channel"), default=Channel.ONLINE
    )
    #: The officer who typed in a paper or event response.
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: Whether the person agreed to hear what happened as a result.
    hear_back: Mapped[bool] = mapped_column(default=False)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    survey: Mapped[Survey] = relationship()
    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def is_submitted(self) -> bool:
        return self.status == ResponseStatus.SUBMITTED

    def answers_by_question(self) -> dict[int, Answer]:
        return {a.question_id: a for a in self.answers}


class Answer(db.Model):
    __tablename__ = "survey_answers"
    __table_args__ = (
        UniqueConstraint("response_id", "question_id"),
        # A question's written answers, newest first, a page at a time.
        Index("ix_survey_answers_question_newest", "question_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("survey_responses.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("survey_questions.id", ondelete="CASCADE"), index=True
    )
    #: The answer, shaped by its question type (a string, a list, a number, a dict …).
    value: Mapped[object] = mapped_column(JSON)
    #: Free text (long text, "other") is also a contribution, for moderation and tagging.
    contribution_id: Mapped[int | None] = mapped_column(
        ForeignKey("contributions.id", ondelete="SET NULL"), index=True
    )

    response: Mapped[Response] = relationship(back_populates="answers")
    contribution = relationship("SurveyText")


class AboutYouAnswer(db.Model):
    """Optional "about you" answers, kept apart from the response and used only in totals."""

    __tablename__ = "survey_about_you"
    __table_args__ = (UniqueConstraint("response_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("survey_responses.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(30))
    value: Mapped[str] = mapped_column(String(60))


class SurveyText(Contribution):
    """A free-text survey answer, as a contribution (moderated and tagged like any other)."""

    __mapper_args__ = {"polymorphic_identity": "survey_answer"}
