"""Every group of radios or checkboxes has a visible question (a non-empty legend).

govuk-frontend-wtf drops its own legend text when a template passes legend settings
without text; axe does not notice, people do. This walks the form pages.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from community.extensions import db
from tests.support.factories import make_consultation, make_survey

FIELDSET = re.compile(r"<fieldset\b.*?</fieldset>", re.S)
LEGEND = re.compile(r"<legend\b[^>]*>(.*?)</legend>", re.S)


def _legends_ok(html: str) -> list[str]:
    problems = []
    for block in FIELDSET.findall(html):
        match = LEGEND.search(block)
        text = re.sub(r"<[^>]+>", "", match.group(1)).strip() if match else ""
        if not text:
            problems.append(block[:160])
    return problems


@pytest.fixture
def pages(app, framework):
    from community.ideas.models import Idea, IdeaBoard

    with app.app_context():
        consultation = make_consultation(allow_anonymous=True)
        survey = make_survey(
            consultation,
            [("P", [{"kind": "likert", "text": "Q"}])],
            about_you=["age_band", "ward", "ethnicity"],
        )
        board = IdeaBoard(consultation_id=consultation.id, title="Ideas")
        db.session.add(board)
        db.session.commit()
        idea = Idea(board_id=board.id, title="Idea", body="Text", status="published")
        db.session.add(idea)
        db.session.commit()
        return {
            "consultation": consultation.id,
            "survey": survey.id,
            "board": board.id,
            "idea": idea.id,
            "section": survey.sections[0].id,
        }


@pytest.mark.parametrize(
    "role, path",
    [
        ("visitor", "/register"),
        ("officer", "/manage/consultations/new"),
        ("officer", "/manage/consultations/{consultation}/edit"),
        ("resident", "/ideas/{board}/new"),
        ("officer", "/ideas/{board}/{idea}"),
        ("resident", "/contributions/{idea}/report"),
        ("admin", "/admin/users/"),
    ],
)
def test_every_fieldset_has_a_legend(app, role_client, pages, role, path):
    response = role_client(role).get(path.format(**pages))
    assert response.status_code == 200
    assert _legends_ok(response.get_data(as_text=True)) == []


def test_survey_pages_have_legends(app, role_client, pages):
    client = role_client("resident")
    client.post(f"/surveys/{pages['survey']}/begin")
    for path in (
        f"/surveys/{pages['survey']}/sections/{pages['section']}",
        f"/surveys/{pages['survey']}/about-you",
    ):
        html = client.get(path).get_data(as_text=True)
        assert "<fieldset" in html and _legends_ok(html) == []
    with app.app_context():
        assert (
            db.session.scalar(
                select(db.func.count()).select_from(db.metadata.tables["survey_responses"])
            )
            == 1
        )
