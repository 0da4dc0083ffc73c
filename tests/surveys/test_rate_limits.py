"""Rate limits fit real places: a class of thirty on one school address can all answer.

Signed-in people are limited per account; anonymous answers are still limited per
address, and so are sign-in and registration (tests/accounts/test_sign_in.py).
"""

from __future__ import annotations

from sqlalchemy import func, select

from community.extensions import db
from community.surveys.models import Response, ResponseStatus
from tests.conftest import sign_in_client
from tests.support.factories import make_consultation, make_survey, make_user

SECTIONS = [
    ("Views", [dict(kind="single_choice", text="Safe?", options={"choices": ["Yes", "No"]})])
]


def _answer(client, survey_id, section_id, question_id):
    """begin → section → check → submit: the POSTs a person makes; returns the statuses."""
    statuses = [client.post(f"/surveys/{survey_id}/begin").status_code]
    statuses.append(
        client.post(
            f"/surveys/{survey_id}/sections/{section_id}", data={f"q{question_id}": "Yes"}
        ).status_code
    )
    statuses.append(client.post(f"/surveys/{survey_id}/submit", data={}).status_code)
    return statuses


def test_thirty_accounts_on_one_address_each_complete_a_survey(app):
    app.config["RATELIMIT_SURVEY"] = "30 per minute;300 per hour"  # the default
    with app.app_context():
        survey = make_survey(make_consultation(), SECTIONS)
        survey_id, section_id = survey.id, survey.sections[0].id
        question_id = survey.questions[0].id
        # Every test client comes from the same address (127.0.0.1).
        clients = [sign_in_client(app, make_user()) for _ in range(30)]
    for client in clients:
        assert _answer(client, survey_id, section_id, question_id) == [302, 302, 302]
    with app.app_context():
        sent = db.session.scalar(
            select(func.count(Response.id)).where(
                Response.survey_id == survey_id, Response.status == ResponseStatus.SUBMITTED
            )
        )
    assert sent == 30


def test_one_account_is_still_limited_without_stopping_its_neighbours(app):
    app.config["RATELIMIT_SURVEY"] = "3 per minute"
    with app.app_context():
        survey = make_survey(make_consultation(), SECTIONS)
        survey_id = survey.id
        client, other = sign_in_client(app, make_user()), sign_in_client(app, make_user())
    statuses = [client.post(f"/surveys/{survey_id}/begin").status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]
    assert other.post(f"/surveys/{survey_id}/begin").status_code == 302


def test_anonymous_answers_are_limited_per_address(app):
    app.config["RATELIMIT_SURVEY"] = "3 per minute"
    with app.app_context():
        survey = make_survey(make_consultation(allow_anonymous=True), SECTIONS)
        survey_id = survey.id
    statuses = [app.test_client().post(f"/surveys/{survey_id}/begin").status_code for _ in range(4)]
    # Four browsers, one address: the fourth waits.
    assert statuses == [302, 302, 302, 429]
