"""Survey data for results and export tests: every question type, seeded random answers."""

from __future__ import annotations

import random
from datetime import date, timedelta

from community.contributions.models import ContributionStatus
from community.extensions import db
from community.framework.models import active_terms_query
from community.models_base import utcnow
from community.surveys.models import (
    AboutYouAnswer,
    Answer,
    Channel,
    Response,
    ResponseStatus,
    Survey,
    SurveyText,
)
from community.surveys.qtypes import OTHER
from tests.support.factories import HOSTILE_TEXT, make_consultation, make_survey

TRAVEL = ["Walk", "Cycle", "Bus"]
PLACES = ["Parks", "Stations", "High street"]
OFTEN = ["Daily", "Weekly", "Rarely"]
STATEMENTS = ["Police are visible", "Neighbours help", "CCTV helps"]
FIXES = ["Lighting", "Patrols", "Youth clubs"]
LIKERT_ORDER = [5, 4, 3, 2, 1]

SECTIONS = [
    (
        "Getting about",
        [
            dict(kind="info", text="About this survey"),
            dict(
                kind="single_choice",
                text="How do you travel?",
                options={"choices": TRAVEL, "allow_other": True},
            ),
            dict(
                kind="multiple_choice",
                text="Where do you feel unsafe?",
                options={"choices": PLACES, "allow_other": True},
            ),
            dict(
                kind="dropdown",
                text="How often do you go out after dark?",
                options={"choices": OFTEN},
            ),
            dict(kind="ward", text="Which ward is it about?"),
        ],
    ),
    (
        "Your views",
        [
            dict(kind="likert", text="Streets are well lit"),
            dict(kind="scale", text="How safe do you feel?"),
            dict(kind="matrix", text="How far do you agree?", options={"statements": STATEMENTS}),
            dict(kind="ranking", text="Put these in order", options={"choices": FIXES}),
            dict(kind="number", text="How many times did you report a crime?"),
            dict(kind="date", text="When did it last happen?"),
            dict(kind="short_text", text="One word for your area"),
            dict(kind="long_text", text="What would make streets safer?"),
        ],
    ),
]
ABOUT = ["age_band", "ward", "gender"]
AGE_BANDS = ["13_15", "16_17", "18_24", "25_34", "65_74", "prefer_not_to_say"]
STATUSES = [ContributionStatus.PUBLISHED, ContributionStatus.PENDING, ContributionStatus.REJECTED]


def make_results_survey(phase="closed", **fields) -> Survey:
    consultation = make_consultation(phase=phase, **fields)
    return make_survey(consultation, SECTIONS, about_you=ABOUT)


def _random_value(rng, question, wards):
    """A plausible answer of the question's type, or None (skipped) now and then."""
    if rng.random() < 0.15:
        return None
    kind = question.kind
    if kind in ("single_choice", "dropdown"):
        options = TRAVEL + [OTHER] if kind == "single_choice" else OFTEN
        choice = rng.choice(options)
        return (
            {"choice": choice, "other": f"other {rng.randint(1, 99)}"}
            if choice == OTHER
            else {"choice": choice}
        )
    if kind == "multiple_choice":
        chosen = rng.sample(PLACES + [OTHER], rng.randint(1, 4))
        return {"choices": chosen, **({"other": "=cmd|' /C calc'!A0"} if OTHER in chosen else {})}
    if kind == "ward":
        return rng.choice(wards)
    if kind == "likert":
        return rng.randint(1, 5)
    if kind == "scale":
        return rng.randint(0, 10)
    if kind == "matrix":
        return {str(i): rng.randint(1, 5) for i in range(3) if rng.random() < 0.8} or None
    if kind == "ranking":
        return rng.sample(FIXES, 3)
    if kind == "number":
        return rng.randint(-3, 40)
    if kind == "date":
        return (date(2025, 1, 1) + timedelta(days=rng.randint(0, 300))).isoformat()
    if kind == "short_text":
        return rng.choice(["quiet", "busy", "=1+1", "@SUM(A1)"])
    if kind == "long_text":
        return f"{HOSTILE_TEXT[:80]} [{rng.randint(1, 10**6)}]"
    return None


def _free_text(question, value) -> str:
    if question.kind == "long_text":
        return value
    if question.kind in ("single_choice", "multiple_choice") and isinstance(value, dict):
        return value.get("other") or ""
    return ""


def add_responses(survey: Survey, count: int, seed: int, *, status_for=None) -> list[dict]:
    """``count`` submitted responses with seeded random answers, plus two in progress.

    Returns what each submitted response said: {"answers": {question id: value},
    "about": {...}, "texts": {question id: status}}.
    """
    rng = random.Random(seed)
    wards = [t.code for t in db.session.scalars(active_terms_query("area"))][:6]
    questions = [q for q in survey.questions if q.type.takes_answer]
    made = []
    for i in range(count + 2):
        submitted = i < count
        response = Response(
            survey_id=survey.id,
            status=ResponseStatus.SUBMITTED if submitted else ResponseStatus.IN_PROGRESS,
            submitted_at=utcnow() + timedelta(seconds=i) if submitted else None,
            channel=rng.choice(list(Channel)),
        )
        db.session.add(response)
        record = {"answers": {}, "about": {}, "texts": {}, "response": response}
        for question in questions:
            value = _random_value(rng, question, wards)
            if value is None:
                continue
            answer = Answer(question_id=question.id, value=value)
            text = _free_text(question, value)
            if text:
                status = status_for(question, value) if status_for else rng.choice(STATUSES)
                answer.contribution = SurveyText(
                    consultation_id=survey.consultation_id, body=text, status=status
                )
                record["texts"][question.id] = status
            response.answers.append(answer)
            record["answers"][question.id] = value
        db.session.flush()
        about = {
            "age_band": rng.choice(AGE_BANDS),
            "ward": rng.choice(wards + ["prefer_not_to_say"]),
            "gender": rng.choice(["woman", "man", "non_binary"]),
        }
        for key, value in about.items():
            if rng.random() < 0.85:
                db.session.add(AboutYouAnswer(response_id=response.id, key=key, value=value))
                record["about"][key] = value
        if submitted:
            made.append(record)
    db.session.commit()
    return made


def questions_by_text(survey):
    return {q.text: q for q in survey.questions}
