"""Demo surveys: their questions, and generated responses for a local site."""

from __future__ import annotations

import random
from datetime import timedelta

from ..consultations.models import Consultation
from ..extensions import db
from ..framework.models import wards_query
from ..models_base import utcnow
from ..surveys.models import (
    AboutYouAnswer,
    Answer,
    Question,
    Response,
    ResponseStatus,
    Section,
    Survey,
)

NIGHT_SURVEY = [
    (
        "Your experience",
        [
            {
                "kind": "single_choice",
                "text": "How often are you in Kingston town centre after 6pm?",
                "required": True,
                "options": {
                    "choices": ["Most days", "Once or twice a week", "Less often", "Never"]
                },
            },
            {
                "kind": "likert",
                "text": "I feel safe in the town centre after dark",
                "required": True,
            },
            {
                "kind": "multiple_choice",
                "text": "Where do you feel least safe?",
                "options": {
                    "choices": [
                        "Streets near the station",
                        "The riverside",
                        "Car parks",
                        "Bus stops",
                        "Fairfield park",
                    ],
                    "allow_other": True,
                    "max_choices": 3,
                },
            },
            {
                "kind": "single_choice",
                "text": "Have you seen or experienced harassment there in the last year?",
                "options": {"choices": ["Yes", "No", "Prefer not to say"]},
            },
            {
                "kind": "long_text",
                "text": "Tell us what happened, if you want to",
                "help_text": "Do not include names or anything that could identify someone.",
                "condition": (
                    "Have you seen or experienced harassment there in the last year?",
                    "equals",
                    ["Yes"],
                ),
            },
        ],
    ),
    (
        "What would help",
        [
            {
                "kind": "matrix",
                "text": "How much would these help you feel safer?",
                "options": {
                    "statements": [
                        "Better street lighting",
                        "More visible patrols",
                        "Safe havens in shops and bars",
                        "Later buses and trains",
                    ]
                },
            },
            {
                "kind": "ranking",
                "text": "Put these in order of priority",
                "options": {"choices": ["Lighting", "Patrols", "Youth services", "CCTV"]},
            },
            {
                "kind": "scale",
                "text": "Overall, how safe do you feel in the town centre at night?",
                "options": {"low_label": "not at all safe", "high_label": "completely safe"},
            },
            {
                "kind": "long_text",
                "text": "Is there anything else you want the partnership to know?",
            },
        ],
    ),
]

YOUTH_SURVEY = [
    (
        "What you think",
        [
            {
                "kind": "likert",
                "text": "Young people carry knives because they are scared",
                "required": True,
            },
            {
                "kind": "likert",
                "text": "There are enough things for young people to do in my area",
                "required": True,
            },
            {
                "kind": "single_choice",
                "text": "Who would you talk to if you were worried about knife crime?",
                "options": {
                    "choices": [
                        "A parent or carer",
                        "A teacher",
                        "A youth worker",
                        "A friend",
                        "The police",
                        "No one",
                    ],
                    "allow_other": True,
                },
            },
            {"kind": "ward", "text": "Which ward do you spend most time in?"},
            {"kind": "long_text", "text": "What would you do to keep young people safe?"},
        ],
    )
]

#: Free-text answers to the youth survey, drawn at random for its generated responses.
IDEAS = [
    "More youth clubs open in the evenings and at weekends.",
    "Mentors who grew up here and turned things around.",
    "Better lighting on the riverside path.",
    "Police who get to know young people before anything goes wrong.",
    "Free sport and music sessions in the holidays.",
]


def build_survey(
    consultation: Consultation, title: str, intro: str, sections, about_you=()
) -> Survey:
    """A survey from its sections' specs (a condition names an earlier question's text)."""
    survey = Survey(consultation=consultation, title=title, intro=intro, about_you=list(about_you))
    db.session.add(survey)
    by_text: dict[str, Question] = {}
    for s_pos, (section_title, questions) in enumerate(sections, start=1):
        section = Section(position=s_pos, title=section_title)
        survey.sections.append(section)
        for q_pos, spec in enumerate(questions, start=1):
            spec = dict(spec)
            condition = spec.pop("condition", None)
            question = Question(position=q_pos, options=spec.pop("options", {}), **spec)
            section.questions.append(question)
            if condition:
                db.session.flush()
                target, op, values = condition
                question.condition = {"question_id": by_text[target].id, "op": op, "values": values}
            by_text[question.text] = question
    db.session.flush()
    return survey


def _random_answer(question: Question, rng: random.Random, wards: list[str]):
    options = question.options
    if question.kind == "single_choice":
        return {"choice": rng.choice(options["choices"])}
    if question.kind == "likert":
        return rng.choices([1, 2, 3, 4, 5], weights=[1, 2, 2, 4, 3])[0]
    if question.kind == "ward":
        return rng.choice(wards)
    if question.kind == "long_text":
        return rng.choice(IDEAS) if rng.random() < 0.4 else None
    return None


def add_responses(survey: Survey, count: int, seed: int) -> None:
    """``count`` submitted responses with random answers (the same for the same seed)."""
    from ..contributions.models import ContributionStatus
    from ..surveys.models import SurveyText

    rng = random.Random(seed)
    wards = [t.code for t in db.session.scalars(wards_query())]
    for n in range(count):
        response = Response(
            survey_id=survey.id,
            browser_token=f"{seed:04d}{n:060d}",
            status=ResponseStatus.SUBMITTED,
            submitted_at=utcnow() - timedelta(days=rng.randint(6, 30)),
        )
        db.session.add(response)
        for question in survey.questions:
            value = _random_answer(question, rng, wards)
            if value is None:
                continue
            answer = Answer(question_id=question.id, value=value)
            if question.kind == "long_text":
                answer.contribution = SurveyText(
                    consultation_id=survey.consultation_id,
                    body=value,
                    anonymous=True,
                    by_youth=True,
                    status=ContributionStatus.PUBLISHED,
                    published_at=utcnow(),
                )
            response.answers.append(answer)
        db.session.flush()
        db.session.add(
            AboutYouAnswer(
                response_id=response.id, key="age_band", value=rng.choice(["13_15", "16_17"])
            )
        )
        db.session.add(
            AboutYouAnswer(response_id=response.id, key="ward", value=rng.choice(wards[:19]))
        )
