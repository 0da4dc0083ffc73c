"""An unanswered section's questions are drawn once per survey structure
(community/surveys/answering/markup.py), and never where they could differ."""

from __future__ import annotations

import re

import pytest

from community.extensions import db
from community.surveys.answering import markup
from community.surveys.models import Question, Survey
from tests.support.factories import make_survey
from tests.surveys.test_question_types import CASES

#: Every kind of question but the ward (drawn each time) on one page.
KEPT = [
    {"kind": kind, "text": f"About {kind}?", "options": options, "required": i % 2 == 0}
    for i, (kind, options, *_rest) in enumerate(CASES)
    if kind != "ward"
]


@pytest.fixture
def draws(monkeypatch):
    """The sections drawn by ``markup.draw`` (misses of the kept markup)."""
    seen: list[int] = []
    real = markup.draw

    def counted(form, questions):
        seen.append(len(questions))
        return real(form, questions)

    monkeypatch.setattr(markup, "draw", counted)
    return seen


def _survey(app, questions=KEPT) -> tuple[int, str]:
    with app.app_context():
        survey = make_survey(sections=[("Page", [dict(q) for q in questions])])
        return survey.id, f"/surveys/{survey.id}/sections/{survey.sections[0].id}"


def _form(page: str) -> str:
    """The section's form, tokens taken out (they differ for every visitor)."""
    form = re.search(r"<form method=\"post\" novalidate>(.*?)</form>", page, re.S).group(1)
    form = re.sub(r'name="(csrf_token|form_token)" (type="hidden" )?value="[^"]*"', "", form)
    return " ".join(form.split())


def test_first_visits_share_one_drawing_equal_to_the_page_drawn_afresh(
    app, role_client, framework, draws
):
    survey_id, url = _survey(app)
    pages = []
    for role in ("resident", "youth", "partner"):
        client = role_client(role)
        client.post(f"/surveys/{survey_id}/begin")
        pages.append(client.get(url).get_data(as_text=True))
    assert draws == [len(KEPT)]  # drawn for the first visitor only
    assert _form(pages[0]) == _form(pages[1]) == _form(pages[2])
    for spec in KEPT:
        assert spec["text"] in pages[0]
    # The same page drawn by the template itself, with nothing kept.
    markup.figure_cache.clear()
    original = markup.section_fields
    markup.section_fields = lambda *args, **kwargs: None
    try:
        client = role_client("moderator")
        client.post(f"/surveys/{survey_id}/begin")
        fresh = client.get(url).get_data(as_text=True)
    finally:
        markup.section_fields = original
    assert _form(fresh) == _form(pages[0])


def test_a_changed_question_is_drawn_again(app, role_client, framework, draws):
    survey_id, url = _survey(app)
    client = role_client("resident")
    client.post(f"/surveys/{survey_id}/begin")
    client.get(url)
    with app.app_context():
        question = db.session.get(Survey, survey_id).questions[0]
        question.text = "Reworded after the first visit?"
        db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert "Reworded after the first visit?" in page and len(draws) == 2


def test_answers_errors_wards_and_other_languages_are_drawn_each_time(
    app, role_client, framework, draws
):
    survey_id, url = _survey(app, [{"kind": "likert", "text": "Lighting is good", "options": {}}])
    with app.app_context():
        question_id = db.session.get(Survey, survey_id).questions[0].id
    client = role_client("resident")
    client.post(f"/surveys/{survey_id}/begin")
    client.get(url)
    assert len(draws) == 1
    client.post(url, data={f"q{question_id}": "4"})
    page = client.get(url).get_data(as_text=True)  # answered: the answer is shown
    assert re.search(r'value="4"[^>]*checked', page) and len(draws) == 1
    # An error: the summary and the field's message, drawn for this visitor.
    youth = role_client("youth")
    youth.post(f"/surveys/{survey_id}/begin")
    with app.app_context():
        db.session.get(Question, question_id).required = True
        db.session.commit()
    refused = youth.post(url, data={}).get_data(as_text=True)
    assert "govuk-error-summary" in refused and "govuk-radios" in refused
    # Another language: translations are edited apart from the survey.
    polish = role_client("partner")
    polish.get("/language/pl")
    polish.post(f"/surveys/{survey_id}/begin")
    assert polish.get(url).status_code == 200
    # A ward question: its choices are the framework's areas.
    ward_survey, ward_url = _survey(app, [{"kind": "ward", "text": "Your ward", "options": {}}])
    client.post(f"/surveys/{ward_survey}/begin")
    assert "Norbiton" in client.get(ward_url).get_data(as_text=True)
    assert len(draws) == 1  # none of these used or made a kept drawing
