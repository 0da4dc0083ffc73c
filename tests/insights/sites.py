"""Consultations about issues and principles, answered over several quarters."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from community.extensions import db
from community.framework.models import Term
from community.surveys.models import AboutYouAnswer, Answer, Response, ResponseStatus
from community.tagging.models import Tag
from tests.support.factories import make_consultation, make_contribution, make_survey

QUESTIONS = [("Page", [{"kind": "likert", "text": "Lighting is good"}])]
Q1, Q3 = datetime(2025, 2, 10, 12, tzinfo=UTC), datetime(2025, 8, 5, 9, tzinfo=UTC)


def respond(survey, n, value, ward, when):
    """``n`` responses giving the one Likert question ``value``, from ``ward``."""
    [question] = survey.questions
    for _ in range(n):
        response = Response(survey_id=survey.id, status=ResponseStatus.SUBMITTED, submitted_at=when)
        response.answers.append(Answer(question_id=question.id, value=value))
        db.session.add(response)
        db.session.flush()
        db.session.add(AboutYouAnswer(response_id=response.id, key="ward", value=ward))


def terms(*codes):
    return list(db.session.scalars(select(Term).where(Term.code.in_(codes)).order_by(Term.code)))


def build_site() -> dict:
    """Roads (closed, about road safety and PH1): a survey answered in two quarters, with
    a quiet quarter between; Parks (closed, about anti-social behaviour): a contribution
    officers tagged road safety; Lanes (open, so its results are not public yet)."""
    roads = make_consultation(phase="closed", title="Roads", terms=terms("road-safety", "PH1"))
    survey = make_survey(roads, QUESTIONS, about_you=["ward"])
    respond(survey, 6, 5, "norbiton", Q1)  # agree
    respond(survey, 6, 1, "tolworth", Q1)  # disagree
    respond(survey, 5, 4, "norbiton", Q3)
    respond(survey, 5, 4, "tolworth", Q3)
    respond(survey, 2, 4, "tudor", Q3)  # too few to show
    for when, status in ((Q1, "published"), (Q1, "published"), (Q1, "pending"), (Q3, "published")):
        make_contribution(roads, status=status, created_at=when, commit=False)
    parks = make_consultation(phase="closed", title="Parks", terms=terms("anti-social-behaviour"))
    tagged = make_contribution(parks, status="published", created_at=Q3, commit=False)
    make_contribution(parks, status="published", created_at=Q3, commit=False)
    db.session.flush()
    [road] = terms("road-safety")
    db.session.add(Tag(contribution_id=tagged.id, term_id=road.id))
    lanes = make_consultation(phase="open", title="Lanes", terms=terms("road-safety"))
    respond(make_survey(lanes, QUESTIONS, about_you=["ward"]), 3, 5, "norbiton", Q3)
    db.session.commit()
    return {"roads": roads.slug, "roads_id": roads.id, "parks_id": parks.id, "survey": survey.id}
