"""Changing a survey's structure in the builder: reorder, move, conditions, duplicate, delete,
retype. A change after which a condition would test a later answer is refused."""

from __future__ import annotations

import pytest

from community.extensions import db
from community.surveys.models import Question, Section, Survey
from tests.support.factories import make_survey
from tests.surveys.builder_support import (
    BASE,
    CYCLING,
    IF_YES,
    flashed,
    ids,
    last_id,
    location,
    made,
    positions,
    read,
    row,
    structure,
    texts,
)


@pytest.fixture
def officer(role_client):
    return role_client("officer")


@pytest.fixture
def survey_id(app):
    return made(app, lambda: make_survey(sections=CYCLING, about_you=["age_band"]))


def test_reorder_and_move_keep_conditions_working(app, officer, survey_id):
    sections, q = ids(app, survey_id)
    location(officer.post(f"{BASE}/{survey_id}/questions/{q['How far?']}/move/up"))
    assert texts(app, survey_id) == [["Do you cycle?", "How far?", "Where?"], ["Anything else?"]]
    where = f"{BASE}/{survey_id}/questions/{q['Where?']}"
    location(officer.post(f"{where}/move/up"))
    assert texts(app, survey_id)[0] == ["Do you cycle?", "Where?", "How far?"]
    # "Where?" depends on "Do you cycle?", so it cannot go above it.
    assert "would stop working" in flashed(officer, officer.post(f"{where}/move/up"))
    assert texts(app, survey_id)[0] == ["Do you cycle?", "Where?", "How far?"]
    first = f"{BASE}/{survey_id}/questions/{q['Do you cycle?']}/move/up"
    assert "cannot move further" in flashed(officer, officer.post(first))
    # To a later section: it goes to the start, so its place in the order barely changes.
    location(officer.post(f"{where}/section", data={"section": sections[1]}))
    assert texts(app, survey_id) == [["Do you cycle?", "How far?"], ["Where?", "Anything else?"]]
    # Section B holds "Where?", so it cannot go above the question that shows it...
    up_b = f"{BASE}/{survey_id}/sections/{sections[1]}/move/up"
    assert "would stop working" in flashed(officer, officer.post(up_b))
    assert texts(app, survey_id)[0] == ["Do you cycle?", "How far?"]
    # ...until that condition is removed.
    location(officer.post(f"{where}/condition", data={"remove": "1"}))
    location(officer.post(up_b))
    assert texts(app, survey_id) == [["Where?", "Anything else?"], ["Do you cycle?", "How far?"]]
    assert positions(app, survey_id) == [(1, [1, 2]), (2, [1, 2])]
    # To an earlier section: it goes to the end.
    location(
        officer.post(
            f"{BASE}/{survey_id}/questions/{q['How far?']}/section", data={"section": sections[1]}
        )
    )
    assert texts(app, survey_id) == [["Where?", "Anything else?", "How far?"], ["Do you cycle?"]]


def test_conditions_offer_only_earlier_questions_and_their_answers(app, officer, survey_id):
    sections, q = ids(app, survey_id)
    url = f"{BASE}/{survey_id}/sections/{sections[1]}/condition"
    page = officer.get(url).get_data(as_text=True)
    assert f'value="{q["Do you cycle?"]}"' in page and f'value="{q["How far?"]}"' in page
    assert f'value="{q["Anything else?"]}"' not in page
    later = {"on": q["Anything else?"], "op": "any", "values": "x"}
    assert officer.post(f"{url}?on={later['on']}", data=later).status_code == 200
    both = {"on": q["Do you cycle?"], "op": "equals", "values": ["Yes", "No"]}
    page = officer.post(f"{url}?on={both['on']}", data=both).get_data(as_text=True)
    assert "There is a problem" in page and "takes one answer" in page
    missing = {"on": q["Do you cycle?"], "op": "any", "values": ["Maybe"]}
    assert "is not a valid choice" in officer.post(url, data=missing).get_data(as_text=True)
    typed = {"on": q["How far?"], "op": "any", "values": "5\n10"}
    location(officer.post(f"{url}?on={typed['on']}", data=typed))
    assert row(app, Section, sections[1], "condition") == (
        {"question_id": q["How far?"], "op": "any", "values": ["5", "10"]},
    )
    overview = officer.get(f"{BASE}/{survey_id}").get_data(as_text=True)
    assert "Shown only if “How far?” is any of 5, 10" in overview
    # The first section has nothing before it to depend on.
    first = officer.get(f"{BASE}/{survey_id}/sections/{sections[0]}/condition")
    assert first.status_code == 200 and "no earlier question" in first.get_data(as_text=True)


