"""A new person's first visit, in a real browser: register, confirm, sign in, sign out.

Every page on the way is checked with axe (WCAG 2.2 AA rules), including the form's
error state, and the registration form is filled in with the keyboard.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import tab_to, verify_and_sign_in
from tests.support.axe import assert_accessible

pytestmark = pytest.mark.e2e

SHOTS = Path(os.environ.get("E2E_SHOTS_DIR", "/tmp/e2e-shots"))
PASSWORD = "a long enough password"
ERRORS = {
    "email": "Enter your email address",
    "display_name": "Enter a display name",
    "age_band": "Select your age",
    "password": "Enter a password",
    "confirm_password": "Confirm your password",
}


def screenshot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def nav(page):
    return page.get_by_role("navigation", name="Menu")


def age_question(page):
    """The age radios, found by their fieldset's legend (the question)."""
    return page.get_by_role("group", name="How old are you?")


def check_error_summary(page) -> None:
    """The GOV.UK error summary: titled, focused, one link per field that focuses it."""
    expect(page).to_have_title("Error: Create an account – Safer Kingston Partnership")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    # GOV.UK Frontend moves focus to the summary so screen readers announce it.
    expect(summary).to_be_focused()
    screenshot(page, "register-errors")
    links = summary.get_by_role("link")
    expect(links).to_have_text(list(ERRORS.values()))
    for field, message in ERRORS.items():
        link = summary.get_by_role("link", name=message)
        expect(link).to_have_attribute("href", f"#{field}")
        # The link's target exists and is a control of that field.
        target = page.locator(f"[id='{field}']")
        expect(target).to_have_count(1)
        assert target.evaluate("el => el.tagName") == "INPUT", field
        assert target.get_attribute("name") == field
        # Each field shows its own message too, prefixed "Error:" for screen readers.
        expect(page.locator(f"#{field}-error")).to_have_text(f"Error: {message}")
    assert_accessible(page, "registration form with errors")
    # Following a summary link by keyboard focuses its field (the first radio for the age).
    page.keyboard.press("Tab")
    expect(summary.get_by_role("link", name=ERRORS["email"])).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Email address")).to_be_focused()
    summary.get_by_role("link", name=ERRORS["age_band"]).click()
    expect(age_question(page).get_by_role("radio", name="Under 13")).to_be_focused()


def fill_registration_by_keyboard(page, email: str, name: str, band: str) -> None:
    keyboard = page.keyboard
    email_input = page.get_by_label("Email address")
    email_input.focus()
    keyboard.type(email)
    tab_to(page, page.get_by_label("Display name"))
    keyboard.type(name)
    # Tab enters the radio group on its first option; the arrow keys choose.
    keyboard.press("Tab")
    expect(age_question(page).get_by_role("radio", name="Under 13")).to_be_focused()
    wanted = age_question(page).get_by_role("radio", name=band, exact=True)
    for _ in range(10):
        if wanted.is_checked():
            break
        keyboard.press("ArrowDown")
    expect(wanted).to_be_checked()
    expect(wanted).to_be_focused()
    tab_to(page, page.get_by_label("Create a password"))
    keyboard.type(PASSWORD)
    tab_to(page, page.get_by_label("Confirm your password"))
    keyboard.type(PASSWORD)
    submit = page.get_by_role("button", name="Create account")
    tab_to(page, submit)
    keyboard.press("Enter")


def test_a_new_resident_registers_confirms_signs_in_and_out(page, live_app):
    # The home page.
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Have your say on community safety")
    assert_accessible(page, "home page")
    screenshot(page, "home")

    # The first Tab reaches the skip link, which moves focus to the main content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main#main-content")).to_be_focused()

    # "Create an account" in the navigation, followed with the keyboard.
    link = nav(page).get_by_role("link", name="Create an account")
    link.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_app.url + "/register")
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    assert_accessible(page, "registration form")

    # Sent empty, the form says what is wrong.
    page.get_by_role("button", name="Create account").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    check_error_summary(page)

    # Filled in by keyboard.
    email = "Sam.Resident@Example.com"
    name = "Sam <b>O'Brien</b> 🚲"
    fill_registration_by_keyboard(page, email, name, "35 to 44")
    expect(page).to_have_url(live_app.url + "/register/check-your-email")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(page.get_by_text("We have sent an email to sam.resident@example.com.")).to_be_visible()
    assert_accessible(page, "check your email")

    # The link in the mail confirms the address; then sign in.
    verify_and_sign_in(page, live_app, "sam.resident@example.com", PASSWORD)
    details = page.locator(".govuk-summary-list")
    expect(details).to_contain_text(name)  # shown as text, not markup
    expect(details).to_contain_text("35 to 44")
    expect(details).to_contain_text("Resident")
    expect(page.get_by_text("your name is never shown")).to_have_count(0)

    # Sign out with the button in the navigation.
    nav(page).get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(live_app.url + "/")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "You have signed out."
    )
    expect(nav(page).get_by_role("link", name="Sign in")).to_be_visible()
    expect(nav(page).get_by_role("link", name="Your account")).to_have_count(0)
    expect(nav(page).get_by_role("button", name="Sign out")).to_have_count(0)
    assert_accessible(page, "home page after signing out")

    # Signed out means signed out: the account page asks to sign in again.
    page.goto("/account")
    expect(page).to_have_url(live_app.url + "/sign-in?next=%2Faccount")
    assert_accessible(page, "sign-in page after signing out")


@pytest.mark.parametrize("band", ["13 to 15", "16 or 17"])
def test_a_young_person_is_told_their_name_is_never_shown(page, live_app, band):
    page.goto("/register")
    assert_accessible(page, "registration form")
    page.get_by_label("Email address").fill("young.person@example.com")
    page.get_by_label("Display name").fill("Jo")
    age_question(page).get_by_role("radio", name=band, exact=True).check()
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Confirm your password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert_accessible(page, "check your email")

    verify_and_sign_in(page, live_app, "young.person@example.com", PASSWORD)
    expect(page.locator(".govuk-inset-text")).to_contain_text(
        "your name is never shown to anyone else"
    )
    details = page.locator(".govuk-summary-list")
    expect(details).to_contain_text("Youth member")
    expect(details).to_contain_text(band)
