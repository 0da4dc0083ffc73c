"""Demo data for a local site: never run this against production."""

from __future__ import annotations

from collections.abc import Iterator

from flask import current_app
from sqlalchemy import select

from ..accounts.models import AgeBand, Organisation, Role, User
from ..accounts.passwords import hash_password
from ..extensions import db
from ..framework.service import seed
from ..models_base import utcnow

DEMO_PASSWORD = "demo-password"  # noqa: S105  (a published demo password, local use only)

#: One account per role. The partner works for the police, which leads plan actions, so
#: "update the actions your organisation leads" works for them; the officer is council.
DEMO_PEOPLE = [
    ("resident@example.com", "Sam (resident)", Role.RESIDENT, AgeBand.AGE_35_44, None),
    ("youth@example.com", "Alex (youth member)", Role.YOUTH, AgeBand.AGE_16_17, None),
    ("leader@example.com", "Jo (group leader)", Role.GROUP_LEADER, AgeBand.AGE_25_34, None),
    (
        "partner@example.com",
        "Priya (partner)",
        Role.PARTNER,
        AgeBand.AGE_45_54,
        Organisation.POLICE,
    ),
    ("moderator@example.com", "Morgan (moderator)", Role.MODERATOR, AgeBand.AGE_25_34, None),
    ("officer@example.com", "Olu (officer)", Role.OFFICER, AgeBand.AGE_35_44, Organisation.COUNCIL),
    ("admin@example.com", "Ash (admin)", Role.ADMIN, AgeBand.AGE_45_54, None),
]


def load_demo() -> Iterator[str]:
    """Add what is missing; safe to run again. Every random choice has a fixed seed, so
    every run builds the same borough."""
    if current_app.config["COMMUNITY_ENV"] == "production":
        raise RuntimeError("Demo data is not loaded in production")
    from ..moderation.service import seed_templates

    report = seed(current_app.config["FRAMEWORK_FILE"])
    seed_templates()
    yield f"Framework: {report.terms_added} terms added"
    existing = set(db.session.scalars(select(User.email)))
    password_hash = hash_password(DEMO_PASSWORD)
    for email, name, role, band, organisation in DEMO_PEOPLE:
        if email in existing:
            continue
        db.session.add(
            User(
                email=email,
                display_name=name,
                password_hash=password_hash,
                role=role,
                age_band=band,
                organisation=organisation,
                email_verified_at=utcnow(),
            )
        )
        yield f"Demo account {email} ({role.value}), password {DEMO_PASSWORD!r}"
    db.session.flush()
    from .content import load_demo_consultations

    yield from load_demo_consultations()
    from .groups import load_demo_groups

    yield from load_demo_groups()
    from .plan import load_demo_plan

    yield from load_demo_plan()
    officer = db.session.scalar(select(User).where(User.email == "officer@example.com"))
    from .ideas import load_demo_ideas
    from .partners import load_demo_partner_figures
    from .people import crowd
    from .priorities import load_demo_priorities
    from .surveys import build_survey

    yield from load_demo_priorities(build_survey)
    yield from load_demo_ideas(crowd(password_hash), officer)
    yield from load_demo_partner_figures(officer)
    db.session.commit()
