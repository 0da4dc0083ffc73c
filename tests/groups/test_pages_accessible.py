"""Every group and project page, as each kind of person sees it, passes axe's WCAG 2.2 AA
rules in Chromium, and its title starts with its one h1 (errors included)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import expect

from community.extensions import db
from community.groups.models import GroupStatus, ProjectMessage, ProjectStage, ProjectUpdate
from tests.e2e.conftest import LAUNCH_ARGS, TIMEOUT_MS, live_app  # noqa: F401  (a fixture)
from tests.e2e.helpers import sign_in
from tests.groups.factories import add_member, make_group, make_project
from tests.support.axe import assert_accessible, preload_axe
from tests.support.env import CHROMIUM, chromium_available, require
from tests.support.factories import HOSTILE_TEXT

pytestmark = pytest.mark.e2e


@pytest.fixture
def site(app, users, framework):
    with app.app_context():
        group = make_group(users["group_leader"])
        add_member(group, users["youth"])
        draft = make_project(group, users["youth"])
        public = make_project(group, users["youth"], stage=ProjectStage.CO_DESIGN)
        public.status = "published"
        public.mentor_id = users["officer"].id
        db.session.add_all(
            [
                ProjectUpdate(
                    project_id=public.id,
                    author_id=users["officer"].id,
                    from_stage=ProjectStage.PROPOSED,
                    to_stage=ProjectStage.CO_DESIGN,
                    note=HOSTILE_TEXT[:200],
                ),
                ProjectMessage(
                    project_id=public.id, author_id=users["officer"].id, body=HOSTILE_TEXT[:200]
                ),
            ]
        )
        db.session.commit()
        application = make_group(users["resident"], status=GroupStatus.PENDING, name="Applied")
        return {
            "group": group.id,
            "draft": draft.id,
            "public": public.id,
            "application": application.id,
        }


PAGES = {
    "visitor": ["/groups/", "/groups/{group}", "/projects/{public}"],
    "youth": [
        "/groups/",
        "/groups/join",
        "/groups/join?code=ABCD-2345",
        "/groups/{group}",
        "/groups/{group}/projects/new",
        "/projects/{draft}",
        "/projects/{draft}/edit",
        "/projects/{public}",
    ],
    "group_leader": [
        "/groups/{group}",
        "/groups/{group}/members",
        "/projects/{draft}",
        "/projects/{public}",
    ],
    "resident": ["/groups/apply", "/groups/{application}"],
    "officer": [
        "/manage/groups/",
        "/manage/groups/{application}",
        "/manage/projects/{public}/move",
        "/projects/{public}",
    ],
}
#: A form sent empty, to check its error summary too.
EMPTY_FORMS = {
    "youth": ["/groups/join", "/groups/{group}/projects/new"],
    "resident": ["/groups/apply"],
    "officer": ["/manage/projects/{public}/move"],
}


def _check(tab, server, label: str) -> None:
    heading = tab.get_by_role("heading", level=1)
    expect(heading).to_have_count(1)
    title = tab.title()
    assert title.endswith(f"{heading.inner_text()} – {server.config['PARTNERSHIP_NAME']}"), title
    assert_accessible(tab, label)


def in_browser(url: str, work) -> None:
    """Run ``work(page)`` in Chromium, in a thread of its own: other browser tests in the
    suite keep a Playwright running in this thread, and a thread can have only one."""
    require(chromium_available(), "Chromium")

    def run():
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS
            )
            try:
                context = browser.new_context(base_url=url, viewport={"width": 1280, "height": 900})
                context.set_default_timeout(TIMEOUT_MS)
                preload_axe(context)
                expect.set_options(timeout=TIMEOUT_MS)
                work(context.new_page())
            finally:
                browser.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(run).result()


@pytest.mark.parametrize("role", list(PAGES))
def test_group_pages_are_accessible_for(role, live_app, users, site):  # noqa: F811
    def work(page):
        if role != "visitor":
            sign_in(page, users[role].email)
        for path in PAGES[role]:
            url = path.format(**site)
            response = page.goto(url)
            assert response is not None and response.status == 200, f"{role} {url}"
            _check(page, live_app, f"{url} as {role}")
        for path in EMPTY_FORMS.get(role, []):
            page.goto(path.format(**site))
            page.locator("main form button[type=submit]").last.click()
            page.wait_for_load_state("load")
            expect(page.locator(".govuk-error-summary")).to_be_visible()
            _check(page, live_app, f"{path} sent empty as {role}")

    in_browser(live_app.url, work)
