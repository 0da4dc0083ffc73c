"""Browser fixtures: one headless Chromium per session, the app served live per test,
a fresh browser context per test, and the mail the app sent, read from .eml files.

Every document a test's page loads must be checked with ``assert_accessible``: the
``page`` fixture records each load and fails the test if one was never checked.
"""

from __future__ import annotations

import email
import re
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from community.extensions import db
from tests.support.axe import preload_axe
from tests.support.env import CHROMIUM, chromium_available, require
from tests.support.live_server import LiveServer

LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Playwright's default timeouts are 30 s; a page here answers in well under one.
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright (never a downloaded browser)."""
    require(chromium_available(), "Chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS
        )
        yield browser
        browser.close()


class LiveApp:
    """The variant app, served on a loopback port; anything else is the Flask app's."""

    def __init__(self, app, url: str, mail_dir: Path) -> None:
        self.app = app
        self.url = url
        self.mail_dir = mail_dir

    def __getattr__(self, name):
        return getattr(self.app, name)

    def deliver_mail(self) -> int:
        """Deliver every pending mail (the worker's job) to .eml files; how many were sent."""
        from community.notifications.service import deliver_due

        with self.app.app_context():
            report = deliver_due()
            db.session.remove()
        return report.sent

    def mails_to(self, address: str) -> list[EmailMessage]:
        """Every delivered mail to ``address``, oldest first (files are named by outbox id)."""
        found = []
        for path in sorted(self.mail_dir.glob("*.eml")):
            message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
            if message["To"].strip().lower() == address.strip().lower():
                found.append(message)
        return found

    def latest_mail(self, address: str) -> EmailMessage:
        """Deliver what is due, then the newest mail to ``address``."""
        self.deliver_mail()
        mails = self.mails_to(address)
        assert mails, f"no mail to {address} in {self.mail_dir}: {sorted(self.mail_dir.glob('*'))}"
        return mails[-1]

    def link_in_latest_mail(self, address: str) -> str:
        """The first link to this live server in the text part of the newest mail."""
        text = self.latest_mail(address).get_body(preferencelist=("plain",)).get_content()
        match = re.search(re.escape(self.url) + r"/[^\s<>\"']*", text)
        assert match, f"no link to {self.url} in the mail:\n{text}"
        return match.group(0).rstrip(".,)")


@pytest.fixture
def live_app(make_app, tmp_path):
    """The app with CSRF on and file mail, served on a free 127.0.0.1 port."""
    mail_dir = tmp_path / "mail"
    app = make_app(
        WTF_CSRF_ENABLED=True,
        MAIL_BACKEND="file",
        JOBS_MODE="off",
        MAIL_FILE_DIR=str(mail_dir),
    )
    with LiveServer(app) as server:
        yield LiveApp(app, server.url, mail_dir)
    # Let the per-test cleanup truncate tables without waiting on this app's connections.
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _new_context(browser, live_app, **options):
    context = browser.new_context(
        base_url=live_app.url, viewport={"width": 1280, "height": 900}, **options
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    preload_axe(context)
    return context


def _track_loads(context, page) -> dict[str, str]:
    """Record every document the page loads (its time origin and address)."""
    loads: dict[str, str] = {}
    context.expose_binding(
        "__e2eLoaded", lambda source, origin, url: loads.__setitem__(origin, url)
    )
    context.add_init_script(
        "window.addEventListener('load', () =>"
        " window.__e2eLoaded(String(performance.timeOrigin), location.href));"
    )
    page._axe_checked = set()
    return loads


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can see if the test passed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(browser, live_app, request):
    """A page in a fresh browser context; fails a passing test if a loaded page skipped axe."""
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context = _new_context(browser, live_app)
    page = context.new_page()
    loads = _track_loads(context, page)
    yield page
    passed = (
        getattr(request.node, "report_call", None) is not None and request.node.report_call.passed
    )
    if passed:
        page.evaluate("1")  # a round trip, so every load notice has arrived
    context.close()
    missed = sorted(url for origin, url in loads.items() if origin not in page._axe_checked)
    if passed and missed:
        pytest.fail(f"pages loaded but never checked with axe: {missed}", pytrace=False)


@pytest.fixture
def no_js_page(browser, live_app):
    """A page in a context with JavaScript turned off (axe cannot run in it)."""
    context = _new_context(browser, live_app, java_script_enabled=False)
    page = context.new_page()
    page._javascript_disabled = True
    yield page
    context.close()


@pytest.fixture
def assert_accessible_without_js(browser, live_app):
    """Check a JavaScript-off page with axe, from a snapshot of its HTML.

    The snapshot is served at the live server's address (so the stylesheet loads)
    to a page where JavaScript runs, for axe, but every script of the site is
    blocked, so it looks as it does with JavaScript off (no ``js-enabled`` class).
    """
    context = _new_context(browser, live_app)
    checker = context.new_page()
    snapshot = {"html": ""}
    context.route(
        f"{live_app.url}/__no_js_snapshot",
        lambda route: route.fulfill(
            status=200, content_type="text/html; charset=utf-8", body=snapshot["html"]
        ),
    )
    context.route(re.compile(r".*\.m?js(\?.*)?$"), lambda route: route.abort())

    def check(page, label: str | None = None) -> None:
        from tests.support.axe import assert_accessible

        snapshot["html"] = page.content()
        checker.goto("/__no_js_snapshot")
        assert checker.evaluate("document.body.className") == page.evaluate(
            "document.body.className"
        ), "the snapshot should look as the page does without JavaScript"
        assert_accessible(checker, f"{label or page.url} (without JavaScript)")

    yield check
    context.close()
