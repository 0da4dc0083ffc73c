"""Special-category "about you" answers are used only in totals: never in a per-response export."""

from __future__ import annotations

from community.extensions import db
from community.models_base import utcnow
from community.surveys.models import AboutYouAnswer, Answer, Response, ResponseStatus
from tests.support.factories import make_consultation, make_survey


def test_ethnicity_and_disability_never_leave_as_rows(app, role_client, framework):
    with app.app_context():
        survey = make_survey(
            make_consultation(phase="closed"),
            [("P", [{"kind": "likert", "text": "Streets feel safe"}])],
            about_you=["age_band", "ethnicity", "disability"],
        )
        response = Response(
            survey_id=survey.id,
            browser_token="t" * 64,
            status=ResponseStatus.SUBMITTED,
            submitted_at=utcnow(),
        )
        db.session.add(response)
        response.answers.append(Answer(question_id=survey.questions[0].id, value=4))
        db.session.flush()
        for key, value in (("age_band", "25_34"), ("ethnicity", "white"), ("disability", "yes")):
            db.session.add(AboutYouAnswer(response_id=response.id, key=key, value=value))
        db.session.commit()
        survey_id = survey.id
    body = (
        role_client("admin").get(f"/surveys/{survey_id}/results/export.csv").get_data(as_text=True)
    )
    assert "How old are you?" in body and "25 to 34" in body
    assert "ethnic" not in body.lower() and "disability" not in body.lower()
