"""Search and the ward map in a browser: axe on every page, no sideways scroll at 320 px,
the header search box with and without JavaScript, and a boundary upload."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from community.accounts.models import Role
from community.contributions.models import ContributionStatus
from community.extensions import db
from community.framework.models import Term
from community.ideas.models import Idea, IdeaBoard
from community.models_base import utcnow
from tests.e2e.helpers import sign_in
from tests.support.axe import assert_accessible
from tests.support.factories import make_consultation, make_user
from tests.wards.test_ward_map import _wards, geojson

pytestmark = pytest.mark.e2e

LONG = "https://example.org/" + "averyveryverylongunbrokenword" * 8


def _seed(live_app) -> None:
    with live_app.app_context():
        wards = [
            db.session.scalar(select(Term).where(Term.code == c)) for c in ("tolworth", "tudor")
        ]
        consultation = make_consultation(title="Lanterns on the towpath", terms=wards[:1])
        board = IdeaBoard(consultation_id=consultation.id, title="Ideas")
        db.session.add(board)
        db.session.flush()
        for n in range(30):
            db.session.add(
                Idea(
                    board_id=board.id,
                    consultation_id=consultation.id,
                    title=f"Lanterns idea {n} {LONG}"[:120],  # the column's limit
                    body=f"More lanterns by the river <b>please</b> {LONG}",
                    status=ContributionStatus.PUBLISHED,
                    published_at=utcnow(),
                    area_id=wards[1].id,
                )
            )
        make_user(Role.OFFICER, email="map-officer@example.com")
        db.session.commit()


def _narrow(page, path: str, what: str) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    response = page.goto(path)
    assert response is not None and response.status == 200, path
    assert_accessible(page, f"{what} at 320 px")
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')]"
        ".filter(e => e.getBoundingClientRect().right > 321).slice(0, 5)"
        ".map(e => e.tagName + '.' + e.className)"
    )
    assert width <= 320, f"{what}: {width} px wide at 320 px: {wide}"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_search_and_ward_maps_are_accessible_and_reflow(browser, live_app, page, framework):
    _seed(live_app)
    page.goto("/")
    assert_accessible(page, "home with the search box")
    box = page.get_by_role("search", name="Site search")
    box.get_by_label("Search this site").fill("lantern")
    box.get_by_role("button", name="Search").click()
    expect(page).to_have_url(live_app.url + "/search?q=lantern")
    expect(page.get_by_role("status")).to_have_text("31 results")
    expect(page.locator(".cv-search-results mark").first).to_have_text("Lanterns")
    expect(page.locator(".govuk-pagination")).to_be_visible()
    assert_accessible(page, "search results")
    for path, what in [
        ("/search", "search page, empty"),
        ("/search?q=nothinglikethis", "search, no results"),
        ("/search?q=lanterns&kind=idea&ward=tudor&page=2", "search, filtered, page 2"),
        ("/consultations/", "consultations with the ward map"),
        ("/consensus/", "consensus with agreement by ward"),
    ]:
        page.goto(path)
        assert_accessible(page, what)
        _narrow(page, path, what)

    # A ward on the map is a link to its consultations and the follow button.
    page.goto("/consultations/")
    assert_accessible(page, "consultations")
    page.get_by_role("link", name="Tolworth: 1 consultation – see and follow").click()
    expect(page).to_have_url(live_app.url + "/consultations/?ward=tolworth#follow")
    assert_accessible(page, "consultations in Tolworth")

    sign_in(page, "map-officer@example.com")
    assert_accessible(page, "the officer's landing page after signing in")
    page.goto("/manage/ward-map/")
    assert_accessible(page, "ward map admin, tiles")
    with live_app.app_context():
        names = _wards(live_app.app)
    upload = page.get_by_label("Ward boundaries (GeoJSON)")
    upload.set_input_files(
        files=[{"name": "bad.geojson", "mimeType": "application/geo+json", "buffer": b"{}"}]
    )
    page.get_by_role("button", name="Upload and draw the map").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("FeatureCollection")
    assert_accessible(page, "ward map admin, error")
    page.get_by_label("Ward boundaries (GeoJSON)").set_input_files(
        files=[
            {"name": "wards.geojson", "mimeType": "application/geo+json", "buffer": geojson(names)}
        ]
    )
    page.get_by_role("button", name="Upload and draw the map").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    assert_accessible(page, "ward map admin, boundaries")
    _narrow(page, "/manage/ward-map/", "ward map admin, boundaries")
    _narrow(page, "/consultations/", "consultations with boundaries")


def test_header_search_works_without_javascript(no_js_page, live_app, framework):
    _seed(live_app)
    no_js_page.goto("/")
    no_js_page.get_by_label("Search this site").fill("lanterns")
    no_js_page.get_by_label("Search this site").press("Enter")
    expect(no_js_page).to_have_url(live_app.url + "/search?q=lanterns")
    expect(no_js_page.locator(".cv-search-results li")).to_have_count(25)
