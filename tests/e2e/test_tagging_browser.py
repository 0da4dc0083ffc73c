"""In a real browser: the tagging pages pass axe (WCAG 2.2 AA), and coding works by keyboard,
with the shortcuts of tagging.js and without JavaScript at all.

Uses the session's one browser (tests/e2e/conftest.py): a second Playwright in the
same process would clash with it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from community.accounts.models import Role
from community.extensions import db
from community.tagging.models import Tag
from tests.support.axe import assert_accessible, preload_axe
from tests.support.factories import PASSWORD, make_user
from tests.support.live_server import LiveServer
from tests.tagging.conftest import add_tag, setting, term_key  # noqa: F401 (fixture)

pytestmark = pytest.mark.e2e


@pytest.fixture
def live(make_app):
    app = make_app(WTF_CSRF_ENABLED=True, JOBS_MODE="off")
    with LiveServer(app) as server:
        yield app, server.url
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _signed_in(browser, url, email, *, javascript=True):
    context = browser.new_context(base_url=url, java_script_enabled=javascript)
    context.set_default_timeout(10_000)
    preload_axe(context)
    page = context.new_page()
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_load_state("load")
    return page


def test_every_tagging_page_passes_axe(app, browser, live, setting, users):
    with app.app_context():
        officer = make_user(Role.OFFICER, email="coder@example.com")
        add_tag(setting.published[0], term_key("PH1"), officer.id, pinned=True)
        db.session.commit()
    _, url = live
    page = _signed_in(browser, url, "coder@example.com")
    c = setting.consultation
    for path in (
        "/tagging/",
        f"/tagging/{c}/",
        f"/tagging/{c}/contributions/{setting.published[0]}",
        f"/tagging/{c}/contributions",
        f"/tagging/{c}/themes",
        f"/tagging/{c}/rounds",
        f"/tagging/{c}/analysis",
        f"/tagging/{c}/report",
    ):
        page.goto(path)
        assert_accessible(page, path)


def test_keyboard_shortcuts_tick_save_and_move_on(app, browser, live, setting):
    with app.app_context():
        make_user(Role.OFFICER, email="coder@example.com")
        first_two = [term_key("PH1"), term_key("PH2")]
    _, url = live
    page = _signed_in(browser, url, "coder@example.com")
    c = setting.consultation
    page.goto(f"/tagging/{c}/contributions/{setting.published[0]}")
    assert page.locator("[data-tagging-help]").is_visible()
    page.keyboard.press("1")
    page.keyboard.press("2")
    page.keyboard.press("2")  # and untick it again
    assert page.locator(f"#code-{first_two[0]}").is_checked()
    assert not page.locator(f"#code-{first_two[1]}").is_checked()
    page.keyboard.press("s")  # save and go to the next
    page.wait_for_url(f"**/contributions/{setting.published[1]}")
    assert "Contribution 2 of 5" in page.content()
    page.keyboard.press("k")
    page.wait_for_url(f"**/contributions/{setting.published[0]}")
    page.keyboard.press("j")
    page.wait_for_url(f"**/contributions/{setting.published[1]}")
    with app.app_context():
        keys = {t.key for t in db.session.scalars(select(Tag))}
        assert keys == {first_two[0]}
    # Single-key shortcuts can be turned off (WCAG 2.1.4), and stay off on the next page.
    page.get_by_label("Use these keyboard shortcuts").uncheck()
    page.keyboard.press("1")
    assert not page.locator(f"#code-{first_two[0]}").is_checked()
    page.reload()
    assert not page.get_by_label("Use these keyboard shortcuts").is_checked()
    page.keyboard.press("j")
    assert page.url.endswith(f"/contributions/{setting.published[1]}")


def test_without_javascript_tab_space_and_enter_are_enough(app, browser, live, setting):
    with app.app_context():
        make_user(Role.OFFICER, email="coder@example.com")
        key = term_key("PH1")
    _, url = live
    page = _signed_in(browser, url, "coder@example.com", javascript=False)
    page.goto(f"/tagging/{setting.consultation}/contributions/{setting.published[0]}")
    assert not page.locator("[data-tagging-help]").is_visible()
    box = page.locator(f"#code-{key}")
    for _ in range(80):  # tab through the page until the first code has focus
        if box.evaluate("el => el === document.activeElement"):
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Space")
    page.keyboard.press("Enter")  # submits with the first button: save and go to the next
    page.wait_for_url(f"**/contributions/{setting.published[1]}")
    with app.app_context():
        assert {t.key for t in db.session.scalars(select(Tag))} == {key}


def test_an_officer_accepts_a_suggestion_and_downloads_the_spreadsheet(app, browser, live, setting):

    import io

    from openpyxl import load_workbook

    with app.app_context():
        make_user(Role.OFFICER, email="coder@example.com")
    _, url = live
    page = _signed_in(browser, url, "coder@example.com")
    c = setting.consultation
    page.goto(f"/tagging/{c}/contributions/{setting.published[2]}")  # speeding cars: road safety
    assert_accessible(page, "reading view with suggestions")
    accept = page.locator("button[name=decision][value=accept]").first
    accept.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page, "after accepting")
    with app.app_context():
        sources = {t.source.value for t in db.session.scalars(select(Tag))}
    assert sources == {"suggestion"}
    page.goto(f"/tagging/{c}/")
    assert_accessible(page, "overview")
    with page.expect_download() as download:
        page.get_by_role("link", name="Contributions and their codes (Excel)").click()
    with open(download.value.path(), "rb") as fh:  # the saved file has no .xlsx suffix
        sheet = load_workbook(io.BytesIO(fh.read())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) >= 2 and any("speeding" in str(cell).lower() for row in rows for cell in row)
