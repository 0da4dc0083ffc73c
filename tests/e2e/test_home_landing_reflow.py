"""Phones and first glances, in Chromium: the home page, each role's landing page and the
evidence heatmap, with long unbroken text in every field, checked with axe and for reflow
at 320 px (``assert_accessible`` does both), and the heatmap whole at 1,280 px."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from community.accounts.models import Organisation, Role
from community.extensions import db
from community.plan import service as plan_service
from community.plan.models import ActionStatus, PlanAction
from tests.e2e.helpers import sign_in
from tests.support.axe import assert_accessible
from tests.support.factories import (
    UNBROKEN,
    make_consultation,
    make_contribution,
    make_survey,
    make_user,
)

pytestmark = pytest.mark.e2e

ROLES = {
    "resident": Role.RESIDENT,
    "leader": Role.GROUP_LEADER,
    "partner": Role.PARTNER,
    "moderator": Role.MODERATOR,
    "officer": Role.OFFICER,
}


@pytest.fixture
def seeded(live_app, framework):
    with live_app.app_context():
        plan_service.seed_plan(live_app.config["PLAN_FILE"])
        people = {
            name: make_user(role, email=f"{name}@example.com", display_name=UNBROKEN * 2)
            for name, role in ROLES.items()
        }
        people["partner"].organisation = Organisation.POLICE
        open_one = make_consultation()
        survey = make_survey(
            open_one, [("Part " + UNBROKEN, [{"kind": "long_text", "text": "Why?"}])]
        )
        survey.title = "Survey " + UNBROKEN * 3
        make_consultation(phase="outcome")
        make_consultation(phase="closed")
        make_contribution(open_one, status="published", author=people["resident"])
        make_contribution(open_one, status="pending", body=UNBROKEN * 5)
        action = db.session.scalar(
            select(PlanAction).where(PlanAction.lead_organisation == Organisation.POLICE)
        )
        action.title = "Action " + UNBROKEN * 3
        action.due_on = date.today() - timedelta(days=2)
        action.status = ActionStatus.IN_PROGRESS
        from community.consultations import service as consultations

        consultations.follow(people["resident"], consultation=open_one)
        db.session.commit()
        ids = {"survey": survey.id, "action": action.id}
        db.session.remove()
    return ids


def test_a_visitor_reaches_an_open_survey_in_one_tap_on_a_phone(browser, live_app, page, seeded):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto("/")
    assert_accessible(page, "home page")
    expect(page.get_by_text("days left").first).to_be_visible()
    page.get_by_role("link", name="Answer the survey").first.click()
    expect(page).to_have_url(f"{live_app.url}/surveys/{seeded['survey']}")
    assert_accessible(page, "survey start")


@pytest.mark.parametrize("name", list(ROLES))
def test_each_role_lands_on_what_to_do_next(browser, live_app, page, seeded, name):
    sign_in(page, f"{name}@example.com")
    expect(page).to_have_url(live_app.url + "/account")
    assert_accessible(page, f"{name} landing page")
    if name in ("partner", "officer"):
        expect(page.locator(".cv-next__count--urgent").first).to_be_visible()
        page.goto(f"/plan/actions/{seeded['action']}")
        expect(page.get_by_text("Overdue", exact=False).first).to_be_visible()
        assert_accessible(page, "an overdue action")
        page.goto("/plan/?overdue=yes")
        assert_accessible(page, "overdue actions")


def test_the_evidence_heatmap_reads_whole_at_1280_and_its_cells_take_focus(
    browser, live_app, page, seeded
):
    sign_in(page, "officer@example.com")
    assert_accessible(page, "officer landing page")
    page.get_by_role("link", name="Evidence", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Evidence matrix")
    assert_accessible(page, "evidence heatmap")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    region = page.get_by_role("region", name="Evidence matrix")
    widths = region.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert widths[0] <= widths[1], f"the matrix scrolls sideways at 1,280 px: {widths}"
    expect(page.get_by_text("No evidence").first).to_be_visible()  # flags in words
    first_cell = page.locator(".cv-matrix__link").first
    first_cell.focus()
    expect(first_cell).to_be_focused()
    first_cell.press("Enter")
    page.wait_for_load_state("load")
    assert "/partnership/evidence/cell" in page.url
    assert_accessible(page, "a matrix cell")
