"""The one contribution model every kind of public text shares.

Kinds (survey answer, idea, project, comment, statement) extend it by joined-table
inheritance: each kind's table has the contribution's id as its primary key, and
``kind`` is the discriminator. Moderation, tagging, search and privacy work on this
table, so they work once for every kind.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import TimestampMixin, UTCDateTime, string_enum


class ContributionStatus(enum.StrEnum):
    """Moderation state: pending → published / rejected / hidden (never deleted)."""

    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"
    HIDDEN = "hidden"
    WITHDRAWN = "withdrawn"


#: The kinds posted under the author's name by their choice (ideas and comments).
NAMED_KINDS = frozenset({"idea", "comment"})


class Contribution(TimestampMixin, db.Model):
    __tablename__ = "contributions"
    __table_args__ = (Index("ix_contributions_status_created", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Discriminator: which kind of contribution this is.
    kind: Mapped[str] = mapped_column(String(30), index=True)
    #: The consultation it belongs to, if any.
    consultation_id: Mapped[int | None] = mapped_column(ForeignKey("consultations.id"), index=True)
    #: Null for anonymous contributions and for erased authors.
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: The group it was written for, if any (foreign key added with groups).
    group_id: Mapped[int | None] = mapped_column(index=True)
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[ContributionStatus] = mapped_column(
        string_enum(ContributionStatus, "contribution_status"),
        default=ContributionStatus.PENDING,
    )
    #: The ward or area it is about (a term of the ``area`` vocabulary).
    area_id: Mapped[int | None] = mapped_column(ForeignKey("terms.id"), index=True)
    #: Written by a youth member: always pre-moderated and never shown by name.
    by_youth: Mapped[bool] = mapped_column(default=False)
    #: Written without an account.
    anonymous: Mapped[bool] = mapped_column(default=False)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Why it was held automatically (personal data, abuse words, reports), for moderators.
    hold_reasons: Mapped[list] = mapped_column(JSON, default=list)

    author = relationship("User", foreign_keys=[author_id])
    area = relationship("Term", foreign_keys=[area_id])
    consultation = relationship("Consultation", foreign_keys=[consultation_id])

    __mapper_args__ = {"polymorphic_on": "kind", "polymorphic_identity": "contribution"}

    @property
    def is_public(self) -> bool:
        return self.status == ContributionStatus.PUBLISHED

    @property
    def shown_as(self) -> str:
        """Who wrote it, as a public page may say (the rule in README "Where names appear").

        A name only beside what the person chose to post publicly under it (an idea, a
        comment); never beside survey answers or statements, and never a young person's.
        """
        from flask_babel import gettext

        if self.by_youth or (self.author is not None and self.author.is_youth):
            return gettext("A young person")
        if self.kind in NAMED_KINDS and self.author is not None and not self.anonymous:
            return self.author.display_name
        return gettext("Someone")
