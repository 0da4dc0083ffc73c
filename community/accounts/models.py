"""People and their roles."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models_base import TimestampMixin, UTCDateTime, string_enum, utcnow


class Role(enum.StrEnum):
    """Stored roles. A visitor is anyone not signed in, so it is not stored."""

    RESIDENT = "resident"
    YOUTH = "youth"
    GROUP_LEADER = "group_leader"
    PARTNER = "partner"
    MODERATOR = "moderator"
    OFFICER = "officer"
    ADMIN = "admin"


class AgeBand(enum.StrEnum):
    """Age bands asked at registration. Under 13s cannot register."""

    UNDER_13 = "under_13"
    AGE_13_15 = "13_15"
    AGE_16_17 = "16_17"
    AGE_18_24 = "18_24"
    AGE_25_34 = "25_34"
    AGE_35_44 = "35_44"
    AGE_45_54 = "45_54"
    AGE_55_64 = "55_64"
    AGE_65_74 = "65_74"
    AGE_75_PLUS = "75_plus"

    @property
    def is_youth(self) -> bool:
        return self in (AgeBand.AGE_13_15, AgeBand.AGE_16_17)


class Organisation(enum.StrEnum):
    """The partnership's member organisations: who leads an action, whom a partner works for."""

    POLICE = "police"
    COUNCIL = "council"
    HEALTH = "health"
    PROBATION = "probation"
    FIRE = "fire"
    YOUTH_SERVICE = "youth_service"
    VOLUNTARY_SECTOR = "voluntary_sector"

    @property
    def label(self) -> str:
        from flask_babel import gettext

        return {
            "police": gettext("Metropolitan Police"),
            "council": gettext("Royal Borough of Kingston upon Thames"),
            "health": gettext("Health (NHS South West London)"),
            "probation": gettext("Probation Service"),
            "fire": gettext("London Fire Brigade"),
            "youth_service": gettext("Youth service"),
            "voluntary_sector": gettext("Voluntary and community sector"),
        }[self.value]


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint("email = lower(email)", name="email_lowercase"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Lower-cased; unique. Erasure replaces it with a placeholder.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    #: Shown beside adult contributions; never shown for youth members.
    display_name: Mapped[str] = mapped_column(String(60))
    #: argon2id hash.
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(string_enum(Role, "role"), default=Role.RESIDENT, index=True)
    age_band: Mapped[AgeBand] = mapped_column(string_enum(AgeBand, "age_band"))
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: When the person's data was erased (privacy): the row stays, with nothing personal in it.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: When retention last warned that the account will be deleted for lack of use.
    inactivity_warned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: The partner organisation a partner or officer works for (what they may edit in the plan).
    organisation: Mapped[Organisation | None] = mapped_column(
        string_enum(Organisation, "organisation")
    )
    #: Moderators (or officers) who are told at once about safeguarding reports.
    safeguarding_lead: Mapped[bool] = mapped_column(default=False)
    #: What the session cookie holds instead of the id; rotating it signs out every session.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    #: The language the person chose (a code from LANGUAGES), for pages and mail;
    #: empty until they choose, when the browser's preference decides.
    language: Mapped[str | None] = mapped_column(String(10))

    def get_id(self) -> str:
        return self.session_token

    @property
    def is_active(self) -> bool:
        return self.disabled_at is None

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def is_youth(self) -> bool:
        return self.role == Role.YOUTH

    @property
    def public_name(self) -> str:
        """The name others may see: never a young person's own name."""
        from flask_babel import gettext

        return gettext("A young person") if self.is_youth else self.display_name

    def rotate_session_token(self) -> None:
        self.session_token = new_session_token()

    def mark_signed_in(self) -> None:
        self.last_sign_in_at = utcnow()

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"
