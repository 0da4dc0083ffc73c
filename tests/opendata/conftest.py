"""A closed consultation with a survey, agreement by ward and a conversation, whose
figures are chosen so that some must be suppressed."""

from __future__ import annotations

import pytest

from community.contributions.models import ContributionStatus
from community.conversations.models import Conversation, Statement
from community.extensions import db
from community.models_base import utcnow
from community.surveys.models import AboutYouAnswer, Answer, Response, ResponseStatus
from tests.support.factories import make_consultation, make_survey

SECTIONS = [
    (
        "Page",
        [
            {"kind": "likert", "text": "Lighting is good"},
            {
                "kind": "single_choice",
                "text": "How do you travel?",
                "options": {"choices": ["Walk", "Cycle", "Bus"]},
            },
        ],
    )
]


def respond(survey, n, *, likert, travel, ward=None):
    likert_q, travel_q = survey.questions
    for _ in range(n):
        response = Response(
            survey_id=survey.id, status=ResponseStatus.SUBMITTED, submitted_at=utcnow()
        )
        db.session.add(response)
        response.answers.append(Answer(question_id=likert_q.id, value=likert))
        response.answers.append(Answer(question_id=travel_q.id, value={"choice": travel}))
        db.session.flush()
        if ward:
            db.session.add(AboutYouAnswer(response_id=response.id, key="ward", value=ward))


def make_open_data_consultation(phase="closed", **fields):
    """Survey: 12 Walk, 3 Cycle (small), 6 Bus; agreement: norbiton 7 agree, tolworth
    6 disagree, tudor 3 (too few to show, 2 agree and 1 neutral), 5 with no ward.
    Conversation: one statement with 40 votes, one with 4, one held back."""
    consultation = make_consultation(phase=phase, **fields)
    survey = make_survey(consultation, SECTIONS, about_you=["ward"])
    respond(survey, 7, likert=5, travel="Walk", ward="norbiton")
    respond(survey, 6, likert=1, travel="Bus", ward="tolworth")
    respond(survey, 2, likert=4, travel="Cycle", ward="tudor")
    respond(survey, 1, likert=3, travel="Cycle", ward="tudor")
    respond(survey, 5, likert=5, travel="Walk")
    conversation = Conversation(
        consultation_id=consultation.id,
        question="What would make the high street safer?",
        attribution="Pol.is data, CC BY 4.0",
    )
    db.session.add(conversation)
    db.session.flush()
    statements = [
        Statement(
            conversation_id=conversation.id,
            consultation_id=consultation.id,
            body=body,
            status=status,
            published_at=utcnow(),
        )
        for body, status in (
            ('=HYPERLINK("http://x") More lighting', ContributionStatus.PUBLISHED),
            ("More patrols", ContributionStatus.PUBLISHED),
            ("Name and shame them", ContributionStatus.REJECTED),
        )
    ]
    db.session.add_all(statements)
    db.session.flush()
    figures = [(30, 8, 2), (3, 1, 0), (9, 9, 9)]
    conversation.results = {
        "participants": 40,
        "statements": {
            str(s.id): {
                "agree": a,
                "disagree": d,
                "pass": p,
                "votes": a + d + p,
                "consensus_agree": 0.6,
            }
            for s, (a, d, p) in zip(statements, figures, strict=True)
        },
    }
    conversation.results_computed_at = utcnow()
    conversation.stale = False
    db.session.commit()
    return consultation


@pytest.fixture
def open_consultation(app, framework):
    with app.app_context():
        consultation = make_open_data_consultation()
        return {"id": consultation.id, "slug": consultation.slug}
