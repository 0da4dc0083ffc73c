"""The demo's crowd: residents who post and support ideas and comment (never signed in
as; they make the idea board look like a borough's), with one password hash for all."""

from __future__ import annotations

import random

from sqlalchemy import select

from ..accounts.models import AgeBand, Role, User
from ..extensions import db
from ..models_base import utcnow

FIRST = ["Amira", "Ben", "Chloe", "Dev", "Ella", "Femi", "Grace", "Hassan", "Isla", "Jack"]
LAST = ["A.", "B.", "C.", "D."]
ADULT_BANDS = [
    b for b in AgeBand if b not in (AgeBand.UNDER_13, AgeBand.AGE_13_15, AgeBand.AGE_16_17)
]


def crowd(password_hash: str, size: int = 40) -> list[User]:
    """``size`` residents (crowd01@example.com …), made once; the same people every run."""
    rng = random.Random(40)
    existing = {
        u.email: u
        for u in db.session.scalars(select(User).where(User.email.like("crowd%@example.com")))
    }
    people = []
    for n in range(1, size + 1):
        email = f"crowd{n:02d}@example.com"
        person = existing.get(email)
        if person is None:
            person = User(
                email=email,
                display_name=f"{FIRST[n % len(FIRST)]} {LAST[n % len(LAST)]}",
                password_hash=password_hash,
                role=Role.RESIDENT,
                age_band=rng.choice(ADULT_BANDS),
                email_verified_at=utcnow(),
            )
            db.session.add(person)
        people.append(person)
    db.session.flush()
    return people
