"""Partner API tokens and the log of every call made with (or without) one."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import Organisation
from ..extensions import db
from ..models_base import TimestampMixin, UTCDateTime, string_enum, utcnow


class TokenScope(enum.StrEnum):
    """What a token may read. Analysis includes open data."""

    #: Published, suppressed aggregates of closed consultations (also open without a token).
    OPEN_DATA = "open_data"
    #: Also the consultations shared with the token's organisation, their themes and
    #: tag counts, and partner data.
    ANALYSIS = "analysis"

    def covers(self, needed: TokenScope) -> bool:
        return self is TokenScope.ANALYSIS or needed is TokenScope.OPEN_DATA


class ApiToken(TimestampMixin, db.Model):
    """A partner's token: shown once when issued; only its SHA-256 hash is kept."""

    __tablename__ = "api_tokens"
    __table_args__ = (
        CheckConstraint(
            "scope = 'open_data' OR organisation IS NOT NULL", name="analysis_has_organisation"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: What it is for, e.g. "Police analysts' dashboard".
    name: Mapped[str] = mapped_column(String(120))
    #: Whose token it is: analysis covers consultations shared with this organisation.
    organisation: Mapped[Organisation | None] = mapped_column(
        string_enum(Organisation, "token_organisation")
    )
    scope: Mapped[TokenScope] = mapped_column(string_enum(TokenScope, "token_scope"))
    #: Hex SHA-256 of the token (tokens are long and random, so a fast hash is enough).
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: The token's first characters, to tell tokens apart in lists.
    prefix: Mapped[str] = mapped_column(String(16))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    created_by = relationship("User", foreign_keys=[created_by_id])

    def is_active(self, now: datetime | None = None) -> bool:
        return self.revoked_at is None and self.expires_at > (now or utcnow())

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "active" if self.is_active() else "expired"


class ApiCall(db.Model):
    """One API call: which token (none for anonymous calls), what, the answer, when.

    No personal data: not the caller's address, not the query string.
    """

    __tablename__ = "api_calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_id: Mapped[int | None] = mapped_column(
        ForeignKey("api_tokens.id", ondelete="CASCADE"), index=True
    )
    method: Mapped[str] = mapped_column(String(8))
    #: The route, e.g. ``/api/v1/consultations/<slug>/results`` (its pattern, not the path).
    endpoint: Mapped[str] = mapped_column(String(120))
    status: Mapped[int] = mapped_column()
    called_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    duration_ms: Mapped[int] = mapped_column(default=0)
