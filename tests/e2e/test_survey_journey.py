"""A survey from the builder to the spreadsheet, in a real browser.

An officer adds a survey to an open consultation from Manage, builds two sections (a
required single-choice question, an agreement question shown only to people who cycle,
and a long answer) and previews it. A resident answers it by keyboard alone: choosing
"Yes" shows the page again with the conditional question on it. The receipt mail carries
the reference shown on the confirmation. The officer then sees the counts on the results
page and downloads the responses as an Excel workbook. Every page is checked with axe.
"""

from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from sqlalchemy import select

from community.extensions import db
from community.surveys.models import Question, Response, ResponseStatus, Survey
from tests.e2e.helpers import sign_in, tab_to
from tests.support.axe import assert_accessible
from tests.support.factories import make_consultation

pytestmark = pytest.mark.e2e

CONSULTATION = "Cycling in Northgate"
SURVEY = "Getting about by bike"
FIRST, SECOND = "How you travel", "Your ideas"
CYCLE = "Do you cycle?"
LANES = "Cycle lanes feel safe"
IDEAS = "What would make streets safer?"
IDEA = "Wider lanes on the ring road, and lights that stay green for bikes."


def nav(page):
    return page.get_by_role("navigation", name="Menu")


def h1(page):
    return page.get_by_role("heading", level=1)


def success(page):
    return page.locator(".govuk-notification-banner--success")


def sign_in_to_account(page, live_app, email: str) -> None:
    sign_in(page, email)
    expect(page).to_have_url(live_app.url + "/account")
    expect(h1(page)).to_have_text("Your account")
    assert_accessible(page, f"account page of {email}")


def sign_out(page, live_app) -> None:
    nav(page).get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(live_app.url + "/")
    assert_accessible(page, "home page after signing out")


def skip_to_main(page) -> None:
    """The first Tab reaches the skip link; Enter moves focus to the main content.

    After a form posted from a page reached by the skip link, the browser keeps the
    ``#main-content`` fragment through the redirect, so the next page starts there.
    """
    if page.url.endswith("#main-content"):
        page.locator("main#main-content").focus()
        return
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main#main-content")).to_be_focused()


def add_question(page, kind_label: str, text: str, *, required: bool, options: str = ""):
    """From the overview: "Add a question to this section" (the last one), type, wording."""
    page.get_by_role("button", name="Add a question to this section").last.click()
    expect(h1(page)).to_contain_text("Add a question")
    assert_accessible(page, "choose a type of question")
    page.get_by_role("radio", name=kind_label, exact=True).check()
    page.get_by_role("button", name="Continue").click()
    expect(h1(page)).to_contain_text("Add a question")
    assert_accessible(page, f"question form ({kind_label})")
    page.get_by_label("Question", exact=True).fill(text)
    page.get_by_role("group", name="Must people answer it?").get_by_role(
        "radio", name="Yes" if required else "No", exact=True
    ).check()
    if options:
        page.get_by_label("Options", exact=True).fill(options)
    page.get_by_role("button", name="Save question").click()
    expect(success(page)).to_contain_text("Question added.")
    expect(page.get_by_role("cell", name=text, exact=True)).to_be_visible()
    assert_accessible(page, f"overview after adding {text!r}")


def add_section(page, title: str) -> None:
    page.get_by_role("button", name="Add a section").click()
    expect(h1(page)).to_contain_text("Add a section")
    assert_accessible(page, "add a section")
    page.get_by_label("Section title").fill(title)
    page.get_by_role("button", name="Save").click()
    expect(success(page)).to_contain_text("Section added.")
    expect(page.get_by_role("heading", name=re.compile(f": {title}$"))).to_be_visible()
    assert_accessible(page, f"overview after adding section {title!r}")


