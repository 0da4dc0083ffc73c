"""The consensus views in a real browser, checked with axe: the partnership view with its
trend tables, an issue over time (chart and table), and an officer following the numbers
to the responses and contributions behind them."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from community.accounts.models import Role
from community.extensions import db
from tests.e2e.helpers import sign_in
from tests.insights.sites import build_site
from tests.support.axe import assert_accessible
from tests.support.factories import make_user

pytestmark = pytest.mark.e2e


def h1(page):
    return page.get_by_role("heading", level=1)


def test_the_public_reads_the_trend_and_an_officer_follows_the_numbers(page, live_app, framework):
    with live_app.app_context():
        site = build_site()
        officer = make_user(Role.OFFICER, email="olu@example.com", display_name="Olu Officer")
        officer_email = officer.email
        db.session.remove()

    # The public: the trend per issue and principle, and one issue's page with its chart.
    page.goto("/consensus/")
    expect(h1(page)).to_contain_text("Community consensus across the plan")
    road = page.get_by_role("table", name="Road safety")
    expect(road.get_by_role("row", name=re.compile("July to September 2025"))).to_contain_text("12")
    assert_accessible(page, "partnership view (public)")
    page.get_by_role("link", name="Road safety: chart and the consultations behind it").click()
    expect(h1(page)).to_contain_text("Road safety over time")
    expect(
        page.get_by_role("img", name="Community voice on Road safety, by quarter")
    ).to_be_visible()
    expect(page.locator("#q-2025-Q2")).to_be_visible()  # the quiet quarter is shown, as zero
    assert_accessible(page, "road safety over time (public)")
    page.get_by_role("link", name="Roads").first.click()
    expect(h1(page)).to_contain_text("Where people agree")
    assert_accessible(page, "consultation consensus (public)")

    sign_in(page, officer_email)
    assert_accessible(page, "account page")
    page.goto("/consensus/terms/road-safety")
    assert_accessible(page, "road safety over time (officer)")
    page.get_by_role("link", name="survey responses to Roads in January to March 2025").click()
    expect(h1(page)).to_contain_text("Responses behind the figures")
    expect(page.get_by_role("status")).to_have_text("12 responses")
    assert_accessible(page, "responses in a quarter")
    page.go_back()
    assert_accessible(page, "road safety over time, again")
    page.get_by_role("link", name="contributions to Parks in July to September 2025").click()
    expect(
        page.get_by_text("Only contributions written in July to September 2025.")
    ).to_be_visible()
    expect(page.locator("caption[data-total]")).to_have_text("1 contribution")
    assert_accessible(page, "tagging list for a quarter and a term")

    page.goto(f"/consultations/{site['roads']}/consensus")
    assert_accessible(page, "consultation consensus (officer)")
    page.get_by_role("link", name="people in Tolworth who agree").click()
    expect(page.get_by_role("status")).to_have_text("5 responses")
    expect(page.locator("main")).to_contain_text("Lighting is good")
    assert_accessible(page, "responses behind a group's agreement")
