"""Tagging fixtures: a consultation with contributions, terms by code, tagging helpers."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from community.consultations.models import Consultation
from community.extensions import db
from community.framework.models import Term
from community.surveys.models import AboutYouAnswer, Answer, Response, ResponseStatus
from community.tagging.models import Tag, TagSource, code_key
from tests.support.factories import make_consultation, make_contribution, make_survey


def term_key(code: str) -> str:
    """The key of a framework term, by its code (``PH1``, ``road-safety``, ``norbiton``)."""
    return code_key(db.session.scalar(select(Term.id).where(Term.code == code)), None)


def term_id(code: str) -> int:
    return db.session.scalar(select(Term.id).where(Term.code == code))


def add_tag(contribution_id: int, key: str, coder_id: int | None, *, pinned=False, source=None):
    tag = Tag(
        contribution_id=contribution_id,
        coder_id=coder_id,
        source=source or TagSource.OFFICER,
        pinned=pinned,
    )
    tag.set_key(key)
    db.session.add(tag)
    return tag


def about_you(contribution_id: int, survey: tuple[int, int], **answers) -> None:
    """Link a contribution to a submitted response with "about you" answers (ward, age_band)."""
    survey_id, question_id = survey
    response = Response(survey_id=survey_id, status=ResponseStatus.SUBMITTED)
    db.session.add(response)
    db.session.flush()
    db.session.add(
        Answer(
            response_id=response.id,
            question_id=question_id,
            value="(free text)",
            contribution_id=contribution_id,
        )
    )
    for key, value in answers.items():
        db.session.add(AboutYouAnswer(response_id=response.id, key=key, value=value))


@dataclass
class Setting:
    consultation: int
    slug: str
    published: list[int]
    pending: list[int]
    rejected: int


@pytest.fixture
def setting(app, framework) -> Setting:
    """A consultation with three published, two pending and one rejected contribution."""
    with app.app_context():
        consultation = make_consultation()
        published = [
            make_contribution(consultation, status="published", body=body).id
            for body in (
                "The street lights on the high road are broken and it is dark at night",
                "Knife crime near the station worries me, kids carrying knives",
                "Speeding cars on the school road; we need a crossing",
            )
        ]
        pending = [
            make_contribution(consultation, status="pending", body=body, by_youth=True).id
            for body in ("Nothing for young people to do since the youth club closed", "Drugs")
        ]
        rejected = make_contribution(consultation, status="rejected", body="=HYPERLINK(x)").id
        return Setting(consultation.id, consultation.slug, published, pending, rejected)


@pytest.fixture
def survey(app, setting):
    """A survey of the consultation with one long-text question: ``(survey_id, question_id)``."""
    with app.app_context():
        made = make_survey(
            db.session.get(Consultation, setting.consultation),
            [("Your views", [{"kind": "long_text", "text": "Tell us"}])],
        )
        return made.id, made.sections[0].questions[0].id
