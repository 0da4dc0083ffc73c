"""What officers and moderators tripped over: a preselected condition operator, answers
dropped from a condition, "0 means 0", ideas without their titles, and no way to close."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from community.consultations import service as consultations
from community.consultations.models import Consultation, Phase
from community.extensions import db
from community.models_base import utcnow
from community.surveys.models import Question, Survey
from tests.support.factories import make_consultation, make_survey

SECTIONS = [
    (
        "About you",
        [
            dict(
                kind="single_choice",
                text="Do you cycle?",
                options={"choices": ["Yes", "No", "Sometimes"]},
            ),
            dict(kind="scale", text="How safe do you feel?"),
        ],
    ),
    ("Cycling", [dict(kind="long_text", text="What would help you cycle?")]),
]


def _survey(app):
    with app.app_context():
        survey = make_survey(sections=SECTIONS)
        ids = {q.text: q.id for q in survey.questions}
        return survey.id, [s.id for s in db.session.get(Survey, survey.id).sections], ids


def test_the_condition_form_preselects_nothing_and_keeps_every_answer(app, role_client):
    survey_id, sections, q = _survey(app)
    officer = role_client("officer")
    url = f"/manage/surveys/{survey_id}/sections/{sections[1]}/condition?on={q['Do you cycle?']}"
    step_two = officer.get(url).get_data(as_text=True)
    assert not re.search(r'name="op"[^>]*checked|checked[^>]*name="op"', step_two)
    # Two answers with "is" cannot both match one answer: refused, with a message.
    both = {"on": q["Do you cycle?"], "op": "equals", "values": ["Yes", "Sometimes"]}
    refused = officer.post(url, data=both)
    assert refused.status_code in (200, 400)
    assert "takes one answer" in refused.get_data(as_text=True)
    # With "is any of" both are kept.
    kept = officer.post(url, data={**both, "op": "any"})
    assert kept.status_code == 302
    with app.app_context():
        section = db.session.get(Survey, survey_id).sections[1]
        assert section.condition["values"] == ["Yes", "Sometimes"]
    # Sent without choosing how to match: asked to choose, nothing saved.
    unchosen = officer.post(url, data={"on": q["Do you cycle?"], "values": ["No"]})
    assert "Choose how the answer should match" in unchosen.get_data(as_text=True)


def test_a_0_to_10_question_without_labels_reads_sensibly(app, role_client):
    survey_id, sections, q = _survey(app)
    client = role_client("resident")
    client.post(f"/surveys/{survey_id}/begin")
    page = client.get(f"/surveys/{survey_id}/sections/{sections[0]}").get_data(as_text=True)
    assert "0 means 0" not in page and "10 means 10" not in page
    assert "from 0 (the lowest) to 10 (the highest)" in page
    with app.app_context():
        question = db.session.get(Question, q["How safe do you feel?"])
        question.options = {"low_label": "not at all safe"}
        db.session.commit()
    page = client.get(f"/surveys/{survey_id}/sections/{sections[0]}").get_data(as_text=True)
    assert "0 means not at all safe." in page and "10 means" not in page


def test_moderators_and_taggers_see_an_ideas_title(app, framework, role_client, users):
    from community.ideas.models import IdeaBoard
    from community.ideas.service import post_idea

    with app.app_context():
        consultation = make_consultation(phase="open")
        board = IdeaBoard(title="Ideas", consultation_id=consultation.id)
        db.session.add(board)
        db.session.flush()
        idea = post_idea(
            board, users["youth"], title="A skate park at Canbury", description="Somewhere to go."
        )
        db.session.commit()
        idea_id, consultation_id = idea.id, consultation.id
    moderator = role_client("moderator")
    assert "A skate park at Canbury" in moderator.get("/moderation/").get_data(as_text=True)
    assert "A skate park at Canbury" in moderator.get(f"/moderation/{idea_id}").get_data(
        as_text=True
    )
    officer = role_client("officer")
    listed = officer.get(f"/tagging/{consultation_id}/contributions?status=pending")
    assert "A skate park at Canbury" in listed.get_data(as_text=True)
    one = officer.get(f"/tagging/{consultation_id}/contributions/{idea_id}")
    assert "A skate park at Canbury" in one.get_data(as_text=True)


def test_an_officer_closes_a_consultation_now(app, role_client):
    with app.app_context():
        consultation_id = make_consultation(phase="open").id
    officer = role_client("officer")
    manage = officer.get(f"/manage/consultations/{consultation_id}").get_data(as_text=True)
    assert f"/manage/consultations/{consultation_id}/close" in manage
    confirm = officer.get(f"/manage/consultations/{consultation_id}/close")
    assert "Close it now" in confirm.get_data(as_text=True)
    closed = officer.post(f"/manage/consultations/{consultation_id}/close", follow_redirects=True)
    assert "Consultation closed." in closed.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Consultation, consultation_id).phase == Phase.CLOSED
    again = officer.post(f"/manage/consultations/{consultation_id}/close", follow_redirects=True)
    assert "Only an open consultation can be closed" in again.get_data(as_text=True)


def test_moving_the_closing_date_into_the_past_warns_first(app, role_client):
    with app.app_context():
        consultation_id = make_consultation(phase="open").id
    officer = role_client("officer")
    with app.app_context():
        today = utcnow().astimezone(consultations.local_zone()).date()
    opened, yesterday = today - timedelta(days=5), today - timedelta(days=1)
    data = {
        "title": "Streets",
        "summary": "About streets",
        "opens_on": [str(opened.day), str(opened.month), str(opened.year)],
        "closes_on": [str(yesterday.day), str(yesterday.month), str(yesterday.year)],
        "moderation_policy": "post",
        "audience": "everyone",
        "allow_anonymous": "no",
        "results_public": "yes",
    }
    warned = officer.post(f"/manage/consultations/{consultation_id}/edit", data=data)
    page = warned.get_data(as_text=True)
    assert warned.status_code == 200 and "saving will close this consultation now" in page
    with app.app_context():
        assert db.session.get(Consultation, consultation_id).phase == Phase.OPEN
    confirmed = officer.post(
        f"/manage/consultations/{consultation_id}/edit", data={**data, "confirm_close": "yes"}
    )
    assert confirmed.status_code == 302
    with app.app_context():
        assert db.session.get(Consultation, consultation_id).phase == Phase.CLOSED
        assert db.session.scalar(select(Consultation.id)) == consultation_id
