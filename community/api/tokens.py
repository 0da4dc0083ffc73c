"""Issuing, revoking and checking partner API tokens.

A token is ``cv_`` and 43 random URL-safe characters (256 bits). Only its SHA-256
hash is stored: the token itself is shown once, to the admin who issues it.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from ..accounts.models import Organisation
from ..audit.service import record
from ..extensions import db
from ..failures import ServiceError
from ..models_base import utcnow
from .models import ApiToken, TokenScope

PREFIX = "cv_"


class TokenError(ServiceError):
    """A rule about tokens was broken; the message is safe to show."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _end_of(day: date) -> datetime:
    """Midnight after ``day`` (local time), as UTC: a token expiring on a day works all day."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone).astimezone(
        ZoneInfo("UTC")
    )


def issue(
    *,
    name: str,
    scope: TokenScope,
    organisation: Organisation | None,
    expires_on: date,
    user,
) -> tuple[ApiToken, str]:
    """A new token and its secret (returned once, never stored)."""
    if scope is TokenScope.ANALYSIS and organisation is None:
        raise TokenError(_("Choose the organisation: analysis covers what is shared with it"))
    expires_at = _end_of(expires_on)
    if expires_at <= utcnow():
        raise TokenError(_("The expiry date must be in the future"))
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        name=name.strip(),
        scope=scope,
        organisation=organisation,
        token_hash=hash_token(secret),
        prefix=secret[:10],
        expires_at=expires_at,
        created_by_id=getattr(user, "id", None),
    )
    db.session.add(token)
    db.session.flush()
    record(
        "api_token.issued",
        "api_token",
        token.id,
        actor=user,
        scope=scope.value,
        organisation=organisation.value if organisation else None,
        expires_at=expires_at.isoformat(),
    )
    return token, secret


def revoke(token: ApiToken, user) -> None:
    """Stop a token working at once (idempotent)."""
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        token.revoked_by_id = getattr(user, "id", None)
        record("api_token.revoked", "api_token", token.id, actor=user)


@dataclass(frozen=True)
class Presented:
    """What an ``Authorization`` header presented: nothing, a bad token, or a good one."""

    given: bool
    token: ApiToken | None = None

    @property
    def valid(self) -> bool:
        return self.token is not None


def from_header(header: str | None) -> Presented:
    """The token in ``Authorization: Bearer <token>``, if it is known, live and unrevoked."""
    if not header:
        return Presented(False)
    kind, _, secret = header.strip().partition(" ")
    secret = secret.strip()
    if kind.lower() != "bearer" or not secret.startswith(PREFIX) or len(secret) > 100:
        return Presented(True)
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(secret)))
    if token is None or not token.is_active():
        return Presented(True)
    return Presented(True, token)
