"""One translated field of one piece of a consultation, in one language."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models_base import UTCDateTime, utcnow


class ContentTranslation(db.Model):
    """What an officer wrote for ``field`` of ``kind`` #``object_id`` in ``language``.

    Kept beside the original (never replacing it): answers, counts and exports use the
    original wording, so the analysis is the same whatever language a page was read in.
    Every row names its consultation, so a page reads all of a consultation's
    translations in one query.
    """

    __tablename__ = "content_translations"
    __table_args__ = (UniqueConstraint("kind", "object_id", "field", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    #: consultation | survey | section | question | board | finding | response
    kind: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[int]
    #: The column translated (title, summary, body_html, text, help_text, choices …).
    field: Mapped[str] = mapped_column(String(30))
    language: Mapped[str] = mapped_column(String(10))
    #: For ``choices``: one option per line, in the officer's order.
    text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
