"""Every page, as each kind of person sees it, passes axe's WCAG 2.2 AA rules.

Each role signs in through the real form, then visits the pages in PAGES plus every
link found in the navigation and footer of the pages it sees (so a new menu item is
checked without editing this file). Pages a role may not see are checked too: they
answer with the sign-in page or the "forbidden" page, which must be accessible as well.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from community.accounts.models import Role
from community.audit.service import record
from community.extensions import db
from community.framework.models import Term
from community.models_base import utcnow
from community.notifications.models import OutboxMessage, OutboxStatus
from tests.e2e.helpers import sign_in
from tests.support.axe import assert_accessible
from tests.support.factories import HOSTILE_NAME, HOSTILE_TEXT, PASSWORD, make_user

pytestmark = pytest.mark.e2e

ROLES = ["visitor", "resident", "youth", "officer", "admin"]

PUBLIC = [
    "/",
    "/framework/",
    "/framework/principle",
    "/framework/five_c",
    "/framework/prevention",
    "/framework/issue",
    "/privacy",
    "/accessibility",
    "/cookies",
    "/sign-in",
    "/register",
    "/register/check-your-email",
    "/password/forgot",
    "/verify/resend",
    "/open-data",
    "/no-such-page",
]
ACCOUNT = ["/account", "/account/profile", "/account/password"]
FRAMEWORK_ADMIN = [
    "/admin/framework/",
    "/admin/framework/issue/new",
    "/admin/framework/terms/{term_id}/edit",
]
ADMIN_ONLY = [
    "/admin/users/",
    "/admin/users/?page=2",
    "/admin/users/{resident_id}",
    "/admin/users/{youth_id}",
    "/admin/audit/",
    "/admin/mail/",
    "/admin/mail/?status=sent",
    "/admin/api-tokens/",
    "/admin/api-tokens/new",
]


def expected(role: str, path: str) -> tuple[int, str | None]:
    """(status, path landed on when redirected) for ``role`` opening ``path``."""
    signed_in = role != "visitor"
    if path == "/no-such-page":
        return 404, None
    if path in ("/sign-in", "/register") and signed_in:
        return 200, "/account"
    if path in ACCOUNT or path.startswith("/admin/"):
        if not signed_in:
            return 200, "/sign-in"
        if path.startswith("/admin/framework/") and role in ("officer", "admin"):
            return 200, None
        if path.startswith("/admin/") and role != "admin":
            return 403, None
    return 200, None


@pytest.fixture
def site(app, users, framework):
    """Users of every role (more than one page of them), the framework, mail and audit."""
    with app.app_context():
        for _ in range(26):  # more than one page of people
            make_user(Role.RESIDENT, commit=False)
        db.session.add_all(
            [
                OutboxMessage(
                    idempotency_key=f"e2e-{status.value}",
                    template="verify_email",
                    to_address=users["resident"].email,
                    subject=HOSTILE_NAME,
                    text_body=HOSTILE_TEXT,
                    html_body=HOSTILE_TEXT,
                    status=status,
                    attempts=6 if status == OutboxStatus.FAILED else 1,
                    last_error="SendGrid answered 503" if status == OutboxStatus.FAILED else None,
                    sent_at=utcnow() if status == OutboxStatus.SENT else None,
                )
                for status in (OutboxStatus.FAILED, OutboxStatus.SENT)
            ]
        )
        record(
            "user.role_changed",
            "user",
            users["resident"].id,
            actor=users["admin"],
            note=HOSTILE_TEXT[:200],
        )
        db.session.commit()
        term_id = db.session.scalar(select(Term.id).order_by(Term.id))
    return {
        "term_id": term_id,
        "resident_id": users["resident"].id,
        "youth_id": users["youth"].id,
    }


def links_in_menus(page) -> set[str]:
    """Local GET links in the service navigation and the footer."""
    hrefs = page.locator(".govuk-service-navigation a[href], .govuk-footer a[href]").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    return {h for h in hrefs if h.startswith("/") and not h.startswith("//")}


def visit(page, live_app, role: str, path: str) -> str:
    response = page.goto(path)
    assert response is not None, path
    status, landing = expected(role, path)
    where = urlsplit(page.url)
    assert response.status == status, f"{role} {path}: {response.status} at {page.url}"
    if landing:
        assert where.path == landing, f"{role} {path} landed on {page.url}"
    # One h1, and the page title starts with it (WCAG 2.4.2: titles describe the page).
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_count(1)
    expect(page).to_have_title(f"{heading.inner_text()} – {live_app.config['PARTNERSHIP_NAME']}")
    assert_accessible(page, f"{path} as {role} (at {where.path}, {response.status})")
    return f"{path} -> {response.status}" + (f" {where.path}" if landing else "")


@pytest.mark.parametrize("role", ROLES)
def test_every_page_is_accessible_for(role, page, live_app, users, site, record_property):
    checked = []
    if role != "visitor":
        sign_in(page, users[role].email)
        expect(page).to_have_url(live_app.url + "/account")
        assert_accessible(page, f"account page after signing in as {role}")
        checked.append("/sign-in (form) -> /account")

    wanted = PUBLIC + ACCOUNT + FRAMEWORK_ADMIN + ADMIN_ONLY
    queue = [path.format(**site) for path in wanted]
    seen = set(queue)
    while queue:
        path = queue.pop(0)
        checked.append(visit(page, live_app, role, path))
        for link in sorted(links_in_menus(page) - seen):
            seen.add(link)
            queue.append(link)

    # The menus hold what this role may use, and only that.
    page.goto("/")
    assert_accessible(page, f"home page as {role}")
    menu = links_in_menus(page)
    assert ("/admin/users/" in menu) == (role == "admin"), menu
    assert ("/admin/framework/" in menu) == (role in ("officer", "admin")), menu
    assert ("/account" in menu) == (role != "visitor"), menu
    record_property("pages_checked", checked)
    print(f"\n{role}: {len(checked)} pages checked")
    for line in checked:
        print(f"  {line}")


def test_signing_in_and_out_works_without_javascript(
    no_js_page, assert_accessible_without_js, live_app, users
):
    page = no_js_page
    assert_accessible = assert_accessible_without_js
    page.goto("/sign-in")
    assert page.evaluate("document.body.classList.contains('js-enabled')") is False
    assert_accessible(page, "sign-in page without JavaScript")
    # A wrong password shows the error summary, rendered by the server.
    page.get_by_label("Email address").fill(users["resident"].email)
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Sign in", exact=True).click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a correct email address and password")
    assert_accessible(page, "sign-in error without JavaScript")
    # The right one signs in; the navigation (no menu button without JS) signs out.
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(live_app.url + "/account")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    assert_accessible(page, "account page without JavaScript")
    sign_out = page.get_by_role("navigation", name="Menu").get_by_role("button", name="Sign out")
    expect(sign_out).to_be_visible()
    sign_out.click()
    expect(page).to_have_url(live_app.url + "/")
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    assert_accessible(page, "home page without JavaScript")
