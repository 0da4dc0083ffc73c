"""Steps the browser tests share."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.support.axe import assert_accessible
from tests.support.factories import PASSWORD


def sign_in(page, email_address: str, password: str = PASSWORD) -> None:
    """Open the sign-in page (checked with axe), sign in through the real form by label."""
    page.goto("/sign-in")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert_accessible(page)
    page.get_by_label("Email address").fill(email_address)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_load_state("load")


def tab_to(page, target, limit: int = 8) -> None:
    """Press Tab until ``target`` has focus: proves it is reachable in this order."""
    for _ in range(limit):
        if target.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    expect(target).to_be_focused()


def verify_and_sign_in(page, live_app, email_address: str, password: str) -> None:
    """Follow the link in the verification mail, then sign in on the page it leads to."""
    link = live_app.link_in_latest_mail(email_address)
    assert "/verify/" in link, link
    page.goto(link)
    expect(page).to_have_url(live_app.url + "/sign-in")
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text("Your email address is confirmed. You can now sign in.")
    assert_accessible(page)
    page.get_by_label("Email address").fill(email_address)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(live_app.url + "/account")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    assert_accessible(page)
