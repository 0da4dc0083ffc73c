"""Moderation in a real browser: a phone number held, redacted and published; a report.

A resident answers a survey by keyboard and writes a phone number; the automatic checks
hold the answer. A moderator finds it from the navigation, filters the queue by reason,
sees why it was held and how it would read redacted, and publishes it redacted. Another
resident reports a published contribution, choosing the reason by keyboard. Every page
on the way is checked with axe (WCAG 2.2 AA rules).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from community.accounts.models import Role
from community.contributions.models import Contribution, ContributionStatus
from community.extensions import db
from community.moderation.models import Action, Decision, Report, ReportReason
from tests.e2e.helpers import sign_in, tab_to
from tests.support.axe import assert_accessible
from tests.support.factories import make_consultation, make_contribution, make_survey, make_user

pytestmark = pytest.mark.e2e

QUESTION = "What would make your street feel safer?"
PHONE = "07700 900123"
ANSWER = f"More lighting by the underpass, and call me on {PHONE} if you want to know more."
REDACTED = "More lighting by the underpass, and call me on [removed] if you want to know more."


def nav(page):
    return page.get_by_role("navigation", name="Menu")


def h1(page):
    return page.get_by_role("heading", level=1)


def skip_to_main(page) -> None:
    """The first Tab reaches the skip link; Enter moves focus to the main content.

    After a form posted from a page reached by the skip link, the browser keeps the
    ``#main-content`` fragment through the redirect, so the next page starts there.
    """
    if page.url.endswith("#main-content"):
        page.locator("main#main-content").focus()
        return
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main#main-content")).to_be_focused()


def sign_out(page, live_app) -> None:
    nav(page).get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(live_app.url + "/")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "You have signed out."
    )
    assert_accessible(page, "home page after signing out")


def sign_in_to_account(page, live_app, email: str) -> None:
    sign_in(page, email)
    expect(page).to_have_url(live_app.url + "/account")
    expect(h1(page)).to_have_text("Your account")
    assert_accessible(page, f"account page of {email}")


def status_count(page, label: str):
    """The number cell of one row of the public log's status table."""
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=label, exact=True))
    return row.get_by_role("cell")


@pytest.fixture
def survey_site(live_app, users):
    """An open consultation with a one-question survey, and an unrelated held contribution."""
    with live_app.app_context():
        consultation = make_consultation()
        survey = make_survey(
            consultation,
            [("Your street", [{"kind": "long_text", "text": QUESTION, "required": True}])],
        )
        other = make_consultation(title="Parks after dark")
        make_contribution(other, body="Write to me at someone@example.com", hold_reasons=["email"])
        site = {
            "slug": consultation.slug,
            "consultation_id": consultation.id,
            "title": consultation.title,
            "survey_title": survey.title,
        }
        db.session.remove()
    return site


def answer_survey_by_keyboard(page, live_app, site) -> None:
    """From the consultation page to the confirmation, with Tab, typing and Enter only."""
    page.goto("/consultations/")
    expect(h1(page)).to_be_visible()
    assert_accessible(page, "consultations list")
    page.get_by_role("link", name=site["title"]).focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_app.url + f"/consultations/{site['slug']}")
    expect(h1(page)).to_have_text(site["title"])
    assert_accessible(page, "consultation page")

    page.get_by_role("link", name=site["survey_title"]).focus()
    page.keyboard.press("Enter")
    expect(h1(page)).to_contain_text(site["survey_title"])
    assert_accessible(page, "survey start page")
    skip_to_main(page)
    start = page.get_by_role("button", name="Start now")
    tab_to(page, start)
    page.keyboard.press("Enter")

    expect(h1(page)).to_have_text("Your street")
    assert_accessible(page, "survey section")
    skip_to_main(page)
    answer = page.get_by_label(QUESTION)
    tab_to(page, answer)
    page.keyboard.type(ANSWER)
    expect(answer).to_have_value(ANSWER)
    tab_to(page, page.get_by_role("button", name="Continue"))
    page.keyboard.press("Enter")

    expect(h1(page)).to_have_text("Check your answers before sending them")
    expect(page.locator(".govuk-summary-list")).to_contain_text(ANSWER)
    assert_accessible(page, "check your answers")
    skip_to_main(page)
    send = page.get_by_role("button", name="Send your response")
    tab_to(page, send)
    page.keyboard.press("Enter")

    expect(page.locator(".govuk-panel")).to_contain_text("Response sent")
    expect(page.locator(".govuk-panel")).to_contain_text("Your reference")
    assert_accessible(page, "response sent")


