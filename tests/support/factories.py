"""Test data that carries hostile content by default.

Names and text include markup, SQL quotes, emoji and right-to-left script, so every
page that shows them proves it escapes and stores them faithfully.
"""

from __future__ import annotations

import itertools

from community.accounts.models import AgeBand, Role, User
from community.accounts.passwords import hash_password
from community.extensions import db
from community.models_base import utcnow

HOSTILE_NAME = "<script>alert('x')</script> O'Brien;-- 🙂 مرحبا"
HOSTILE_TEXT = (
    "<script>alert(1)</script><img src=x onerror=alert(2)> Robert'); DROP TABLE contributions;-- "
    "emoji 🚲🌳 and right-to-left نص عربي "
) + "long " * 200
PASSWORD = "correct horse battery"

_counter = itertools.count(1)
_hash_cache: dict[str, str] = {}

ROLE_AGE = {Role.YOUTH: AgeBand.AGE_16_17}


def make_user(
    role: Role = Role.RESIDENT,
    *,
    email: str | None = None,
    display_name: str = HOSTILE_NAME,
    password: str = PASSWORD,
    verified: bool = True,
    age_band: AgeBand | None = None,
    commit: bool = True,
) -> User:
    n = next(_counter)
    if password not in _hash_cache:
        _hash_cache[password] = hash_password(password)
    user = User(
        email=email or f"person{n}@example.com",
        display_name=display_name[:60],
        password_hash=_hash_cache[password],
        role=role,
        age_band=age_band or ROLE_AGE.get(role, AgeBand.AGE_25_34),
        email_verified_at=utcnow() if verified else None,
    )
    db.session.add(user)
    if commit:
        db.session.commit()
    return user
