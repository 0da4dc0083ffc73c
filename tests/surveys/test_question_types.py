"""Every question type round-trips: form → stored value → shown again → displayed."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from community.extensions import db
from community.surveys.conditions import is_met
from community.surveys.models import Answer, Survey
from community.surveys.qtypes import OTHER, REGISTRY
from tests.support.factories import make_survey

# kind, options, what the form posts (by field suffix), the stored value, the displayed text
CASES = [
    (
        "single_choice",
        {"choices": ["Bus", "Bike"], "allow_other": True},
        {"": OTHER, "_other": "Skateboard 🛹"},
        {"choice": OTHER, "other": "Skateboard 🛹"},
        "Other: Skateboard 🛹",
    ),
    (
        "multiple_choice",
        {"choices": ["Parks", "Shops", "Stations"], "max_choices": 2},
        {"": ["Parks", "Stations"]},
        {"choices": ["Parks", "Stations"]},
        "Parks; Stations",
    ),
    ("dropdown", {"choices": ["Day", "Night"]}, {"": "Night"}, {"choice": "Night"}, "Night"),
    ("likert", {}, {"": "2"}, 2, "Disagree"),
    ("scale", {"low_label": "unsafe", "high_label": "safe"}, {"": "0"}, 0, "0"),
    (
        "matrix",
        {"statements": ["Lighting is good", "Police are visible"]},
        {"_0": "5", "_1": "1"},
        {"0": 5, "1": 1},
        "Lighting is good: Strongly agree; Police are visible: Strongly disagree",
    ),
    (
        "ranking",
        {"choices": ["Lighting", "Patrols", "Youth clubs"]},
        {"_0": "2", "_1": "3", "_2": "1"},
        ["Youth clubs", "Lighting", "Patrols"],
        "1. Youth clubs; 2. Lighting; 3. Patrols",
    ),
    ("number", {"min": 0, "max": 120}, {"": "42"}, 42, "42"),
    ("date", {}, {"": ["3", "11", "2025"]}, "2025-11-03", "3 November 2025"),
    (
        "short_text",
        {"max_length": 50},
        {"": "  O'Brien's café  "},
        "O'Brien's café",
        "O'Brien's café",
    ),
    (
        "long_text",
        {},
        {"": "Line one\nمرحبا <b>bold</b>"},
        "Line one\nمرحبا <b>bold</b>",
        "Line one\nمرحبا <b>bold</b>",
    ),
    ("ward", {}, {"": "norbiton"}, "norbiton", "Norbiton"),
]


def test_every_registered_type_is_covered():
    assert {case[0] for case in CASES} | {"info"} == set(REGISTRY)


@pytest.mark.parametrize("kind, options, posted, stored, shown", CASES, ids=[c[0] for c in CASES])
def test_round_trip(app, role_client, framework, kind, options, posted, stored, shown):
    with app.app_context():
        survey = make_survey(
            sections=[
                (
                    "Page",
                    [
                        {"kind": "info", "text": "Read this first"},
                        {"kind": kind, "text": "The question", "options": options},
                    ],
                )
            ]
        )
        survey_id, section_id = survey.id, survey.sections[0].id
        question_id = survey.questions[1].id
    client = role_client("resident")
    client.post(f"/surveys/{survey_id}/begin")
    data = {f"q{question_id}{suffix}": value for suffix, value in posted.items()}
    url = f"/surveys/{survey_id}/sections/{section_id}"
    response = client.post(url, data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    with app.test_request_context():
        answer = db.session.scalar(select(Answer))
        assert answer.value == stored
        question = db.session.get(Survey, survey_id).questions[1]
        assert question.type.display(question, answer.value) == shown
        assert question.type.columns(question)  # every answer type exports
    page = client.get(url).get_data(as_text=True)
    assert "Read this first" in page
    check = client.get(f"/surveys/{survey_id}/check").get_data(as_text=True)
    assert "The question" in check


@pytest.mark.parametrize(
    "kind, options, posted, message",
    [
        (
            "multiple_choice",
            {"choices": ["A", "B", "C"], "max_choices": 1},
            {"": ["A", "B"]},
            "Select no more than 1 answer",  # ngettext: one answer, not "1 answers"
        ),
        (
            "single_choice",
            {"choices": ["A"], "allow_other": True},
            {"": OTHER},
            "Say what your other answer is",
        ),
        ("single_choice", {"choices": ["A"]}, {"": "Z"}, "Select an answer from the list"),
        (
            "ranking",
            {"choices": ["A", "B"]},
            {"_0": "1", "_1": "1"},
            "Give each option a different position",
        ),
        ("number", {"min": 0, "max": 10}, {"": "11"}, "Enter a number between 0 and 10"),
        ("short_text", {"max_length": 5}, {"": "too long"}, "must be 5 characters or fewer"),
        ("date", {}, {"": ["31", "2", "2025"]}, "Not a valid date"),
    ],
)
def test_bad_answers_are_explained_and_not_stored(
    app, role_client, framework, kind, options, posted, message
):
    with app.app_context():
        survey = make_survey(sections=[("Page", [{"kind": kind, "text": "Q", "options": options}])])
        survey_id, section_id, qid = survey.id, survey.sections[0].id, survey.questions[0].id
    client = role_client("resident")
    client.post(f"/surveys/{survey_id}/begin")
    data = {f"q{qid}{suffix}": value for suffix, value in posted.items()}
    page = client.post(f"/surveys/{survey_id}/sections/{section_id}", data=data)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "There is a problem" in text and message in text
    with app.app_context():
        assert db.session.scalar(select(Answer)) is None


@pytest.mark.parametrize(
    "op, values, answer, expected",
    [
        ("equals", ["Yes"], ["Yes"], True),
        ("equals", ["Yes"], ["No"], False),
        ("equals", ["A", "B"], ["A"], False),
        ("includes", ["A"], ["A", "B"], True),
        ("includes", ["A", "C"], ["A", "B"], False),
        ("any", ["A", "C"], ["C"], True),
        ("any", ["A", "C"], ["B"], False),
        ("any", ["A"], [], False),
    ],
)
def test_conditions(op, values, answer, expected):
    assert is_met({"question_id": 1, "op": op, "values": values}, {1: answer}) is expected
    assert is_met(None, {}) is True
