"""Demo consultations for a local site (their surveys and responses: ``surveys.py``)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from ..consultations.models import Audience, Consultation
from ..conversations.polis import import_folder
from ..conversations.results import recompute
from ..extensions import db
from ..framework.models import Term
from ..models_base import utcnow
from ..sanitise import rich_text
from .surveys import NIGHT_SURVEY, YOUTH_SURVEY, add_responses, build_survey

LONDON_ATTRIBUTION = (
    "Data was gathered using the Polis software (compdemocracy.org/polis) and is "
    "sub-licensed under CC BY 4.0 with Attribution to The Computational Democracy Project. "
    "The data and more information about how the data was collected can be found at the "
    "following link(s): https://compdemocracy.org/case-studies/2022-london-youth-policing"
)

#: Smaller consultations, so every phase has more than one.
MORE = [
    {
        "slug": "safer-parks-and-open-spaces",
        "title": "Safer parks and open spaces",
        "summary": "Which parks feel unsafe, and when?",
        "opens": 20,
        "closes": 60,
        "draft": True,
        "terms": ("anti-social-behaviour",),
    },
    {
        "slug": "drugs-and-county-lines",
        "title": "Drugs and county lines: what you see",
        "summary": "Help us understand where young people are being exploited.",
        "opens": 30,
        "closes": 75,
        "draft": True,
        "terms": ("youth-safety-and-exploitation",),
    },
    {
        "slug": "fraud-and-scams-older-residents",
        "title": "Fraud and scams: protecting older residents",
        "summary": "Tell us about scams you or your family have met.",
        "opens": 14,
        "closes": 56,
        "draft": False,
        "terms": ("fraud-and-scams",),
    },
    {
        "slug": "late-night-transport",
        "title": "Late-night transport and safety",
        "summary": "How you get home at night, and what would make it safer.",
        "opens": -70,
        "closes": -20,
        "draft": False,
        "terms": ("violence-against-women-and-girls",),
    },
]


def _terms(*codes: str) -> list[Term]:
    return list(db.session.scalars(select(Term).where(Term.code.in_(codes))))


def load_demo_consultations() -> list[str]:
    """Three consultations: open (with a survey), closed (with 80 responses), upcoming."""
    if db.session.scalar(select(Consultation.id).limit(1)) is not None:
        return []
    now = utcnow()
    night = Consultation(
        slug="safe-at-night-kingston-town-centre",
        title="Feeling safe in Kingston town centre at night",
        summary=(
            "Tell us where and when you feel unsafe in the town centre after dark, "
            "and what would help."
        ),
        body_html=rich_text(
            "<h2>Why this matters</h2><p>Residents, and women and girls in particular, "
            "have told us they feel less safe in parts of the town centre at night. The "
            "partnership wants to know where, when and what would make the biggest "
            "difference.</p>"
        ),
        why_asking="To decide where lighting, patrols and safe havens should go first.",
        how_used="Every answer is read. We will publish what people said and what we will do.",
        opens_at=now - timedelta(days=25),
        closes_at=now + timedelta(days=3),  # closing in a few days
        published_at=now - timedelta(days=26),
        contact_name="Community Safety Team",
        contact_email="community.safety@kingston.gov.uk",
        documents=[
            {
                "title": "Safer Kingston Partnership Plan 2024-2029",
                "url": "https://www.kingston.gov.uk/",
            }
        ],
        allow_anonymous=True,
    )
    night.terms = _terms(
        "violence-against-women-and-girls", "anti-social-behaviour", "kingston-town", "PH1", "C2"
    )
    youth = Consultation(
        slug="youth-voice-knife-crime",
        title="Youth voice: knife crime and keeping safe",
        summary="Young people told us what would keep them safe from knife crime.",
        body_html=rich_text(
            "<p>A survey for 13 to 17 year olds, run with youth clubs and schools.</p>"
        ),
        opens_at=now - timedelta(days=40),
        closes_at=now - timedelta(days=5),
        published_at=now - timedelta(days=41),
        audience=Audience.YOUTH,
        documents=[],
    )
    youth.terms = _terms(
        "serious-violence-and-knife-crime", "youth-safety-and-exploitation", "C4", "PH1"
    )
    roads = Consultation(
        slug="road-safety-around-schools",
        title="Road safety around schools",
        summary="Which school streets worry you most at drop-off and pick-up?",
        opens_at=now + timedelta(days=7),
        closes_at=now + timedelta(days=49),
        published_at=now,
        documents=[],
    )
    roads.terms = _terms("road-safety")
    db.session.add_all([night, youth, roads])
    db.session.flush()
    build_survey(
        night,
        "Safe at night survey",
        "It takes about 5 minutes.",
        NIGHT_SURVEY,
        about_you=["age_band", "ward", "gender", "connection", "ethnicity", "disability"],
    )
    youth_survey = build_survey(
        youth,
        "Keeping safe survey",
        "For 13 to 17 year olds.",
        YOUTH_SURVEY,
        about_you=["age_band", "ward"],
    )
    youth_survey.locked_at = now - timedelta(days=39)
    add_responses(youth_survey, 80, seed=7)
    scrutiny = Consultation(
        slug="young-people-and-police-scrutiny",
        title="Young people and local scrutiny of policing",
        summary="How can more young people take part in scrutiny of local policing? Vote on what "
        "young Londoners said, and add your own ideas.",
        body_html=rich_text(
            "<p>These statements come from a real Pol.is conversation with young Londoners. "
            "Vote on each one: agree, disagree or pass.</p>"
        ),
        opens_at=now - timedelta(days=3),
        closes_at=now + timedelta(days=30),
        published_at=now - timedelta(days=4),
        allow_anonymous=True,
        documents=[],
    )
    scrutiny.terms = _terms("youth-safety-and-exploitation", "C2", "C5", "PH7")
    db.session.add(scrutiny)
    db.session.flush()
    conversation = import_folder(
        scrutiny,
        Path(__file__).parent.parent / "conversations" / "data" / "london.youth.policing",
        question="What is the best way to engage more young people in local scrutiny of policing?",
        attribution=LONDON_ATTRIBUTION,
    )
    recompute(conversation)
    for spec in MORE:
        extra = Consultation(
            slug=spec["slug"],
            title=spec["title"],
            summary=spec["summary"],
            opens_at=now + timedelta(days=spec["opens"]),
            closes_at=now + timedelta(days=spec["closes"]),
            published_at=None if spec["draft"] else now + timedelta(days=min(0, spec["opens"]) - 1),
            documents=[],
        )
        extra.terms = _terms(*spec["terms"])
        db.session.add(extra)
    db.session.flush()
    return [
        f"Demo consultations: {len(MORE)} more (two drafts, one opening soon, one closed)",
        "Demo conversation: London youth policing (Pol.is open data, CC BY 4.0)",
        "Demo consultation: Feeling safe in Kingston town centre at night (open, with a survey)",
        "Demo consultation: Youth voice: knife crime (closed, 80 responses)",
        "Demo consultation: Road safety around schools (opens in a week)",
    ]
