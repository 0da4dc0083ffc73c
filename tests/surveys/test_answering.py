"""Answering a survey: sections, conditions on the server, check answers, submit, receipt."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from community.contributions.models import Contribution, ContributionStatus
from community.extensions import db
from community.surveys.models import AboutYouAnswer, Answer, Response, ResponseStatus, Survey
from tests.support.factories import HOSTILE_TEXT, make_consultation, make_survey
from tests.support.mail import outbox

TRAVEL = [
    (
        "How you travel",
        [
            dict(
                kind="single_choice",
                text="Do you cycle?",
                required=True,
                options={"choices": ["Yes", "No"]},
            ),
            dict(
                kind="likert",
                text="Cycle lanes feel safe",
                required=True,
                condition={"question": "Do you cycle?", "op": "equals", "values": ["Yes"]},
            ),
        ],
    ),
    (
        "Your ideas",
        [
            dict(
                kind="long_text",
                text="What would make streets safer?",
                options={"max_length": 3000},
            )
        ],
    ),
]


@pytest.fixture
def survey_id(app):
    with app.app_context():
        return make_survey(sections=TRAVEL).id


def _ids(app, survey_id):
    with app.app_context():
        survey = db.session.get(Survey, survey_id)
        return [s.id for s in survey.sections], {q.text: q.id for q in survey.questions}


def test_a_resident_answers_with_a_conditional_question(app, role_client, users, survey_id):
    client = role_client("resident")
    sections, q = _ids(app, survey_id)
    start = client.post(f"/surveys/{survey_id}/begin")
    assert start.headers["Location"].endswith(f"/sections/{sections[0]}")
    # "Yes" reveals a question on the same page, so the page is shown again (no JavaScript).
    again = client.post(start.headers["Location"], data={f"q{q['Do you cycle?']}": "Yes"})
    assert again.headers["Location"].endswith(
        f"/sections/{sections[0]}#q{q['Cycle lanes feel safe']}"
    )
    page = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "Cycle lanes feel safe" in page
    # Now it is shown it is required: leaving it empty is an error.
    error = client.post(start.headers["Location"], data={f"q{q['Do you cycle?']}": "Yes"})
    assert error.status_code == 200
    assert "Select how much you agree" in error.get_data(as_text=True)
    moved = client.post(
        start.headers["Location"],
        data={f"q{q['Do you cycle?']}": "Yes", f"q{q['Cycle lanes feel safe']}": "4"},
    )
    assert moved.headers["Location"].endswith(f"/sections/{sections[1]}")
    client.post(
        moved.headers["Location"], data={f"q{q['What would make streets safer?']}": HOSTILE_TEXT}
    )
    check = client.get(f"/surveys/{survey_id}/check").get_data(as_text=True)
    assert "Check your answers" in check and "Agree" in check
    assert "<script>alert(1)</script>" not in check
    done = client.post(f"/surveys/{survey_id}/submit", data={"hear_back": "y"})
    assert done.headers["Location"].endswith("/confirmation")
    confirmation = client.get(f"/surveys/{survey_id}/confirmation").get_data(as_text=True)
    with app.app_context():
        response = db.session.scalar(select(Response))
        assert response.status == ResponseStatus.SUBMITTED and response.hear_back
        assert response.reference in confirmation
        assert db.session.get(Survey, survey_id).locked_at is not None
        (text,) = db.session.scalars(select(Contribution)).all()
        assert text.kind == "survey_answer" and text.body == HOSTILE_TEXT.strip()
        assert text.status == ContributionStatus.PUBLISHED  # adult, default policy
        (receipt,) = outbox(template="survey_receipt")
        assert receipt.to_address == users["resident"].email
        assert (
            "Cycle lanes feel safe" in receipt.text_body and response.reference in receipt.text_body
        )


def test_a_hidden_questions_stale_answer_is_dropped(app, role_client, survey_id):
    client = role_client("resident")
    sections, q = _ids(app, survey_id)
    client.post(f"/surveys/{survey_id}/begin")
    url = f"/surveys/{survey_id}/sections/{sections[0]}"
    client.post(url, data={f"q{q['Do you cycle?']}": "Yes", f"q{q['Cycle lanes feel safe']}": "5"})
    client.post(url, data={f"q{q['Do you cycle?']}": "No", f"q{q['Cycle lanes feel safe']}": "5"})
    with app.app_context():
        stored = {a.question_id: a.value for a in db.session.scalars(select(Answer))}
    assert stored == {q["Do you cycle?"]: {"choice": "No"}}


def test_youth_free_text_is_held_for_moderation(app, role_client, survey_id):
    client = role_client("youth")
    sections, q = _ids(app, survey_id)
    client.post(f"/surveys/{survey_id}/begin")
    client.post(
        f"/surveys/{survey_id}/sections/{sections[0]}", data={f"q{q['Do you cycle?']}": "No"}
    )
    client.post(
        f"/surveys/{survey_id}/sections/{sections[1]}",
        data={f"q{q['What would make streets safer?']}": "More youth clubs"},
    )
    client.post(f"/surveys/{survey_id}/submit")
    with app.app_context():
        text = db.session.scalar(select(Contribution))
        assert text.by_youth and text.status == ContributionStatus.PENDING


def test_submitting_with_a_required_answer_missing_is_refused(app, role_client, survey_id):
    client = role_client("resident")
    client.post(f"/surveys/{survey_id}/begin")
    response = client.post(f"/surveys/{survey_id}/submit")
    assert response.status_code == 400
    assert "Answer every question marked as required" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Response)).status == ResponseStatus.IN_PROGRESS


def test_one_response_per_person(app, role_client, survey_id):
    client = role_client("resident")
    for _ in range(3):
        client.post(f"/surveys/{survey_id}/begin")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == 1


def test_visitors_need_an_account_unless_anonymous_answers_are_allowed(app, client):
    with app.app_context():
        closed_door = make_survey(sections=TRAVEL).id
        open_door = make_survey(make_consultation(allow_anonymous=True), sections=TRAVEL).id
    assert "/sign-in?next=" in client.post(f"/surveys/{closed_door}/begin").headers["Location"]
    assert "Sign in" in client.get(f"/surveys/{closed_door}").get_data(as_text=True)
    assert client.post(f"/surveys/{open_door}/begin").status_code == 302
    with app.app_context():
        response = db.session.scalar(select(Response))
        assert response.user_id is None and len(response.browser_token) == 64


def test_about_you_keeps_special_category_answers_only_with_consent(app, role_client, framework):
    with app.app_context():
        survey = make_survey(sections=TRAVEL[1:], about_you=["age_band", "ethnicity"])
        survey_id = survey.id
    client = role_client("resident")
    client.post(f"/surveys/{survey_id}/begin")
    page = client.post(
        f"/surveys/{survey_id}/about-you", data={"age_band": "25_34", "ethnicity": "white"}
    )
    # Without the tick the page asks for it and keeps nothing yet (the special answer is
    # never stored without consent, nor dropped in silence: see tests/trust/test_consents.py).
    assert page.status_code == 200
    assert "tick this box" in page.get_data(as_text=True)
    with app.app_context():
        assert {a.key for a in db.session.scalars(select(AboutYouAnswer))} == set()
    client.post(
        f"/surveys/{survey_id}/about-you",
        data={"age_band": "25_34", "ethnicity": "white", "special_consent": "y"},
    )
    with app.app_context():
        assert {a.key for a in db.session.scalars(select(AboutYouAnswer))} == {
            "age_band",
            "ethnicity",
        }
