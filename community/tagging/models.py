"""Tags, consultation themes, suggestion decisions and models, second-coding rounds.

Decision: a consultation's themes live in their own table (``tagging_themes``), not
as a vocabulary with a consultation id. Every vocabulary is listed on the public
"How we work" pages and in the framework admin, so a draft consultation's working
codebook would leak there; a separate table keeps it with the officers. A tag,
a suggestion decision and a second coder's code therefore point at a framework
term *or* a theme (exactly one: a check constraint), and one list of both is
written as keys, ``term-<id>`` / ``theme-<id>``.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import TimestampMixin, UTCDateTime, string_enum, utcnow


class TagSource(enum.StrEnum):
    """Who put a tag on: an officer, an officer accepting a suggestion, or the author."""

    OFFICER = "officer"
    SUGGESTION = "suggestion"
    AUTHOR = "author"


#: Tags an officer has made or confirmed: these count as "analysed" and train suggestions.
CONFIRMED_SOURCES = (TagSource.OFFICER, TagSource.SUGGESTION)


class SuggestionMethod(enum.StrEnum):
    KEYWORDS = "keywords"
    CLASSIFIER = "classifier"


def code_key(term_id: int | None, theme_id: int | None) -> str:
    """The key of a code: ``term-<id>`` or ``theme-<id>``."""
    return f"term-{term_id}" if term_id is not None else f"theme-{theme_id}"


def parse_key(key: str) -> tuple[int | None, int | None] | None:
    """``(term_id, None)`` or ``(None, theme_id)`` from a key; None if it is not one."""
    kind, _, number = (key or "").partition("-")
    if not number.isdigit() or kind not in ("term", "theme"):
        return None
    return (int(number), None) if kind == "term" else (None, int(number))


_ONE_CODE = "(term_id IS NULL) <> (theme_id IS NULL)"


class CodeMixin:
    """Points at one framework term or one consultation theme, never both."""

    #: The framework term, when the code is a term.
    term_id: Mapped[int | None] = mapped_column(ForeignKey("terms.id"), index=True)
    #: The consultation theme, when the code is a theme.
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("tagging_themes.id"), index=True)

    @property
    def key(self) -> str:
        return code_key(self.term_id, self.theme_id)

    def set_key(self, key: str) -> None:
        parsed = parse_key(key)
        if parsed is None:
            raise ValueError(f"not a code key: {key!r}")
        self.term_id, self.theme_id = parsed


theme_terms = Table(
    "tagging_theme_terms",
    db.metadata,
    Column("theme_id", ForeignKey("tagging_themes.id", ondelete="CASCADE"), primary_key=True),
    Column("term_id", ForeignKey("terms.id"), primary_key=True),
)


class Theme(TimestampMixin, db.Model):
    """One theme of a consultation's own codebook. Never deleted: retired or merged."""

    __tablename__ = "tagging_themes"
    __table_args__ = (UniqueConstraint("consultation_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    #: Short, stable code for exports; made from the first name and kept on renaming.
    code: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    #: Set when retired (also when merged into another theme).
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: The theme its tags moved to, when it was merged.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("tagging_themes.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    #: Framework terms this theme belongs under (theme → term links).
    terms = relationship("Term", secondary=theme_terms, lazy="selectin", order_by="Term.position")
    merged_into = relationship("Theme", remote_side=[id])

    @property
    def key(self) -> str:
        return code_key(None, self.id)

    @property
    def is_active(self) -> bool:
        return self.retired_at is None


class Tag(CodeMixin, db.Model):
    """A contribution coded to a term or theme: by whom, when, how."""

    __tablename__ = "tagging_tags"
    __table_args__ = (
        UniqueConstraint("contribution_id", "term_id"),
        UniqueConstraint("contribution_id", "theme_id"),
        CheckConstraint(_ONE_CODE, name="one_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(
        ForeignKey("contributions.id", ondelete="CASCADE"), index=True
    )
    #: Who tagged it (the officer who accepted, for a suggestion); null once erased.
    coder_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    source: Mapped[TagSource] = mapped_column(
        string_enum(TagSource, "tag_source"), default=TagSource.OFFICER
    )
    #: A representative quote for this code, shown on the analysis page and report.
    pinned: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: When its code last changed: set on creation and when a merge moves it to another
    #: theme (so retraining notices), not when it is pinned.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    contribution = relationship("Contribution")
    coder = relationship("User")


class SuggestionDecision(CodeMixin, db.Model):
    """An officer accepted or rejected a suggested code: the basis of its precision."""

    __tablename__ = "tagging_suggestion_decisions"
    __table_args__ = (
        UniqueConstraint("contribution_id", "term_id"),
        UniqueConstraint("contribution_id", "theme_id"),
        CheckConstraint(_ONE_CODE, name="one_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(
        ForeignKey("contributions.id", ondelete="CASCADE"), index=True
    )
    method: Mapped[SuggestionMethod] = mapped_column(
        string_enum(SuggestionMethod, "suggestion_method")
    )
    #: The suggestion's score when it was shown (keyword weight or probability).
    score: Mapped[float] = mapped_column(Float, default=0.0)
    accepted: Mapped[bool] = mapped_column()
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SuggestionModel(db.Model):
    """A trained classifier, stored as plain arrays (numpy .npz, no pickle)."""

    __tablename__ = "tagging_models"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: What the confirmed tags looked like when it was trained (skip retraining if unchanged).
    fingerprint: Mapped[str] = mapped_column(String(120))
    #: False when there were not yet enough tags to train on.
    ready: Mapped[bool] = mapped_column(default=False)
    #: Coded contributions it learned from.
    documents: Mapped[int] = mapped_column(default=0)
    #: Labels (code keys), vocabulary, idf, weights and intercepts, as a .npz file.
    arrays: Mapped[bytes | None] = mapped_column(LargeBinary)
    #: Examples per label, for the overview page.
    summary: Mapped[dict] = mapped_column(JSON, default=dict)


class CodingRound(db.Model):
    """A second, blind coding of a random sample, to measure agreement between coders."""

    __tablename__ = "tagging_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: The colleague who codes the sample without seeing the first coding.
    coder_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    size: Mapped[int] = mapped_column()
    #: The random seed of the sample, so it can be drawn again.
    seed: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    consultation = relationship("Consultation")
    coder = relationship("User", foreign_keys=[coder_id])
    requested_by = relationship("User", foreign_keys=[requested_by_id])
    items: Mapped[list[RoundItem]] = relationship(
        back_populates="round", order_by="RoundItem.position", cascade="all, delete-orphan"
    )


class RoundItem(db.Model):
    """One sampled contribution of a round."""

    __tablename__ = "tagging_round_items"
    __table_args__ = (
        UniqueConstraint("round_id", "contribution_id"),
        UniqueConstraint("round_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("tagging_rounds.id", ondelete="CASCADE"), index=True
    )
    contribution_id: Mapped[int] = mapped_column(
        ForeignKey("contributions.id", ondelete="CASCADE"), index=True
    )
    #: 1-based place in the sample.
    position: Mapped[int] = mapped_column()
    #: When the second coder saved it (an item saved with no codes counts too).
    coded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    round: Mapped[CodingRound] = relationship(back_populates="items")
    contribution = relationship("Contribution")


class RoundCode(CodeMixin, db.Model):
    """A code the second coder gave to one sampled contribution."""

    __tablename__ = "tagging_round_codes"
    __table_args__ = (
        UniqueConstraint("item_id", "term_id"),
        UniqueConstraint("item_id", "theme_id"),
        CheckConstraint(_ONE_CODE, name="one_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("tagging_round_items.id", ondelete="CASCADE"), index=True
    )
