"""We asked, you said, we did: from tagged evidence to the plan, in a real browser.

An officer writes two findings for a closed consultation from its tagged evidence,
answers one with a new plan action and the other with "not taken forward" (and why),
and publishes the outcome. A participant who asked to hear back gets the mail, opens
the outcome page, follows the link to what happened to their own response, and the
plan's action page shows what residents said behind it. Every page is checked with axe.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from community.accounts.models import Role
from community.extensions import db
from community.plan.models import PlanAction
from tests.e2e.helpers import sign_in
from tests.plan.test_plan import _closed_consultation, _seed_plan
from tests.support.axe import assert_accessible
from tests.support.factories import make_user

pytestmark = pytest.mark.e2e

LIT = "People want the paths to the station lit after dark"
CLUBS = "Young people asked for a youth club open on Sundays"
NEW_ACTION = "Light the Norbiton station paths"


def h1(page):
    return page.get_by_role("heading", level=1)


def success(page):
    return page.locator(".govuk-notification-banner--success")


def write_finding(page, live_app, cid: int, statement: str) -> None:
    page.goto(f"/manage/consultations/{cid}/findings")
    expect(h1(page)).to_contain_text("Findings and responses")
    assert_accessible(page, "findings list")
    page.get_by_label("What people said").fill(statement)
    page.get_by_role("button", name="Save finding").click()
    expect(success(page)).to_contain_text("Finding added.")
    assert_accessible(page, f"finding {statement!r}")


def test_officer_publishes_an_outcome_and_a_participant_follows_it_home(
    browser, live_app, page, framework
):
    with live_app.app_context():
        _seed_plan(live_app.app)
        officer = make_user(Role.OFFICER, email="officer@example.com")
        consultation, survey, theme, people, _quotes = _closed_consultation(live_app.app)
        participant = people[0].email
        cid, slug = consultation.id, consultation.slug
        db.session.remove()
        del officer

    sign_in(page, "officer@example.com")
    expect(h1(page)).to_have_text("Your account")
    assert_accessible(page, "officer account")

    # Finding 1: from the theme's tagged contributions, answered by a new action.
    write_finding(page, live_app, cid, LIT)
    page.get_by_label("Evidence to add").select_option(label="Theme: Street lighting (3)")
    page.get_by_role("button", name="Add evidence").click()
    expect(success(page)).to_contain_text("Evidence added.")
    expect(page.get_by_role("link", name="Street lighting")).to_be_visible()
    assert_accessible(page, "finding with evidence")
    page.get_by_role("radio", name="A new plan action").check()
    page.get_by_label("Explanation for the public").fill("New lights before the winter.")
    page.get_by_text("For a new action").click()
    page.get_by_label("Priority for the new action").select_option(index=3)
    page.get_by_label("New action title").fill(NEW_ACTION)
    page.get_by_label("Lead organisation for the new action").select_option(value="council")
    page.get_by_role("button", name="Save response").click()
    expect(success(page)).to_contain_text("Response saved.")
    assert_accessible(page, "findings after the first response")

    # Finding 2: from the survey item, not taken forward, with the reason.
    write_finding(page, live_app, cid, CLUBS)
    page.get_by_label("Evidence to add").select_option(
        label="Survey item: Street lighting makes me feel safer"
    )
    page.get_by_role("button", name="Add evidence").click()
    expect(success(page)).to_contain_text("Evidence added.")
    assert_accessible(page, "second finding with evidence")
    page.get_by_role("radio", name="Not taken forward").check()
    page.get_by_role("button", name="Save response").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why it was not taken forward")
    assert_accessible(page, "response refused without a reason")
    page.get_by_role("radio", name="Not taken forward").check()
    page.get_by_label("Explanation for the public").fill("The youth service has no Sunday staff.")
    page.get_by_role("button", name="Save response").click()
    expect(success(page)).to_contain_text("Response saved.")
    assert_accessible(page, "findings ready to publish")

    page.get_by_role("button", name="Publish the outcome").click()
    expect(success(page)).to_contain_text("Outcome published. 6 people will be told by email.")
    expect(page.get_by_role("heading", name="We did", exact=False).first).to_be_visible()
    assert_accessible(page, "published outcome (officer)")
    page.context.clear_cookies()

    # The participant: the mail, the outcome page, their own response, the plan.
    link = live_app.link_in_latest_mail(participant)
    assert f"/consultations/{slug}/outcome" in link
    sign_in(page, participant)
    expect(h1(page)).to_have_text("Your account")
    assert_accessible(page, "participant account")
    page.goto(link)
    expect(h1(page)).to_contain_text(consultation.title[:20])
    expect(page.get_by_text(LIT)).to_be_visible()
    expect(page.get_by_text("The youth service has no Sunday staff.")).to_be_visible()
    expect(page.get_by_text("Includes what you said").first).to_be_visible()
    assert_accessible(page, "outcome page (participant)")
    page.get_by_role("link", name="See what happened to what you said").click()
    expect(h1(page)).to_have_text("What happened to what you said")
    expect(page.get_by_role("link", name=f"“{LIT}”").first).to_be_visible()
    assert_accessible(page, "what happened to mine")
    page.get_by_role("link", name=NEW_ACTION).first.click()
    expect(h1(page)).to_contain_text(NEW_ACTION)
    behind = page.locator("#behind ~ ul").first
    expect(behind).to_contain_text(LIT)
    assert_accessible(page, "plan action with the evidence behind it")
    page.get_by_role("link", name="The plan").click()
    expect(page.get_by_role("link", name="1 finding from residents")).to_be_visible()
    assert_accessible(page, "the plan")
    with live_app.app_context():
        action = db.session.scalar(select(PlanAction).where(PlanAction.title == NEW_ACTION))
        assert action is not None and action.lead_organisation.value == "council"
        db.session.remove()
