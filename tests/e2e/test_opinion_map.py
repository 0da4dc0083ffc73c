"""The conversation results page with its opinion map, and the officer's pages for a
conversation and for importing one, under axe; the map never scrolls sideways at 320 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from community.accounts.models import Role
from community.conversations.models import Conversation
from community.extensions import db
from tests.conversations.test_results import _voted_conversation
from tests.e2e.helpers import sign_in
from tests.support.axe import assert_accessible
from tests.support.factories import make_user

pytestmark = pytest.mark.e2e


def test_results_with_opinion_map_are_accessible_and_reflow(browser, live_app, page):
    with live_app.app_context():
        resident = make_user(Role.RESIDENT, email="map-resident@example.com")
        officer = make_user(Role.OFFICER, email="map-officer@example.com")
        resident_id = resident.id
        db.session.commit()
    conversation_id, _ids = _voted_conversation(live_app.app, user_id=resident_id)
    with live_app.app_context():
        consultation_id = db.session.get(Conversation, conversation_id).consultation_id

    sign_in(page, "map-resident@example.com")
    assert_accessible(page, "account page after signing in")
    page.goto(f"/conversations/{conversation_id}/results")
    expect(page.get_by_role("heading", name="Opinion map")).to_be_visible()
    expect(page.get_by_role("img", name="Opinion map of 40 people in 2 groups")).to_be_visible()
    expect(page.locator("svg.cv-map text", has_text="You")).to_have_count(1)
    page.get_by_text("How these results are worked out").click()
    assert_accessible(page, "conversation results with the opinion map")
    page.set_viewport_size({"width": 320, "height": 800})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    box = page.locator("svg.cv-map").bounding_box()
    assert box is not None and box["width"] <= 320
    assert_accessible(page, "conversation results at 320 px")

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "map-officer@example.com")
    assert_accessible(page, "officer's landing page")
    page.goto(f"/manage/conversations/{conversation_id}")
    expect(page.get_by_text("Moderated out: counts not public")).to_be_visible()
    assert_accessible(page, "officer's conversation page with moderated-out counts")
    page.goto(f"/manage/consultations/{consultation_id}/conversations/import")
    assert_accessible(page, "Pol.is import form")
    page.get_by_role("button", name="Import").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, "Pol.is import form with an error")
    assert officer is not None
