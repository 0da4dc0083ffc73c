"""Each role's first journey, end to end in Chromium on the demo borough (``flask demo``).

A journey moves only by clicking a visible link or button (so a page whose next step is
hidden fails it), and every page on the way must answer below 400, show no error message
and pass axe. The demo is built once and every role walks it in a fresh browser context,
in the order that keeps them independent.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from community.demo import DEMO_PASSWORD, load_demo
from tests.e2e.conftest import _new_context, _track_loads
from tests.support.axe import assert_accessible

pytestmark = pytest.mark.e2e


class Journey:
    """One role's walk: every page load is checked as it happens."""

    def __init__(self, browser, live_app, role: str):
        self.context = _new_context(browser, live_app)
        self.page = self.context.new_page()
        _track_loads(self.context, self.page)
        self.role, self.statuses = role, []
        self.page.on(
            "response",
            lambda r: (
                self.statuses.append((r.status, r.url))
                if r.request.is_navigation_request()
                else None
            ),
        )

    def check(self, what: str) -> None:
        page = self.page
        page.wait_for_load_state("load")
        bad = [(s, u) for s, u in self.statuses if s >= 400]
        assert not bad, f"{self.role}: {what}: {bad}"
        for selector in (".govuk-error-summary", ".govuk-error-message"):
            assert page.locator(selector).count() == 0, (
                f"{self.role}: {what}: error on {page.url}: "
                f"{page.locator(selector).first.inner_text()}"
            )
        assert "alert" not in page.url
        assert_accessible(page, f"{self.role}: {what}")

    def start(self, path: str, what: str) -> None:
        self.page.goto(path)
        self.check(what)

    def click(
        self, role: str, name: str, what: str, *, exact: bool = False, within: str = "body"
    ) -> None:
        """The next step must be a visible link or button with this name (``within`` a
        part of the page, e.g. "main" where the header's site search has the same name)."""
        target = self.page.locator(within).get_by_role(role, name=name, exact=exact).first
        expect(target).to_be_visible()
        target.click()
        self.check(what)

    def sign_in(self, email: str) -> None:
        self.start("/sign-in", "sign in")
        self.page.get_by_label("Email address").fill(email)
        self.page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
        self.click("button", "Sign in", "signed in", exact=True)

    def banner(self, text: str) -> None:
        expect(self.page.locator(".govuk-notification-banner")).to_contain_text(text)

    def close(self) -> None:
        self.context.close()


def visitor(j: Journey) -> None:
    j.start("/", "home")
    j.start("/consultations/", "consultations")
    j.click("link", "Feeling safe in Kingston town centre at night", "an open consultation")
    j.click("link", "Sign in", "asked to sign in to take part")


def resident(j: Journey) -> None:
    j.sign_in("resident@example.com")
    j.start("/consultations/", "consultations")
    j.click("link", "Feeling safe in Kingston town centre at night", "the consultation")
    j.click("link", "Safe at night survey", "the survey's start page")
    j.click("button", "Start now", "section 1")
    j.page.get_by_label("Most days").check()
    j.page.get_by_role("group", name="I feel safe in the town centre after dark").get_by_label(
        "Agree", exact=True
    ).check()
    j.click("button", "Continue", "section 2")
    j.click("button", "Continue", "about you")
    j.click("button", "Continue", "check your answers")
    j.click("button", "Send your response", "confirmation")
    expect(j.page.get_by_role("heading", level=1)).to_contain_text("sent")


def youth(j: Journey) -> None:
    j.sign_in("youth@example.com")
    j.start("/groups/", "groups")
    j.click("link", "Cambridge Road Youth Club", "my group")
    j.click("button", "Draft a project", "the proposal template")
    j.page.get_by_label("The project’s name").fill("Study space after school")
    j.page.get_by_label("What problem or harmful story does it answer?").fill(
        "There is nowhere quiet to do homework."
    )
    j.click("button", "Save draft", "my draft")
    j.banner("Draft saved")


def group_leader(j: Journey) -> None:
    j.sign_in("leader@example.com")
    j.start("/groups/", "groups")
    j.click("link", "Cambridge Road Youth Club", "the group I lead")
    j.click("link", "Safe routes home", "a member's draft")
    j.click("button", "Submit to the partnership", "submitted")
    j.banner("Submitted")
    j.page.get_by_label("Your message").fill("When can we meet to plan this?")
    j.click("button", "Send message", "a message in the thread")
    j.banner("Message sent")


def partner(j: Journey) -> None:
    j.sign_in("partner@example.com")
    j.start("/plan/", "the plan")
    j.click("link", "Ward panels set local priorities every quarter", "an action we lead")
    j.click("button", "Add a progress update", "the update form")
    j.page.get_by_label("What has happened").fill("Panels met in all 19 wards this quarter.")
    j.click("button", "Add update", "the action again")
    j.banner("Update added")


def moderator(j: Journey) -> None:
    j.sign_in("moderator@example.com")
    j.start("/moderation/", "the queue")
    j.click("link", "Could it open on Saturdays too?", "a held comment")
    j.click("button", "Publish", "published", exact=True)


def officer(j: Journey) -> None:
    j.sign_in("officer@example.com")
    j.start("/manage/consultations/", "consultations to manage")
    j.click("link", "Feeling safe in Kingston town centre at night", "one to manage")
    j.click("button", "Close now", "what closing does")
    j.click("button", "Close it now", "closed")
    j.banner("Consultation closed")


def admin(j: Journey) -> None:
    j.sign_in("admin@example.com")
    j.start("/admin/users/", "people")
    j.page.get_by_label("Search by email or name").fill("partner@example.com")
    j.click("button", "Search", "found", within="main")
    j.click("link", "partner@example.com", "one person")
    j.page.get_by_label("Organisation").select_option("council")
    j.click("button", "Save role and organisation", "saved")
    j.banner("Organisation changed to")


#: In this order: the officer closes the survey the resident answers, so the resident goes
#: first; the moderator publishes what the demo held.
JOURNEYS = [
    ("visitor", visitor),
    ("resident", resident),
    ("youth", youth),
    ("group_leader", group_leader),
    ("partner", partner),
    ("moderator", moderator),
    ("officer", officer),
    ("admin", admin),
]


def test_every_role_walks_its_first_journey_on_the_demo(browser, live_app, framework):
    with live_app.app_context():
        for _line in load_demo():
            pass
    for role, walk in JOURNEYS:
        journey = Journey(browser, live_app, role)
        try:
            walk(journey)
        finally:
            journey.close()
