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
#: One word wider than a phone screen, as people paste or type them (WCAG 1.4.10 reflow).
UNBROKEN = "Unbreakablewordwiderthanaphonescreen"
HOSTILE_TEXT = (
    "<script>alert(1)</script><img src=x onerror=alert(2)> Robert'); DROP TABLE contributions;-- "
    "emoji 🚲🌳 and right-to-left نص عربي "
    # A pasted link: one unbroken word far wider than a phone (WCAG 1.4.10 reflow).
    "https://example.org/a-pasted-link/" + "unbroken" * 12 + " "
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
        db.session.refresh(user)  # loaded, so it is still readable outside the app context
    return user


def make_consultation(
    *,
    title: str = "Safer streets <b>tonight</b> & O'Neill's “quotes” 🚦 " + UNBROKEN,
    phase: str = "open",
    allow_anonymous: bool = False,
    terms=(),
    commit: bool = True,
    **fields,
):
    """A consultation in the given phase (draft, scheduled, open, closed, outcome)."""
    from datetime import timedelta

    from community.consultations.models import Consultation

    now = utcnow()
    n = next(_counter)
    opens, closes = {
        "draft": (now + timedelta(days=1), now + timedelta(days=30)),
        "scheduled": (now + timedelta(days=1), now + timedelta(days=30)),
        "open": (now - timedelta(days=1), now + timedelta(days=10)),
        "closed": (now - timedelta(days=30), now - timedelta(days=1)),
        "outcome": (now - timedelta(days=30), now - timedelta(days=1)),
    }[phase]
    consultation = Consultation(
        slug=f"consultation-{n}",
        title=title,
        summary=HOSTILE_TEXT[:300],
        body_html='<p class="govuk-body">About this.</p>',
        opens_at=opens,
        closes_at=closes,
        published_at=None if phase == "draft" else now - timedelta(days=2),
        outcome_published_at=now if phase == "outcome" else None,
        allow_anonymous=allow_anonymous,
        documents=[],
        **fields,
    )
    consultation.terms = list(terms)
    db.session.add(consultation)
    if commit:
        db.session.commit()
    return consultation


def make_consultations_about(code: str, count: int) -> None:
    """``count`` open consultations about the framework term ``code``, in one commit
    (for tests that a list's queries do not grow with its length)."""
    from sqlalchemy import select

    from community.framework.models import Term

    term = db.session.scalar(select(Term).where(Term.code == code))
    for _ in range(count):
        make_consultation(terms=[term], commit=False)
    db.session.commit()


def make_survey(consultation=None, sections=None, *, about_you=(), commit=True):
    """A survey with sections of questions, given as
    ``[("Section title", [dict(kind=..., text=..., required=..., options=..., condition=...)])]``.
    A condition may name an earlier question by its text as ``{"question": "text", ...}``.
    """
    from community.surveys.models import Question, Section, Survey

    consultation = consultation or make_consultation(commit=False)
    survey = Survey(
        consultation=consultation, title="Your views <i>matter</i>", about_you=list(about_you)
    )
    db.session.add(survey)
    by_text = {}
    for s_pos, (title, questions) in enumerate(sections or [], start=1):
        section = Section(position=s_pos, title=title)
        survey.sections.append(section)
        for q_pos, spec in enumerate(questions, start=1):
            spec = dict(spec)
            condition = dict(spec.pop("condition", None) or {})
            question = Question(position=q_pos, options=spec.pop("options", {}), **spec)
            section.questions.append(question)
            if condition:
                db.session.flush()
                target = by_text[condition.pop("question")]
                question.condition = {"question_id": target.id, **condition}
            by_text[question.text] = question
    db.session.flush()
    if commit:
        db.session.commit()
    return survey


def make_contribution(
    consultation=None,
    *,
    status="pending",
    body=HOSTILE_TEXT,
    author=None,
    by_youth=False,
    commit=True,
    **fields,
):
    """A survey free-text contribution (the kind every feature shares) in a given state."""
    from community.contributions.models import ContributionStatus
    from community.surveys.models import SurveyText

    contribution = SurveyText(
        consultation_id=consultation.id if consultation is not None else None,
        body=body,
        status=ContributionStatus(status),
        author_id=author.id if author is not None else None,
        by_youth=by_youth,
        published_at=utcnow() if status == "published" else None,
        **fields,
    )
    db.session.add(contribution)
    if commit:
        db.session.commit()
    return contribution
