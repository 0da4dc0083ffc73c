"""A popular consultation's pages stay kept while people answer it.

A submission moves its survey's results version (surveys/changes.py). That version
was a column of ``surveys``, so every response changed the table the survey's start
page and its consultation's page are read from, and both were drawn again for every
visitor after every response. It has a table of its own now."""

from __future__ import annotations

from community.extensions import db
from community.models_base import utcnow
from community.surveys import changes
from community.surveys.models import Response, ResponseStatus
from tests.conftest import count_queries, sign_in_client
from tests.support.factories import make_consultation, make_survey, make_user

SECTIONS = [
    ("Views", [dict(kind="single_choice", text="Safe?", options={"choices": ["Yes", "No"]})])
]


def test_start_and_consultation_pages_stay_kept_as_responses_arrive(app, client):
    with app.app_context():
        consultation = make_consultation()
        survey = make_survey(consultation, SECTIONS)
        survey_id, section_id = survey.id, survey.sections[0].id
        question_id, slug = survey.questions[0].id, consultation.slug
        first, second = (sign_in_client(app, make_user()) for _ in range(2))

    def answer(resident) -> None:
        for step, data in (
            ("begin", {}),
            (f"sections/{section_id}", {f"q{question_id}": "Yes"}),
            ("submit", {}),
        ):
            assert resident.post(f"/surveys/{survey_id}/{step}", data=data).status_code == 302

    answer(first)  # the first response locks the survey's questions: a change of the survey
    pages = (f"/surveys/{survey_id}", f"/consultations/{slug}")
    for page in pages:
        assert client.get(page).status_code == 200
    answer(second)
    with app.app_context():
        assert changes.versions([survey_id])[survey_id][1] == 2  # the results moved

    kept = app.extensions["community_pages"].hits
    for page in pages:
        with count_queries(app) as statements:
            assert client.get(page).status_code == 200
        assert statements == [], page  # sent as kept: nothing it shows has changed
    assert app.extensions["community_pages"].hits == kept + 2


def test_each_change_to_the_responses_moves_the_version_once(app):
    """Made by the first change, moved by one per change after it; other surveys untouched."""
    with app.app_context():
        survey = make_survey(make_consultation(), SECTIONS)
        other = make_survey(make_consultation(), SECTIONS)
        assert changes.versions([survey.id, other.id]) == {
            survey.id: (str(survey.created_at), 0),
            other.id: (str(other.created_at), 0),
        }
        response = Response(
            survey_id=survey.id, status=ResponseStatus.SUBMITTED, submitted_at=utcnow()
        )
        db.session.add(response)
        db.session.commit()  # the ORM's flush: the version row made at 1
        assert changes.versions([survey.id])[survey.id][1] == 1
        changes.responses_changed([response.id])  # a bulk statement's report: moved to 2
        db.session.commit()
        assert changes.versions([survey.id])[survey.id][1] == 2
        assert changes.versions([other.id])[other.id][1] == 0