def test_duplicating_a_question_a_section_and_the_survey(app, officer, survey_id):
    sections, q = ids(app, survey_id)
    location(officer.post(f"{BASE}/{survey_id}/questions/{q['How far?']}/duplicate"))
    assert texts(app, survey_id)[0] == ["Do you cycle?", "Where?", "How far?", "How far?"]
    location(officer.post(f"{BASE}/{survey_id}/sections/{sections[0]}/duplicate"))
    built = structure(app, survey_id)
    assert [s[0] for s in built] == ["A", "A (copy)", "B"]
    copies = read(
        app, lambda: [x.id for x in db.session.get(Survey, survey_id).sections[1].questions]
    )
    # The copied "Where?" depends on the copied "Do you cycle?"; the original is untouched.
    assert built[1][2][1][4] == {"question_id": copies[0], "op": "equals", "values": ["Yes"]}
    assert built[0][2][1][4]["question_id"] == q["Do you cycle?"]
    assert positions(app, survey_id) == [(1, [1, 2, 3, 4]), (2, [1, 2, 3, 4]), (3, [1])]

    landing = location(officer.post(f"{BASE}/{survey_id}/duplicate"))
    copy_id = last_id(app, Survey)
    assert copy_id != survey_id and landing.endswith(f"{BASE}/{copy_id}")
    title, about, locked, consultation = row(
        app, Survey, copy_id, "title", "about_you", "locked_at", "consultation_id"
    )
    assert title.endswith(" (copy)") and about == ["age_band"] and locked is None
    assert consultation == row(app, Survey, survey_id, "consultation_id")[0]

    def without_conditions(sid):
        return [[q[:4] for q in s[2]] for s in structure(app, sid)]

    assert without_conditions(copy_id) == without_conditions(survey_id)

    def conditions_point_inside():
        copy = db.session.get(Survey, copy_id)
        by_id = {x.id: x.text for x in copy.questions}
        found = [x.condition for x in copy.questions if x.condition]
        return [by_id.get(c["question_id"]) for c in found]

    assert read(app, conditions_point_inside) == ["Do you cycle?", "Do you cycle?"]


def test_delete_asks_first_and_refuses_to_break_a_condition(app, officer, survey_id):
    sections, q = ids(app, survey_id)
    cycle = f"{BASE}/{survey_id}/questions/{q['Do you cycle?']}/delete"
    ask = officer.get(cycle)
    assert ask.status_code == 200 and "Are you sure" in ask.get_data(as_text=True)
    assert "remove that condition first" in flashed(officer, officer.post(cycle))
    assert row(app, Question, q["Do you cycle?"], "id") is not None
    location(officer.post(f"{BASE}/{survey_id}/questions/{q['Where?']}/delete"))
    location(officer.post(cycle))
    assert texts(app, survey_id) == [["How far?"], ["Anything else?"]]
    assert positions(app, survey_id) == [(1, [1]), (2, [1])]
    section = f"{BASE}/{survey_id}/sections/{sections[0]}/delete"
    assert "Its 1 question is deleted with it" in officer.get(section).get_data(as_text=True)
    location(officer.post(section))
    assert texts(app, survey_id) == [["Anything else?"]] and positions(app, survey_id) == [(1, [1])]


def test_a_section_whose_questions_others_depend_on_cannot_be_deleted(app, officer):
    later = ("B", [dict(kind="long_text", text="Anything else?", condition=IF_YES)])
    survey_id = made(app, lambda: make_survey(sections=[CYCLING[0], later]))
    sections, _q = ids(app, survey_id)
    refused = officer.post(f"{BASE}/{survey_id}/sections/{sections[0]}/delete")
    assert "remove that condition first" in flashed(officer, refused)
    assert len(structure(app, survey_id)) == 2


def test_changing_options_a_condition_uses_is_refused_and_retyping_works(app, officer, survey_id):
    _sections, q = ids(app, survey_id)
    page = officer.post(
        f"{BASE}/{survey_id}/questions/{q['Do you cycle?']}/edit",
        data={"text": "Do you cycle?", "choices": "Often\nNever", "allow_other": "no"},
    )
    assert page.status_code == 200 and "has no answer “Yes”" in page.get_data(as_text=True)
    assert row(app, Question, q["Do you cycle?"], "options") == ({"choices": ["Yes", "No"]},)
    retype = f"{BASE}/{survey_id}/questions/{q['How far?']}/type"
    assert 'value="number" checked' in officer.get(retype).get_data(as_text=True)
    form_url = location(officer.post(retype, data={"kind": "short_text"}))
    assert form_url.endswith("/edit?kind=short_text")
    assert "from “A number” to" in officer.get(form_url).get_data(as_text=True)
    location(officer.post(form_url, data={"text": "How far, roughly?", "max_length": "20"}))
    assert row(app, Question, q["How far?"], "kind", "text", "options") == (
        "short_text",
        "How far, roughly?",
        {"max_length": 20},
    )


def test_a_double_tapped_move_moves_one_place(app, officer):
    """The move buttons carry a one-time token: the same form sent twice (a double tap,
    a reload) moves the question once, and the repeat goes where the first went."""
    import re

    questions = [{"kind": "short_text", "text": text} for text in ("A", "B", "C")]
    survey_id = made(app, lambda: make_survey(sections=[("Only", questions)]))
    _sections, q = ids(app, survey_id)
    page = officer.get(f"{BASE}/{survey_id}").get_data(as_text=True)
    action = f"{BASE}/{survey_id}/questions/{q['C']}/move/up"
    form = re.search(rf'<form method="post" action="{re.escape(action)}".*?</form>', page, re.S)
    data = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form.group(0)))
    assert "form_token" in data
    first = officer.post(action, data=data)
    again = officer.post(action, data=data)
    assert first.status_code == 302 and again.status_code == 303
    assert again.headers["Location"].endswith(first.headers["Location"].split("://")[-1][-40:])
    assert texts(app, survey_id) == [["A", "C", "B"]]  # not ["C", "A", "B"]
