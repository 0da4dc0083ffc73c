"""Helpers for the survey builder's tests.

Each helper reads or writes the database in an app context of its own: a context
left open during a request would be shared with it (its session and signed-in user).
"""

from __future__ import annotations

from sqlalchemy import select

from community.accounts.models import User
from community.extensions import db
from community.surveys.answering import service
from community.surveys.models import Channel, Question, Section, Survey

BASE = "/manage/surveys"

#: Every question type, the settings an officer types in, and what should be stored.
SETTINGS = {
    "single_choice": (
        {"choices": "Yes\nNo\nNot sure", "allow_other": "yes"},
        {"choices": ["Yes", "No", "Not sure"], "allow_other": True},
    ),
    "multiple_choice": (
        {"choices": "Bus\r\nBike\r\n\r\n Walk ", "min_choices": "1", "max_choices": "2"},
        {
            "choices": ["Bus", "Bike", "Walk"],
            "allow_other": False,
            "min_choices": 1,
            "max_choices": 2,
        },
    ),
    "dropdown": (
        {"choices": "Morning\nAfternoon\nEvening", "allow_other": "no"},
        {"choices": ["Morning", "Afternoon", "Evening"], "allow_other": False},
    ),
    "likert": ({}, {}),
    "scale": (
        {"low_label": "Not at all safe", "high_label": "Completely safe"},
        {"low_label": "Not at all safe", "high_label": "Completely safe"},
    ),
    "matrix": (
        {"statements": "Streets are well lit\nBuses feel safe"},
        {"statements": ["Streets are well lit", "Buses feel safe"]},
    ),
    "ranking": (
        {"choices": "Lighting\nPolicing\nYouth clubs"},
        {"choices": ["Lighting", "Policing", "Youth clubs"]},
    ),
    "number": ({"min": "0", "max": "2.5"}, {"min": 0, "max": 2.5}),
    "date": ({}, {}),
    "short_text": ({"max_length": "80"}, {"max_length": 80}),
    "long_text": ({"max_length": "3000"}, {"max_length": 3000}),
    "ward": ({}, {}),
    "info": ({}, {}),
}

#: The fields each type puts on the resident's page ({q} is the question's field name).
FIELD_NAMES = {
    "single_choice": ["{q}", "{q}_other"],
    "multiple_choice": ["{q}"],
    "dropdown": ["{q}"],
    "likert": ["{q}"],
    "scale": ["{q}"],
    "matrix": ["{q}_0", "{q}_1"],
    "ranking": ["{q}_0", "{q}_1", "{q}_2"],
    "number": ["{q}"],
    "date": ["{q}"],
    "short_text": ["{q}"],
    "long_text": ["{q}"],
    "ward": ["{q}"],
    "info": [],
}

IF_YES = {"question": "Do you cycle?", "op": "equals", "values": ["Yes"]}
CYCLING = [
    (
        "A",
        [
            dict(kind="single_choice", text="Do you cycle?", options={"choices": ["Yes", "No"]}),
            dict(kind="short_text", text="Where?", condition=IF_YES),
            dict(kind="number", text="How far?"),
        ],
    ),
    ("B", [dict(kind="long_text", text="Anything else?")]),
]


def location(response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return response.headers["Location"]


def flashed(client, response) -> str:
    """The page a refused change sends you back to (with its message)."""
    return client.get(location(response)).get_data(as_text=True)


def read(app, fn):
    with app.app_context():
        return fn()


def made(app, factory) -> int:
    """Run a factory and return the id of what it made."""
    return read(app, lambda: factory().id)


def last_id(app, model) -> int:
    return read(app, lambda: db.session.scalar(select(model.id).order_by(model.id.desc())))


def row(app, model, row_id: int, *attrs):
    def get():
        item = db.session.get(model, row_id)
        return None if item is None else tuple(getattr(item, a) for a in attrs)

    return read(app, get)


def structure(app, survey_id: int) -> list:
    """Sections in order: (title, condition, [(kind, text, required, options, condition)])."""

    def get():
        survey = db.session.get(Survey, survey_id)
        return [
            (
                s.title,
                s.condition,
                [(q.kind, q.text, q.required, q.options, q.condition) for q in s.questions],
            )
            for s in survey.sections
        ]

    return read(app, get)


def texts(app, survey_id: int) -> list[list[str]]:
    return [[q[1] for q in section[2]] for section in structure(app, survey_id)]


def ids(app, survey_id: int) -> tuple[list[int], dict[str, int]]:
    def get():
        survey = db.session.get(Survey, survey_id)
        return [s.id for s in survey.sections], {q.text: q.id for q in survey.questions}

    return read(app, get)


def positions(app, survey_id: int) -> list:
    def get():
        survey = db.session.get(Survey, survey_id)
        return [(s.position, [q.position for q in s.questions]) for s in survey.sections]

    return read(app, get)


def add_section(app, client, survey_id: int, title: str) -> int:
    location(client.post(f"{BASE}/{survey_id}/sections/new", data={"title": title}))
    return last_id(app, Section)


def add_question(app, client, survey_id, section_id, kind: str, text: str, **data) -> int:
    """Choose the type, then fill in its form, as an officer does."""
    chosen = client.post(
        f"{BASE}/{survey_id}/sections/{section_id}/questions/new", data={"kind": kind}
    )
    url = location(chosen)
    assert url.endswith(f"/questions/new/{kind}")
    location(client.post(url, data={"text": text, "help_text": "", "required": "no", **data}))
    return last_id(app, Question)


def lock(app, survey_id: int, officer_id: int) -> None:
    """Submit a response, as the first resident (or paper form) would."""
    with app.test_request_context():
        survey = db.session.get(Survey, survey_id)
        officer = db.session.get(User, officer_id)
        response = service.start_paper_response(survey, officer, Channel.PAPER)
        service.submit(response)
        db.session.commit()