def test_a_phone_number_is_held_then_published_redacted(page, live_app, users, survey_site):
    site = survey_site
    resident = users["resident"]

    # A resident answers by keyboard; the phone number holds the answer back.
    sign_in_to_account(page, live_app, resident.email)
    answer_survey_by_keyboard(page, live_app, site)
    with live_app.app_context():
        held = db.session.scalars(
            select(Contribution).where(Contribution.consultation_id == site["consultation_id"])
        ).all()
        assert len(held) == 1
        assert held[0].body == ANSWER
        assert held[0].status == ContributionStatus.PENDING
        assert held[0].published_at is None
        assert held[0].hold_reasons == ["phone"]
        assert held[0].author_id == resident.id
        contribution_id = held[0].id
        db.session.remove()

    # The public log counts it as waiting, and shows nothing of what it says.
    page.goto(f"/consultations/{site['slug']}/moderation")
    expect(h1(page)).to_contain_text("Moderation log")
    expect(status_count(page, "Published")).to_have_text("0")
    expect(status_count(page, "Waiting to be checked")).to_have_text("1")
    expect(page.get_by_text(PHONE)).to_have_count(0)
    assert_accessible(page, "public moderation log before the decision")
    sign_out(page, live_app)

    # A moderator opens Moderation from the navigation: both held contributions wait.
    sign_in_to_account(page, live_app, users["moderator"].email)
    nav(page).get_by_role("link", name="Moderation").click()
    expect(page).to_have_url(live_app.url + "/moderation/")
    expect(h1(page)).to_have_text("Moderation")
    queue = page.locator("table.govuk-table")
    expect(queue.locator("caption")).to_have_text("2 contributions")
    assert_accessible(page, "moderation queue")

    # Filtered by reason, only the phone number is left.
    page.get_by_label("Reason held").select_option(label="Phone number")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"/moderation/\?.*reason=phone"))
    expect(page.get_by_label("Reason held")).to_have_value("phone")
    expect(queue.locator("caption")).to_have_text("1 contribution")
    expect(queue).to_contain_text("Phone number")
    expect(queue).not_to_contain_text("someone@example.com")
    assert_accessible(page, "moderation queue filtered by phone number")

    # The contribution: why it was held, and how it would read with the number removed.
    queue.get_by_role("link", name=re.compile("More lighting by the underpass")).click()
    expect(page).to_have_url(live_app.url + f"/moderation/{contribution_id}")
    expect(h1(page)).to_contain_text(f"Contribution {contribution_id}")
    expect(page.get_by_role("heading", name="Why it was held")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text=f"Phone number: “{PHONE}”")).to_be_visible()
    preview = page.get_by_role(
        "heading", name="As it would be published with personal information removed"
    )
    expect(preview).to_be_visible()
    expect(page.locator(".govuk-inset-text", has_text=REDACTED)).to_be_visible()
    expect(page.get_by_text("hold (phone) by the automatic checks")).to_be_visible()
    assert_accessible(page, "held contribution")

    # Ticked by keyboard, then published.
    redact = page.get_by_role("checkbox", name=re.compile("^Replace personal information"))
    expect(redact).not_to_be_checked()
    redact.focus()
    page.keyboard.press("Space")
    expect(redact).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Publish", exact=True))
    page.keyboard.press("Enter")
    # On to the next one waiting (the email address), with a success message.
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Published.")
    expect(page.locator(".govuk-inset-text").first).to_contain_text("someone@example.com")
    assert_accessible(page, "the next contribution after publishing")

    with live_app.app_context():
        published = db.session.get(Contribution, contribution_id)
        assert published.status == ContributionStatus.PUBLISHED
        assert published.published_at is not None
        assert "[removed]" in published.body
        assert PHONE not in published.body
        assert "07700" not in published.body
        assert published.body == REDACTED
        actions = db.session.scalars(
            select(Decision.action)
            .where(Decision.contribution_id == contribution_id)
            .order_by(Decision.id)
        ).all()
        assert actions == [Action.HOLD, Action.REDACT, Action.PUBLISH]
        db.session.remove()

    # The public log: one published, none waiting.
    page.goto(f"/consultations/{site['slug']}/moderation")
    expect(h1(page)).to_contain_text("Moderation log")
    expect(status_count(page, "Published")).to_have_text("1")
    expect(status_count(page, "Waiting to be checked")).to_have_text("0")
    assert_accessible(page, "public moderation log after publishing")