def build_survey(page, live_app) -> int:
    """The officer's part: Manage → consultation → Add a survey → sections and questions."""
    nav(page).get_by_role("link", name="Manage").click()
    expect(page).to_have_url(live_app.url + "/manage/consultations/")
    expect(h1(page)).to_have_text("Manage consultations")
    assert_accessible(page, "manage consultations")
    page.get_by_role("link", name=CONSULTATION).click()
    expect(h1(page)).to_contain_text(CONSULTATION)
    expect(page.get_by_text("No surveys yet.")).to_be_visible()
    assert_accessible(page, "managed consultation")

    page.get_by_role("button", name="Add a survey").click()
    expect(h1(page)).to_contain_text("Add a survey")
    assert_accessible(page, "add a survey")
    page.get_by_label("Survey title").fill(SURVEY)
    page.get_by_label("Introduction (optional)").fill("Five minutes on how you get about.")
    page.get_by_role("button", name="Save").click()
    expect(success(page)).to_contain_text("Survey created: add its first section.")
    expect(h1(page)).to_contain_text(SURVEY)
    match = re.search(r"/manage/surveys/(\d+)", page.url)
    assert match, page.url
    survey_id = int(match.group(1))
    assert_accessible(page, "new survey overview")

    add_section(page, FIRST)
    add_question(page, "One answer from a list (radios)", CYCLE, required=True, options="Yes\nNo")
    add_question(page, "How much do you agree (5-point scale)", LANES, required=False)

    # The condition, in two steps: the earlier question, then the answer that shows it.
    page.get_by_role("link", name=f"Show it only for some answers ({LANES})").click()
    expect(h1(page)).to_contain_text("When to show this question")
    chooser = page.get_by_role("group", name="Show it only depending on the answer to")
    expect(chooser.get_by_role("radio")).to_have_count(1)  # only the earlier question
    assert_accessible(page, "condition: choose the question")
    chooser.get_by_role("radio", name=CYCLE).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text(f"It depends on the answer to “{CYCLE}”.")).to_be_visible()
    assert_accessible(page, "condition: choose the answers")
    # No operator is preselected (issue 19): the officer chooses "is" themselves.
    expect(page.get_by_role("radio", name="is", exact=True)).not_to_be_checked()
    page.get_by_role("radio", name="is", exact=True).check()
    page.get_by_role("group", name="Answers").get_by_role("checkbox", name="Yes").check()
    page.get_by_role("button", name="Save condition").click()
    expect(success(page)).to_contain_text("Condition saved.")
    expect(page.get_by_text(f"Shown only if “{CYCLE}” is Yes")).to_be_visible()
    assert_accessible(page, "overview with the condition")

    add_section(page, SECOND)
    add_question(page, "A longer answer (paragraphs)", IDEAS, required=False)

    page.get_by_role("button", name="Preview").click()
    expect(h1(page)).to_have_text(f"Preview: {SURVEY}")
    for heading in (FIRST, SECOND):
        expect(page.get_by_role("heading", name=heading, level=2)).to_be_visible()
    expect(page.get_by_role("group", name=CYCLE)).to_be_visible()
    expect(page.get_by_role("group", name=f"{LANES} (optional)")).to_be_visible()
    expect(page.get_by_label(f"{IDEAS} (optional)")).to_be_visible()
    expect(page.get_by_text(f"Shown only if “{CYCLE}” is Yes")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Send|Continue"))).to_have_count(0)
    assert_accessible(page, "survey preview")
    return survey_id


def answer_by_keyboard(page, live_app, survey_id: int) -> str:
    """The resident's part, with Tab, arrow keys, Space, typing and Enter; the reference."""
    page.goto(f"/surveys/{survey_id}")
    expect(h1(page)).to_contain_text(SURVEY)
    assert_accessible(page, "survey start page")
    skip_to_main(page)
    start = page.get_by_role("button", name="Start now")
    tab_to(page, start)
    page.keyboard.press("Enter")

    # Section 1: only "Do you cycle?" until it is answered.
    expect(h1(page)).to_have_text(FIRST)
    expect(page.get_by_text("section 1 of 2")).to_be_visible()
    expect(page.get_by_role("group", name=LANES, exact=False)).to_have_count(0)
    assert_accessible(page, "section 1")
    skip_to_main(page)
    cycle = page.get_by_role("group", name=CYCLE)
    yes = cycle.get_by_role("radio", name="Yes")
    tab_to(page, yes)
    page.keyboard.press("Space")
    expect(yes).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Continue"))
    page.keyboard.press("Enter")

    # The same page again, now with the question for people who cycle.
    lanes = page.get_by_role("group", name=f"{LANES} (optional)")
    expect(lanes).to_be_visible()
    expect(h1(page)).to_have_text(FIRST)
    expect(yes).to_be_checked()
    assert_accessible(page, "section 1 with the conditional question")
    first_choice = lanes.get_by_role("radio", name="Strongly agree")
    tab_to(page, first_choice, limit=30)
    agree = lanes.get_by_role("radio", name="Agree", exact=True)
    page.keyboard.press("ArrowDown")
    expect(agree).to_be_checked()
    expect(agree).to_be_focused()
    tab_to(page, page.get_by_role("button", name="Continue"))
    page.keyboard.press("Enter")

    # Section 2: a long answer, typed.
    expect(h1(page)).to_have_text(SECOND)
    expect(page.get_by_text("section 2 of 2")).to_be_visible()
    assert_accessible(page, "section 2")
    skip_to_main(page)
    ideas = page.get_by_label(f"{IDEAS} (optional)")
    tab_to(page, ideas)
    page.keyboard.type(IDEA)
    expect(ideas).to_have_value(IDEA)
    tab_to(page, page.get_by_role("button", name="Continue"))
    page.keyboard.press("Enter")

    expect(h1(page)).to_have_text("Check your answers before sending them")
    answers = page.locator(".govuk-summary-list")
    for question, answer in ((CYCLE, "Yes"), (LANES, "Agree"), (IDEAS, IDEA)):
        row = answers.locator(".govuk-summary-list__row", has_text=question)
        expect(row.locator(".govuk-summary-list__value")).to_have_text(answer)
    assert_accessible(page, "check your answers")
    skip_to_main(page)
    send = page.get_by_role("button", name="Send your response")
    tab_to(page, send, limit=12)
    page.keyboard.press("Enter")

    panel = page.locator(".govuk-panel")
    expect(panel).to_contain_text("Response sent")
    expect(panel).to_contain_text("Your reference")
    # The reference stands out in bold, not as tags written out in the text.
    expect(panel).not_to_contain_text("<strong>")
    reference = panel.locator("strong").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{8}", reference), reference
    assert_accessible(page, "response sent")
    return reference


def test_an_officer_builds_a_survey_a_resident_answers_it_and_the_officer_exports_it(
    page, live_app, users, tmp_path
):
    with live_app.app_context():
        make_consultation(title=CONSULTATION, phase="open")
        db.session.remove()
    officer, resident = users["officer"], users["resident"]

    sign_in_to_account(page, live_app, officer.email)
    survey_id = build_survey(page, live_app)
    with live_app.app_context():
        survey = db.session.get(Survey, survey_id)
        built = [(s.title, [q.text for q in s.questions]) for s in survey.sections]
        assert sorted(built) == [(FIRST, [CYCLE, LANES]), (SECOND, [IDEAS])]
        lanes = db.session.scalars(select(Question).where(Question.text == LANES)).one()
        cycle = db.session.scalars(select(Question).where(Question.text == CYCLE)).one()
        assert lanes.condition == {"question_id": cycle.id, "op": "equals", "values": ["Yes"]}
        assert cycle.required and not lanes.required
        db.session.remove()
    sign_out(page, live_app)

    sign_in_to_account(page, live_app, resident.email)
    reference = answer_by_keyboard(page, live_app, survey_id)
    with live_app.app_context():
        sent = db.session.scalars(select(Response).where(Response.survey_id == survey_id)).one()
        assert sent.reference == reference
        assert sent.status == ResponseStatus.SUBMITTED
        assert sent.user_id == resident.id
        db.session.remove()

    receipt = live_app.latest_mail(resident.email)
    assert SURVEY in receipt["Subject"]
    text = receipt.get_body(preferencelist=("plain",)).get_content()
    assert reference in text, text
    sign_out(page, live_app)

    # The officer (an analyst too) sees the true counts, then downloads the workbook.
    sign_in_to_account(page, live_app, officer.email)
    page.goto(f"/surveys/{survey_id}/results")
    expect(h1(page)).to_contain_text(f"Results: {SURVEY}")
    expect(page.locator(".cv-stat__number")).to_have_text("1")
    for question in (CYCLE, LANES, IDEAS):
        section = page.locator("section.cv-results-question").filter(
            has=page.get_by_role("heading", name=question)
        )
        expect(section).to_contain_text("Answered by 1 person.")
    assert_accessible(page, "results (analysts' view)")

    with page.expect_download() as info:
        page.get_by_role("link", name="Download every response (Excel)").click()
    download = info.value
    assert download.suggested_filename == f"survey-{survey_id}-responses.xlsx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    book = load_workbook(saved, read_only=True)
    rows = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    assert len(rows) == 2, rows
    header, answer = rows
    for question in (CYCLE, LANES, IDEAS):
        assert any(question in str(cell) for cell in header), (question, header)
    assert answer[0] == reference
    assert "Yes" in answer and IDEA in answer, answer
