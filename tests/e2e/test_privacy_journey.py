"""In Chromium: the privacy pages pass axe (WCAG 2.2 AA), errors included, and a person
withdraws a consent and deletes their account through them."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from community.accounts.models import User
from community.extensions import db
from community.surveys.models import AboutYouAnswer, Response
from tests.e2e.helpers import sign_in
from tests.privacy.conftest import PERSON_EMAIL, world  # noqa: F401  (a fixture)
from tests.support.axe import assert_accessible
from tests.support.factories import PASSWORD

pytestmark = pytest.mark.e2e


def _check(tab, server, label: str) -> None:
    """One h1, the title starting with it, and no axe violations."""
    heading = tab.get_by_role("heading", level=1)
    expect(heading).to_have_count(1)
    title = tab.title()
    assert title.endswith(f"{heading.inner_text()} – {server.config['PARTNERSHIP_NAME']}") or (
        title.startswith("Error: ")
    ), title
    assert_accessible(tab, label)


def test_a_person_withdraws_a_consent_and_deletes_their_account(page, live_app, world):  # noqa: F811
    sign_in(page, PERSON_EMAIL)
    _check(page, live_app, "the account page, signed in")
    for path in ("/privacy", "/account", "/account/your-data", "/account/consents"):
        assert page.goto(path).status == 200, path
        _check(page, live_app, path)

    # Withdraw the special-category consent: its answers go at once.
    card = page.locator(".govuk-summary-card").filter(
        has_text="Use my answers about ethnicity and disability"
    )
    card.get_by_role("button", name="Withdraw").click()
    page.wait_for_load_state("load")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "You have withdrawn your consent"
    )
    _check(page, live_app, "consents after withdrawing")
    with live_app.app_context():
        keys = set(
            db.session.scalars(
                select(AboutYouAnswer.key)
                .join(Response, Response.id == AboutYouAnswer.response_id)
                .where(Response.user_id == world.person)
            )
        )
        assert keys == {"age_band", "ward"}

    page.goto("/account/delete")
    _check(page, live_app, "/account/delete")
    page.get_by_role("button", name="Delete my account").click()
    page.wait_for_load_state("load")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    _check(page, live_app, "/account/delete sent empty")

    page.get_by_label("Withdraw it: nobody will see it again").check()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("I understand that this cannot be undone").check()
    page.get_by_role("button", name="Delete my account").click()
    page.wait_for_load_state("load")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account has been deleted")
    _check(page, live_app, "/account/deleted")
    with live_app.app_context():
        assert db.session.get(User, world.person).is_erased


def test_the_admin_erasure_page_is_accessible(page, live_app, world, users):  # noqa: F811
    sign_in(page, users["admin"].email)
    _check(page, live_app, "signed in")
    page.goto(f"/admin/users/{world.person}")
    _check(page, live_app, "the person's admin page")
    page.get_by_role("link", name="Erase their data").click()
    page.wait_for_load_state("load")
    _check(page, live_app, "the erasure page")
    page.get_by_role("button", name="Erase this person").click()
    page.wait_for_load_state("load")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    _check(page, live_app, "the erasure page sent empty")