def test_a_resident_reports_a_published_contribution_by_keyboard(page, live_app):
    with live_app.app_context():
        consultation = make_consultation(title="Safer parks")
        author = make_user(Role.RESIDENT)
        contribution = make_contribution(
            consultation, status="published", author=author, body="Buy cheap watches here!!!"
        )
        reporter = make_user(Role.RESIDENT, email="reporter@example.com")
        contribution_id, reporter_id = contribution.id, reporter.id
        db.session.remove()

    sign_in_to_account(page, live_app, "reporter@example.com")
    page.goto(f"/contributions/{contribution_id}/report")
    expect(h1(page)).to_have_text("Report this")
    expect(page.locator(".govuk-inset-text")).to_have_text("Buy cheap watches here!!!")
    # The radios are a group named by the question (its legend), not a bare list.
    reasons = page.get_by_role("group", name="What is wrong with it?")
    expect(reasons.get_by_role("radio")).to_have_count(5)
    assert_accessible(page, "report form")

    # Sent without a reason, the form says what is wrong, and is still accessible.
    send = page.get_by_role("button", name="Send report")
    send.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_title(re.compile("^Error: Report this"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Choose what is wrong")).to_be_visible()
    assert_accessible(page, "report form with errors")

    # The reason chosen with the arrow keys, a note typed, then sent with Enter.
    summary.get_by_role("link", name="Choose what is wrong").focus()
    page.keyboard.press("Enter")
    first = reasons.get_by_role("radio").first
    expect(first).to_be_focused()
    wanted = reasons.get_by_role("radio", name="Off topic")
    for _ in range(6):
        if wanted.is_checked():
            break
        page.keyboard.press("ArrowDown")
    expect(wanted).to_be_checked()
    expect(wanted).to_be_focused()
    tab_to(page, page.get_by_label("Anything else we should know (optional)"))
    page.keyboard.type("It is an advert, nothing to do with parks.")
    tab_to(page, page.get_by_role("button", name="Send report"))
    page.keyboard.press("Enter")

    expect(h1(page)).to_have_text("Thank you for your report")
    expect(page.get_by_role("link", name="Back to Safer parks")).to_be_visible()
    assert_accessible(page, "report sent")

    with live_app.app_context():
        report = db.session.scalars(
            select(Report).where(Report.contribution_id == contribution_id)
        ).one()
        assert report.reporter_id == reporter_id
        assert report.reason == ReportReason.OFF_TOPIC
        assert report.note == "It is an advert, nothing to do with parks."
        # One report is below the threshold: it stays published.
        assert db.session.get(Contribution, contribution_id).status == (
            ContributionStatus.PUBLISHED
        )
        db.session.remove()
