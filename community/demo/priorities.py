"""A closed demo survey with a few hundred responses from every ward and age band, so
results, cross-tabulations and consensus across wards and age groups show real figures."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select

from ..consultations.models import Consultation
from ..extensions import db
from ..framework.models import Term, wards_query
from ..models_base import utcnow
from ..sanitise import rich_text
from ..surveys.models import AboutYouAnswer, Answer, Response, ResponseStatus

SLUG = "safer-neighbourhoods-priorities"
RESPONSES = 342
#: Every age band, adults weighted as the borough is; young people too.
AGES = ["13_15", "16_17", "18_24", "25_34", "35_44", "45_54", "55_64", "65_74", "75_plus"]
AGE_WEIGHTS = [3, 4, 8, 14, 16, 15, 13, 9, 6]
#: Items everyone tends to agree on (high consensus) and ones that split by age.
AGREED = ["Street lighting should be fixed within a week", "Victims should be told what happened"]
SPLIT = ["There should be more police on foot", "Young people are treated fairly in this area"]

SECTIONS = [
    (
        "Your neighbourhood",
        [{"kind": "likert", "text": text, "required": True} for text in AGREED + SPLIT]
        + [
            {
                "kind": "single_choice",
                "text": "What worries you most where you live?",
                "options": {
                    "choices": [
                        "Anti-social behaviour",
                        "Burglary",
                        "Speeding",
                        "Drugs",
                        "Violence",
                        "Nothing much",
                    ]
                },
            },
            {
                "kind": "scale",
                "text": "How safe do you feel where you live?",
                "options": {"low_label": "not at all safe", "high_label": "completely safe"},
            },
        ],
    )
]


def _likert(rng: random.Random, text: str, age: str) -> int:
    if text in AGREED:
        return rng.choices([1, 2, 3, 4, 5], weights=[1, 1, 2, 8, 8])[0]
    young = age in ("13_15", "16_17", "18_24")
    if text == SPLIT[0]:
        weights = [4, 5, 3, 2, 1] if young else [1, 1, 2, 6, 5]
    else:
        weights = [2, 2, 3, 5, 3] if young else [3, 5, 3, 2, 1]
    return rng.choices([1, 2, 3, 4, 5], weights=weights)[0]


def load_demo_priorities(make_survey) -> list[str]:
    """The closed consultation and its responses; nothing if it exists."""
    if db.session.scalar(select(Consultation.id).where(Consultation.slug == SLUG)):
        return []
    rng = random.Random(2026)
    now = utcnow()
    consultation = Consultation(
        slug=SLUG,
        title="Safer neighbourhoods: your priorities",
        summary="What matters most for safety where you live: the partnership's yearly survey.",
        body_html=rich_text("<p>Run every autumn across all 19 wards.</p>"),
        opens_at=now - timedelta(days=60),
        closes_at=now - timedelta(days=9),
        published_at=now - timedelta(days=61),
        allow_anonymous=True,
        documents=[],
    )
    consultation.terms = list(
        db.session.scalars(select(Term).where(Term.code.in_(["anti-social-behaviour", "PH2"])))
    )
    db.session.add(consultation)
    db.session.flush()
    survey = make_survey(
        consultation,
        "Your neighbourhood priorities",
        "It takes about 3 minutes.",
        SECTIONS,
        about_you=["age_band", "ward", "gender", "connection"],
    )
    survey.locked_at = now - timedelta(days=59)
    wards = [t.code for t in db.session.scalars(wards_query())]
    questions = survey.questions
    for n in range(RESPONSES):
        age = rng.choices(AGES, weights=AGE_WEIGHTS)[0]
        response = Response(
            survey_id=survey.id,
            browser_token=f"p{n:063d}",
            status=ResponseStatus.SUBMITTED,
            submitted_at=now - timedelta(days=rng.randint(10, 58)),
        )
        for question in questions:
            if question.kind == "likert":
                value = _likert(rng, question.text, age)
            elif question.kind == "scale":
                value = rng.choices(range(11), weights=[1, 1, 2, 3, 4, 6, 8, 9, 7, 4, 2])[0]
            else:
                value = {"choice": rng.choice(question.options["choices"])}
            response.answers.append(Answer(question_id=question.id, value=value))
        db.session.add(response)
        db.session.flush()
        about = {
            "age_band": age,
            "ward": wards[n % len(wards)] if rng.random() < 0.9 else rng.choice(wards),
            "gender": rng.choice(["woman", "man", "woman", "man", "non_binary"]),
            "connection": rng.choice(["live", "live", "live", "work", "study"]),
        }
        db.session.add_all(
            AboutYouAnswer(response_id=response.id, key=key, value=value)
            for key, value in about.items()
        )
    db.session.flush()
    return [f"Demo consultation: {consultation.title} (closed, {RESPONSES} responses)"]
