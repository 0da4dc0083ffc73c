"""The partnership's framework: vocabularies of terms that contributions are tagged to."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import TimestampMixin, UTCDateTime, utcnow


class Vocabulary(TimestampMixin, db.Model):
    """A list of terms: principles, the 5Cs, prevention levels, issues, areas."""

    __tablename__ = "vocabularies"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stable machine name, e.g. ``principle``; the data file's key.
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    #: Plain-English explanation shown on the public framework page.
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    #: Whether officers may add terms (issues, areas) or only edit wording (principles).
    open_list: Mapped[bool] = mapped_column(default=True)

    terms: Mapped[list[Term]] = relationship(
        back_populates="vocabulary", order_by="Term.position, Term.id"
    )

    @property
    def active_terms(self) -> list[Term]:
        return [t for t in self.terms if t.is_active]


class Term(TimestampMixin, db.Model):
    """One term. Never deleted: retired, so old tags keep their meaning."""

    __tablename__ = "terms"
    __table_args__ = (UniqueConstraint("vocabulary_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vocabulary_id: Mapped[int] = mapped_column(ForeignKey("vocabularies.id"), index=True)
    #: Short code, e.g. ``PH1`` or ``norbiton``; unique within its vocabulary.
    code: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    #: Set when retired; retired terms are hidden from pickers but kept on old tags.
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    vocabulary: Mapped[Vocabulary] = relationship(back_populates="terms")

    @property
    def is_active(self) -> bool:
        return self.retired_at is None

    def retire(self) -> None:
        if self.retired_at is None:
            self.retired_at = utcnow()

    def restore(self) -> None:
        self.retired_at = None


def active_terms_query(vocabulary_code: str):
    """Active terms of one vocabulary, in display order."""
    return (
        select(Term)
        .join(Vocabulary)
        .where(Vocabulary.code == vocabulary_code, Term.retired_at.is_(None))
        .order_by(Term.position, Term.id)
    )


#: Area terms that are answers about where someone is, not places a consultation can be
#: about: offered to people describing themselves, never as a consultation's wards.
NOT_WARDS = ("outside", "prefer-not-to-say")


def wards_query():
    """The borough's wards only (no "Outside the borough", no "Prefer not to say")."""
    return active_terms_query("area").where(Term.code.not_in(NOT_WARDS))
