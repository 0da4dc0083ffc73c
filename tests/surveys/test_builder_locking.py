"""Once answered, a survey's structure is fixed (only wording changes); the preview cannot
be sent; officers type in paper and event responses through the residents' pages."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from community.extensions import db
from community.surveys.models import Channel, Question, Response, ResponseStatus, Survey
from tests.support.factories import make_consultation, make_survey
from tests.surveys.builder_support import (
    BASE,
    CYCLING,
    flashed,
    ids,
    last_id,
    location,
    lock,
    made,
    read,
    row,
    structure,
)

REFUSED = "duplicate the survey and edit the copy"


@pytest.fixture
def officer(role_client):
    return role_client("officer")


@pytest.fixture
def locked(app, users):
    """A survey someone has answered; returns its id."""
    survey_id = made(app, lambda: make_survey(sections=CYCLING, about_you=["age_band"]))
    lock(app, survey_id, users["officer"].id)
    return survey_id


def test_a_locked_survey_refuses_structural_changes(app, officer, locked):
    sections, q = ids(app, locked)
    before = structure(app, locked)
    cycle = f"{BASE}/{locked}/questions/{q['Do you cycle?']}"
    section = f"{BASE}/{locked}/sections/{sections[0]}"
    condition = {"on": q["Do you cycle?"], "op": "equals", "values": "Yes"}
    refusals = [
        (f"{BASE}/{locked}/sections/new", {"title": "More"}),
        (f"{section}/delete", {}),
        (f"{BASE}/{locked}/sections/{sections[1]}/move/up", {}),
        (f"{section}/duplicate", {}),
        (f"{BASE}/{locked}/sections/{sections[1]}/condition?on={q['Do you cycle?']}", condition),
        (f"{section}/questions/new", {"kind": "likert"}),
        (f"{section}/questions/new/likert", {"text": "New"}),
        (f"{cycle}/delete", {}),
        (f"{cycle}/move/down", {}),
        (f"{cycle}/duplicate", {}),
        (f"{cycle}/section", {"section": sections[1]}),
        (f"{cycle}/type", {"kind": "dropdown"}),
        (f"{cycle}/edit?kind=dropdown", {"text": "Do you cycle?", "choices": "Yes\nNo"}),
        (f"{BASE}/{locked}/questions/{q['Where?']}/condition", {"remove": "1"}),
    ]
    for url, data in refusals:
        assert REFUSED in flashed(officer, officer.post(url, data=data)), url
    for url in (f"{BASE}/{locked}/sections/new", f"{cycle}/type", f"{cycle}/condition"):
        assert REFUSED in flashed(officer, officer.get(url)), url
    # Settings, "required" and the "about you" questions: refused on the form itself.
    for url, data in [
        (f"{cycle}/edit", {"text": "Do you cycle?", "choices": "Yes\nNo\nSometimes"}),
        (f"{cycle}/edit", {"text": "Do you cycle?", "allow_other": "yes"}),
        (f"{cycle}/edit", {"text": "Do you cycle?", "required": "yes"}),
        (f"{BASE}/{locked}/edit", {"title": "New", "about_you": "gender", "about_you_shown": "1"}),
    ]:
        page = officer.post(url, data=data)
        body = page.get_data(as_text=True)
        assert page.status_code == 200 and "There is a problem" in body and REFUSED in body, data
    assert structure(app, locked) == before
    assert row(app, Survey, locked, "title", "about_you")[1] == ["age_band"]


def test_a_locked_survey_can_still_be_reworded_and_duplicated(app, officer, locked):
    sections, q = ids(app, locked)
    cycle = f"{BASE}/{locked}/questions/{q['Do you cycle?']}/edit"
    form = officer.get(cycle).get_data(as_text=True)
    assert "you can only reword the question" in form and 'name="choices"' not in form
    location(officer.post(cycle, data={"text": "Do you ride a bike?", "help_text": "Any bike"}))
    # A form opened before the first answer sends its unchanged settings: still fine.
    stale = {
        "text": "Do you cycle at all?",
        "choices": "Yes\nNo",
        "allow_other": "no",
        "required": "no",
    }
    location(officer.post(cycle, data=stale))
    assert row(app, Question, q["Do you cycle?"], "text", "help_text", "options") == (
        "Do you cycle at all?",
        "Any bike",
        {"choices": ["Yes", "No"]},
    )
    location(officer.post(f"{BASE}/{locked}/sections/{sections[0]}/edit", data={"title": "Travel"}))
    location(officer.post(f"{BASE}/{locked}/edit", data={"title": "Renamed", "intro": "Hello"}))
    assert row(app, Survey, locked, "title", "intro", "about_you") == (
        "Renamed",
        "Hello",
        ["age_band"],
    )
    assert structure(app, locked)[0][0] == "Travel"
    overview = officer.get(f"{BASE}/{locked}").get_data(as_text=True)
    assert "People have answered this survey" in overview
    assert "You can still reword questions" in overview and "duplicate the survey" in overview
    assert "Add a section" not in overview and "Move up" not in overview
    # A copy is a new version that can change.
    location(officer.post(f"{BASE}/{locked}/duplicate"))
    copy_id = last_id(app, Survey)
    location(officer.post(f"{BASE}/{copy_id}/sections/new", data={"title": "More"}))
    assert [s[0] for s in structure(app, copy_id)] == ["Travel", "B", "More"]


def test_the_preview_shows_each_section_and_cannot_be_sent(app, officer):
    survey_id = made(app, lambda: make_survey(sections=CYCLING))
    page = officer.get(f"{BASE}/{survey_id}/preview")
    main = page.get_data(as_text=True).split("<main", 1)[1].split("</main>", 1)[0]
    assert page.status_code == 200 and "Preview" in main
    assert "<form" not in main and 'type="submit"' not in main
    assert "Anything else?" in main and "section 2 of 2" in main
    assert "Shown only if “Do you cycle?” is Yes" in main
    assert officer.post(f"{BASE}/{survey_id}/preview").status_code == 405
    assert read(app, lambda: db.session.scalar(select(Response.id))) is None


@pytest.mark.parametrize("channel", [Channel.PAPER, Channel.EVENT])
def test_an_officer_types_in_a_paper_or_event_response(app, officer, users, channel):
    survey_id = made(app, lambda: make_survey(sections=CYCLING))
    sections, q = ids(app, survey_id)
    landing = location(officer.post(f"{BASE}/{survey_id}/responses/{channel.value}"))
    assert landing.endswith(f"/surveys/{survey_id}/sections/{sections[0]}")

    def the_response():
        response = db.session.scalar(select(Response))
        answers = {k: a.value for k, a in response.answers_by_question().items()}
        return response.channel, response.entered_by_id, response.user_id, response.status, answers

    assert read(app, the_response) == (
        channel,
        users["officer"].id,
        None,
        ResponseStatus.IN_PROGRESS,
        {},
    )
    page = officer.get(landing).get_data(as_text=True)
    assert "You are typing in a paper or event response" in page
    location(officer.post(landing, data={f"q{q['Do you cycle?']}": "No"}))
    location(officer.post(f"/surveys/{survey_id}/submit"))
    assert read(app, the_response) == (
        channel,
        users["officer"].id,
        None,
        ResponseStatus.SUBMITTED,
        {q["Do you cycle?"]: {"choice": "No"}},
    )
    assert row(app, Survey, survey_id, "locked_at")[0] is not None


def test_paper_responses_wait_for_a_published_consultation_and_a_section(app, officer):
    draft = made(app, lambda: make_survey(make_consultation(phase="draft"), sections=CYCLING))
    refused = officer.post(f"{BASE}/{draft}/responses/paper")
    assert "Publish the consultation first" in flashed(officer, refused)
    empty = made(app, lambda: make_survey(sections=[]))
    assert "Add a section" in flashed(officer, officer.post(f"{BASE}/{empty}/responses/event"))
    assert read(app, lambda: db.session.scalar(select(Response.id))) is None
