"""Consultations shared with partner organisations, and figures partners give us.

Partner figures (for example monthly counts of reports from the police) are attached
to an issue and, usually, a ward, and always to the information-sharing agreement
they were given under.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import Organisation
from ..extensions import db
from ..models_base import TimestampMixin, UTCDateTime, string_enum, utcnow


class ConsultationShare(db.Model):
    """An officer shared a consultation's analysis with a partner organisation."""

    __tablename__ = "consultation_shares"
    __table_args__ = (UniqueConstraint("consultation_id", "organisation"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    organisation: Mapped[Organisation] = mapped_column(
        string_enum(Organisation, "share_organisation")
    )
    shared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    consultation = relationship("Consultation")


class SharingAgreement(TimestampMixin, db.Model):
    """An information-sharing agreement that partner data comes under."""

    __tablename__ = "sharing_agreements"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The partner organisation that shares data under it.
    organisation: Mapped[Organisation] = mapped_column(
        string_enum(Organisation, "agreement_organisation")
    )
    name: Mapped[str] = mapped_column(String(160))
    #: The agreement's own reference, e.g. "ISA-2025-014".
    reference: Mapped[str] = mapped_column(String(60), default="")
    #: When it was signed (or took effect).
    signed_on: Mapped[date] = mapped_column(Date)
    #: What the data may be used for, as the agreement says.
    purpose: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class PartnerFigure(TimestampMixin, db.Model):
    """One figure from a partner: a measure for an issue and ward over a period."""

    __tablename__ = "partner_figures"
    __table_args__ = (
        CheckConstraint("value >= 0", name="value_not_negative"),
        CheckConstraint("period_end >= period_start", name="period_in_order"),
        # Named by hand: the conventional name would pass PostgreSQL's 63 characters.
        UniqueConstraint(
            "agreement_id",
            "measure",
            "issue_id",
            "ward_id",
            "period_start",
            name="uq_partner_figures_one_per_period",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("sharing_agreements.id", ondelete="RESTRICT"), index=True
    )
    #: The issue (a framework term of the "issue" vocabulary).
    issue_id: Mapped[int] = mapped_column(ForeignKey("terms.id"), index=True)
    #: The ward (an "area" term); none for the whole partnership area.
    ward_id: Mapped[int | None] = mapped_column(ForeignKey("terms.id"), index=True)
    #: What was counted, e.g. "Anti-social behaviour reports".
    measure: Mapped[str] = mapped_column(String(160))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    #: A count of people or events (published only through suppression).
    value: Mapped[int] = mapped_column()
    #: Whether the count is of under-18s (threshold 10 instead of 5).
    counts_youth: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    agreement = relationship("SharingAgreement", lazy="joined")
    issue = relationship("Term", foreign_keys=[issue_id], lazy="joined")
    ward = relationship("Term", foreign_keys=[ward_id], lazy="joined")

    @property
    def organisation(self) -> Organisation:
        return self.agreement.organisation
