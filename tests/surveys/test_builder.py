"""The officers' survey builder through real HTTP: build a survey, every question type,
mistakes shown in the error summary, who may use it, and links from consultations."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from community.audit.models import AuditEvent
from community.extensions import db
from community.surveys.models import Question, Survey
from community.surveys.qtypes import REGISTRY
from tests.support.factories import HOSTILE_NAME, make_consultation, make_survey
from tests.surveys.builder_support import (
    BASE,
    CYCLING,
    FIELD_NAMES,
    SETTINGS,
    add_question,
    add_section,
    last_id,
    location,
    made,
    read,
    row,
    structure,
)


@pytest.fixture
def officer(role_client):
    return role_client("officer")


def test_an_officer_builds_a_two_section_survey_with_a_conditional_question(
    app, officer, role_client
):
    consultation_id = made(app, make_consultation)
    created = officer.post(
        f"{BASE}/new/{consultation_id}",
        data={
            "title": "Travelling safely",
            "intro": "Tell us how you get about.",
            "about_you": ["ethnicity", "age_band"],
            "about_you_shown": "1",
        },
    )
    survey_id = last_id(app, Survey)
    assert location(created).endswith(f"{BASE}/{survey_id}")
    first = add_section(app, officer, survey_id, "How you travel")
    second = add_section(app, officer, survey_id, "Your ideas")
    cycle = add_question(
        app, officer, survey_id, first, "single_choice", "Do you cycle?",
        choices="Yes\nNo", allow_other="no", required="yes",
    )  # fmt: skip
    lanes = add_question(app, officer, survey_id, first, "likert", "Cycle lanes feel safe")
    add_question(app, officer, survey_id, second, "long_text", "What would make streets safer?")

    # The condition: step one offers only earlier questions, step two their answers.
    url = f"{BASE}/{survey_id}/questions/{lanes}/condition"
    chooser = officer.get(url).get_data(as_text=True)
    assert f'value="{cycle}"' in chooser and f'value="{lanes}"' not in chooser
    step_two = officer.get(f"{url}?on={cycle}").get_data(as_text=True)
    assert 'value="Yes"' in step_two and 'value="No"' in step_two
    chosen = {"on": cycle, "op": "equals", "values": "Yes"}
    location(officer.post(f"{url}?on={cycle}", data=chosen))

    assert row(app, Survey, survey_id, "about_you", "intro", "consultation_id") == (
        ["age_band", "ethnicity"],  # in the questions' own order
        "Tell us how you get about.",
        consultation_id,
    )
    yes_no = {"choices": ["Yes", "No"], "allow_other": False}
    if_yes = {"question_id": cycle, "op": "equals", "values": ["Yes"]}
    assert structure(app, survey_id) == [
        (
            "How you travel",
            None,
            [
                ("single_choice", "Do you cycle?", True, yes_no, None),
                ("likert", "Cycle lanes feel safe", False, {}, if_yes),
            ],
        ),
        ("Your ideas", None, [("long_text", "What would make streets safer?", False, {}, None)]),
    ]
    overview = officer.get(f"{BASE}/{survey_id}").get_data(as_text=True)
    assert "Shown only if “Do you cycle?” is Yes" in overview
    assert overview.index("How you travel") < overview.index("Your ideas")
    assert "One answer from a list (radios)" in overview and "Required" in overview
    actions = read(
        app,
        lambda: set(
            db.session.scalars(
                select(AuditEvent.action).where(
                    AuditEvent.target_type == "survey", AuditEvent.target_id == survey_id
                )
            )
        ),
    )
    assert {
        "survey.created",
        "survey.section_added",
        "survey.question_added",
        "survey.condition_set",
    } <= actions

    # A resident meets the condition on the server, as it was built: "No" skips it.
    resident = role_client("resident")
    page = location(resident.post(f"/surveys/{survey_id}/begin"))
    assert page.endswith(f"/sections/{first}")
    assert location(resident.post(page, data={f"q{cycle}": "No"})).endswith(f"/sections/{second}")


def test_every_question_type_round_trips_and_previews(app, officer, framework):
    assert set(SETTINGS) == set(REGISTRY) == set(FIELD_NAMES)
    survey_id = made(app, lambda: make_survey(sections=[("Everything", [])]))
    section_id = read(app, lambda: db.session.get(Survey, survey_id).sections[0].id)
    question_ids = {}
    for kind, (entered, stored) in SETTINGS.items():
        text = f"{HOSTILE_NAME} {kind}"
        question_id = add_question(
            app, officer, survey_id, section_id, kind, text, help_text="Help", **entered
        )
        question_ids[kind] = question_id
        assert row(app, Question, question_id, "kind", "options") == (kind, stored)
        # The edit form shows what was entered; saving it unchanged changes nothing.
        edit = f"{BASE}/{survey_id}/questions/{question_id}/edit"
        page = officer.get(edit).get_data(as_text=True)
        assert "<script>alert(" not in page and "&lt;script&gt;alert(" in page
        for value in stored.get("choices", []) + stored.get("statements", []):
            assert value in page
        resent = {"text": text, "help_text": "Help", "required": "no", **entered}
        location(officer.post(edit, data=resent))
        assert row(app, Question, question_id, "options") == (stored,), kind
    preview = officer.get(f"{BASE}/{survey_id}/preview").get_data(as_text=True)
    for kind, names in FIELD_NAMES.items():
        for name in names:
            field = name.format(q=f"q{question_ids[kind]}")
            assert f'name="{field}"' in preview, (kind, field)
    assert "<script>alert(" not in preview and "&lt;script&gt;alert(" in preview


MISTAKES = [
    ("single_choice", {"choices": "Only one"}, "Enter at least 2, one per line"),
    (
        "multiple_choice",
        {"choices": "A\nB", "min_choices": "2", "max_choices": "1"},
        "The fewest must not be more than the most",
    ),
    ("multiple_choice", {"choices": "A\nB", "max_choices": "5"}, "There are only 2 options"),
    ("ranking", {"choices": "A\nA\nB"}, "“A” is there twice"),
    ("number", {"min": "10", "max": "1"}, "The lowest must not be more than the highest"),
    ("number", {"min": "NaN"}, "Enter a number between"),
    ("number", {"max": "1e400"}, "Enter a number between"),
    ("matrix", {"statements": "  \n"}, "Enter at least 1, one per line"),
    ("short_text", {"max_length": "lots"}, "Not a valid integer value"),
    ("long_text", {"max_length": "0"}, "Enter a whole number from 1 to 20000"),
    ("likert", {"text": ""}, "Enter the wording"),
]


@pytest.mark.parametrize(("kind", "data", "message"), MISTAKES)
def test_mistakes_are_shown_in_the_error_summary(app, officer, kind, data, message):
    survey_id = made(app, lambda: make_survey(sections=[("Only", [])]))
    section_id = read(app, lambda: db.session.get(Survey, survey_id).sections[0].id)
    url = f"{BASE}/{survey_id}/sections/{section_id}/questions/new/{kind}"
    page = officer.post(url, data={"text": "Q", **data})
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and "There is a problem" in body and message in body
    assert read(app, lambda: db.session.scalar(select(Question.id))) is None


def test_bad_ids_and_empty_forms_never_fail(app, officer):
    survey_id = made(app, lambda: make_survey(sections=[("Only", [])]))
    other = made(app, lambda: make_survey(sections=[("Elsewhere", [])]))
    section_id = read(app, lambda: db.session.get(Survey, survey_id).sections[0].id)
    other_section = read(app, lambda: db.session.get(Survey, other).sections[0].id)
    new = f"{BASE}/{survey_id}/sections/{section_id}/questions/new"
    assert "Choose a type of question" in officer.post(new, data={}).get_data(as_text=True)
    assert "Enter a title" in officer.post(f"{BASE}/{survey_id}/edit", data={"title": ""}).text
    assert officer.get(f"{new}/no_such_type").status_code == 404
    assert officer.get(f"{BASE}/{survey_id}/sections/{other_section}/edit").status_code == 404
    assert officer.get(f"{BASE}/{survey_id}/sections/{section_id}/move/up").status_code == 405
    assert officer.get(f"{BASE}/999999").status_code == 404
    assert officer.get(f"{BASE}/new/999999").status_code == 404
    assert officer.post(f"{BASE}/{survey_id}/questions/999999/duplicate").status_code == 404
    condition = f"{BASE}/{survey_id}/sections/{section_id}/condition"
    assert officer.get(f"{condition}?on=nonsense").status_code == 200
    assert officer.post(condition, data={}).status_code == 200


@pytest.mark.parametrize("role", ["resident", "youth", "moderator", "partner"])
def test_only_consultation_managers_build_surveys(app, role_client, role):
    survey_id = made(app, lambda: make_survey(sections=CYCLING))
    client = role_client(role)
    assert client.get(f"{BASE}/{survey_id}").status_code == 403
    assert client.post(f"{BASE}/{survey_id}/sections/new", data={"title": "X"}).status_code == 403
    assert client.post(f"{BASE}/{survey_id}/responses/paper").status_code == 403
    assert client.post(f"{BASE}/{survey_id}/duplicate").status_code == 403
    assert "/sign-in" in role_client("visitor").get(f"{BASE}/{survey_id}").headers["Location"]
    assert len(structure(app, survey_id)) == 2
    assert read(app, lambda: len(db.session.scalars(select(Survey)).all())) == 1


def test_consultation_pages_link_to_the_builder(app, role_client):
    def setup():
        consultation = make_consultation()
        survey = make_survey(consultation, sections=CYCLING)
        return consultation.id, consultation.slug, survey.id

    consultation_id, slug, survey_id = read(app, setup)
    officer = role_client("officer")
    manage = officer.get(f"/manage/consultations/{consultation_id}").get_data(as_text=True)
    assert "Add a survey" in manage and f'href="{BASE}/new/{consultation_id}"' in manage
    assert f'href="{BASE}/{survey_id}"' in manage and "Edit survey" in manage
    public = f"/consultations/{slug}"
    assert f'href="{BASE}/{survey_id}"' in officer.get(public).get_data(as_text=True)
    resident_page = role_client("resident").get(public).get_data(as_text=True)
    assert f'href="{BASE}/{survey_id}"' not in resident_page
