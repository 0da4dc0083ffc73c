"""Consent records: what a person agreed to, when, and when they withdrew it."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import UTCDateTime, string_enum, utcnow


class ConsentPurpose(enum.StrEnum):
    #: Agreed to the privacy notice (its version) when registering, or when it changed.
    PRIVACY_NOTICE = "privacy_notice"
    #: Email me when the partnership publishes what it did (a survey response's hear-back).
    HEAR_BACK = "hear_back"
    #: Optional "about you" answers in a survey response, used only in totals.
    ABOUT_YOU = "about_you"
    #: Special-category "about you" answers (ethnicity, disability): explicit consent.
    SPECIAL_CATEGORY = "special_category"


PURPOSE_LABELS = {
    ConsentPurpose.PRIVACY_NOTICE: _l("How we use your information (the privacy notice)"),
    ConsentPurpose.HEAR_BACK: _l("Email me what the partnership did as a result"),
    ConsentPurpose.ABOUT_YOU: _l("Keep my answers about myself (age, ward, gender, connection)"),
    ConsentPurpose.SPECIAL_CATEGORY: _l(
        "Use my answers about ethnicity and disability, in totals only"
    ),
}

#: What withdrawing does, as the person is told before they press the button.
WITHDRAW_EFFECTS = {
    ConsentPurpose.HEAR_BACK: _l("We will not email you about what happened as a result."),
    ConsentPurpose.ABOUT_YOU: _l("Your answers about yourself in this survey are deleted at once."),
    ConsentPurpose.SPECIAL_CATEGORY: _l(
        "Your answers about ethnicity and disability in this survey are deleted at once."
    ),
}


class Consent(db.Model):
    """One agreement, given once; withdrawing it keeps the row (when it was withdrawn).

    Agreeing again after withdrawing adds a new row, so the history is kept.
    """

    __tablename__ = "consents"
    __table_args__ = (Index("ix_consents_user_purpose", "user_id", "purpose"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    purpose: Mapped[ConsentPurpose] = mapped_column(
        string_enum(ConsentPurpose, "consent_purpose", length=30)
    )
    #: The survey response it is about (hear-back and "about you"); null for the notice.
    response_id: Mapped[int | None] = mapped_column(
        ForeignKey("survey_responses.id", ondelete="CASCADE"), index=True
    )
    #: The privacy notice version in force when it was given.
    version: Mapped[str] = mapped_column(String(20), default="")
    #: Where it was given: "registration", "survey" or "account".
    source: Mapped[str] = mapped_column(String(30), default="")
    #: The exact words the person agreed to (``privacy/wording.py``), as shown then.
    wording: Mapped[str] = mapped_column(Text, default="", server_default="")
    given_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    response = relationship("Response")

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

    @property
    def can_withdraw(self) -> bool:
        return self.is_active and self.purpose in WITHDRAW_EFFECTS

    @property
    def purpose_label(self) -> str:
        return str(PURPOSE_LABELS[self.purpose])

    @property
    def withdraw_effect(self) -> str:
        return str(WITHDRAW_EFFECTS.get(self.purpose, ""))

    @property
    def scope_label(self) -> str:
        if self.response is None:
            return ""
        return self.response.survey.title
