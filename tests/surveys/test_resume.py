""" "Carry on" takes a person back to where they stopped, not to the first section."""

from __future__ import annotations

from community.extensions import db
from community.surveys.models import Survey
from tests.support.factories import make_survey

SECTIONS = [
    (
        "First",
        [dict(kind="single_choice", text="Do you cycle?", options={"choices": ["Yes", "No"]})],
    ),
    ("Second", [dict(kind="long_text", text="What would help?")]),
    ("Third", [dict(kind="long_text", text="Anything else?")]),
]


def test_carry_on_resumes_after_the_last_section_answered(app, role_client, users):
    with app.app_context():
        survey = make_survey(sections=SECTIONS)
        survey_id = survey.id
        sections = [s.id for s in db.session.get(Survey, survey_id).sections]
        q = {qq.text: qq.id for qq in survey.questions}
    client = role_client("resident")
    first = client.post(f"/surveys/{survey_id}/begin")
    assert first.headers["Location"].endswith(f"/sections/{sections[0]}")
    client.post(first.headers["Location"], data={f"q{q['Do you cycle?']}": "Yes"})
    second = f"/surveys/{survey_id}/sections/{sections[1]}"
    client.post(second, data={f"q{q['What would help?']}": "Lights on the riverside"})
    # They leave, come back later and press "Carry on" on the start page.
    start = client.get(f"/surveys/{survey_id}").get_data(as_text=True)
    assert "Carry on" in start
    again = client.post(f"/surveys/{survey_id}/begin")
    assert again.headers["Location"].endswith(f"/sections/{sections[2]}")
