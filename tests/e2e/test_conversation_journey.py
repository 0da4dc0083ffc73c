"""A conversation in a real browser: vote by keyboard, add a statement, see where you stand.

Twenty other participants have voted in two clear opinion blocks. A resident votes on
every statement with the keyboard shortcuts (A, D, P) and once with Tab and Enter,
adds a statement of their own, and after the background recompute sees their opinion
group and the results. An officer recomputes from the manage page and reads the vote
counts. Voting also works with JavaScript off. Every page is checked with axe.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from community import jobs
from community.accounts.models import Role
from community.contributions.models import ContributionStatus
from community.conversations import service
from community.conversations.models import Conversation, Participant, Statement, Vote
from community.extensions import db
from tests.e2e.helpers import sign_in, tab_to
from tests.support.axe import assert_accessible
from tests.support.factories import PASSWORD, make_consultation, make_user

pytestmark = pytest.mark.e2e

QUESTION = "What would make you feel safer after dark? <b>Say</b> what you think 🌙"
#: Block A agrees with these and disagrees with BLOCK_B; block B the other way round.
BLOCK_A = [
    "Street lights should stay on all night",
    "More police officers should walk the town centre",
    "CCTV cameras make the high street safer",
    "Shops should close later so streets stay busy",
]
BLOCK_B = [
    "Youth clubs matter more than extra patrols",
    "Money for cameras would be better spent on outreach workers",
    "Young people are unfairly treated as the problem",
    "Night buses should run every fifteen minutes",
]
PER_BLOCK = 10
NEW_STATEMENT = "Underpasses should have help points that call a warden"


def nav(page):
    return page.get_by_role("navigation", name="Menu")


def h1(page):
    return page.get_by_role("heading", level=1)


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


def recompute_in_background(live_app) -> int:
    """What the worker does after votes: recompute every conversation with new votes."""
    with live_app.app_context():
        done = jobs.run("recompute_conversations")
        db.session.remove()
    return done


def remaining_text(n: int) -> str:
    return f"{n} statement left to vote on" if n == 1 else f"{n} statements left to vote on"


@pytest.fixture
def conversation_site(live_app, users):
    """An open consultation (accounts only) with a conversation, seeds and two vote blocks."""
    with live_app.app_context():
        consultation = make_consultation(allow_anonymous=False)
        conversation = Conversation(
            consultation_id=consultation.id,
            question=QUESTION,
            description="Vote on each statement. Add your own if something is missing.",
        )
        db.session.add(conversation)
        db.session.flush()
        officer = db.session.merge(users["officer"])
        seeds = {
            text: service.add_statement(conversation, officer, text, seed=True).id
            for text in BLOCK_A + BLOCK_B
        }
        for block, (agree, disagree) in enumerate([(BLOCK_A, BLOCK_B), (BLOCK_B, BLOCK_A)]):
            for n in range(PER_BLOCK):
                voter = Participant(
                    conversation_id=conversation.id,
                    browser_token=service.hash_token(f"seeded-voter-{block}-{n}"),
                )
                db.session.add(voter)
                db.session.flush()
                db.session.add_all(
                    [Vote(participant_id=voter.id, statement_id=seeds[t], value=1) for t in agree]
                    + [
                        Vote(participant_id=voter.id, statement_id=seeds[t], value=-1)
                        for t in disagree
                    ]
                )
        db.session.commit()
        site = {
            "conversation_id": conversation.id,
            "consultation_id": consultation.id,
            "slug": consultation.slug,
            "title": consultation.title,
            "seeds": seeds,
        }
        db.session.remove()
    # The worker has already counted the seeded votes once.
    assert recompute_in_background(live_app) == 1
    with live_app.app_context():
        results = db.session.get(Conversation, site["conversation_id"]).results
        assert results["k"] == 2
        assert sorted(results["groups"].values()) == [PER_BLOCK, PER_BLOCK]
        db.session.remove()
    return site


def statement_box(page):
    return page.locator("#statement")


def vote_through_every_statement_by_keyboard(page, site) -> dict[str, int]:
    """Vote on all eight: the first with Tab and Enter, the rest with A, D and P.

    The resident agrees with block A and disagrees with block B, but passes on the
    first block B statement after the first vote, so every shortcut is used.
    """
    box = statement_box(page)
    votes: dict[str, int] = {}
    keys_used: list[str] = []
    total = len(BLOCK_A) + len(BLOCK_B)
    for done in range(total):
        left = total - done
        expect(box).to_contain_text(remaining_text(left))
        if done:
            expect(box).to_contain_text(f"you have voted on {done}")
        text = box.locator("blockquote").inner_text().strip()
        assert text in site["seeds"], text
        assert text not in votes, f"{text!r} shown again after a vote"
        if text in BLOCK_A:
            key, value = "a", 1
        elif "p" not in keys_used and done:
            key, value = "p", 0
        else:
            key, value = "d", -1
        if done == 0:
            # Tab from the statement (where the page starts, after #statement) to the button.
            button = box.get_by_role(
                "button", name={"a": "Agree", "d": "Disagree"}[key], exact=True
            )
            tab_to(page, button, limit=4)
            pressed = "Enter"
            keys_used.append("tab+enter")
        else:
            # The shortcut works from anywhere but a form field.
            expect(page.locator("body")).to_be_focused()
            pressed = key
            keys_used.append(key)
        # The vote is posted, then the next statement loads (a new page, at #statement).
        with page.expect_navigation(url=re.compile(r"#statement$")):
            page.keyboard.press(pressed)
        votes[text] = value
        assert_accessible(page, f"conversation after {done + 1} votes ({keys_used[-1]})")
    assert {"tab+enter", "a", "d", "p"} <= set(keys_used), keys_used
    expect(box).to_have_count(0)
    expect(
        page.get_by_text("You have voted on every statement. Thank you.", exact=False)
    ).to_be_visible()
    return votes


def test_a_resident_votes_by_keyboard_adds_a_statement_and_sees_where_they_stand(
    page, live_app, users, conversation_site
):
    site = conversation_site
    resident = users["resident"]
    conversation_url = f"/conversations/{site['conversation_id']}"

    sign_in_to_account(page, live_app, resident.email)
    # From the consultation page to the conversation.
    page.goto(f"/consultations/{site['slug']}")
    expect(h1(page)).to_have_text(site["title"])
    assert_accessible(page, "consultation page")
    page.get_by_role("link", name=QUESTION).click()
    expect(page).to_have_url(live_app.url + conversation_url)
    expect(h1(page)).to_have_text(QUESTION)
    expect(statement_box(page)).to_contain_text(remaining_text(8))
    # The shortcuts are announced once the script runs.
    expect(page.get_by_text("Keyboard: A agree, D disagree, P pass.")).to_be_visible()
    # Nothing to say about where they stand before they have voted.
    expect(page.get_by_role("heading", name="Where you stand")).to_have_count(0)
    assert_accessible(page, "conversation before voting")

    # Single-letter shortcuts can be turned off (WCAG 2.1.4); off stays off on the next page.
    agree = statement_box(page).get_by_role("button", name="Agree", exact=True)
    expect(agree).to_have_attribute("aria-keyshortcuts", "A")
    toggle = page.get_by_role("checkbox", name="Use these keyboard shortcuts")
    expect(toggle).to_be_checked()
    toggle.focus()
    page.keyboard.press("Space")
    expect(toggle).not_to_be_checked()
    posts: list[str] = []
    page.on(
        "request", lambda request: posts.append(request.url) if request.method == "POST" else None
    )
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("a")
    page.wait_for_timeout(500)
    assert posts == [], "a turned-off shortcut voted"
    page.reload()
    expect(toggle).not_to_be_checked()
    assert_accessible(page, "conversation with the shortcuts turned off")
    toggle.focus()
    page.keyboard.press("Space")
    expect(toggle).to_be_checked()

    # Start at the statement, as the page does after each vote (it redirects to #statement).
    page.evaluate("document.activeElement.blur()")
    page.goto(conversation_url + "#statement")
    votes = vote_through_every_statement_by_keyboard(page, site)

    with live_app.app_context():
        voter = db.session.scalar(
            select(Participant).where(
                Participant.conversation_id == site["conversation_id"],
                Participant.user_id == resident.id,
            )
        )
        stored = dict(
            db.session.execute(
                select(Vote.statement_id, Vote.value).where(Vote.participant_id == voter.id)
            ).all()
        )
        assert stored == {site["seeds"][text]: value for text, value in votes.items()}
        assert db.session.get(Conversation, site["conversation_id"]).stale is True
        db.session.remove()

    # Not counted yet: the page says to wait for more votes, not a group.
    standing = page.get_by_role("heading", name="Where you stand")
    expect(standing).to_be_visible()
    expect(
        page.get_by_text("Vote on a few more statements to see which opinion group")
    ).to_be_visible()

    # A statement of their own, typed with the character count counting down.
    field = page.get_by_label("Add your own statement")
    status = page.locator(".govuk-character-count__status")
    spoken = page.locator(".govuk-character-count__sr-status")  # a polite live region
    expect(status).to_have_text("You have 280 characters remaining")
    expect(spoken).to_have_attribute("aria-live", "polite")
    field.focus()
    page.keyboard.type(NEW_STATEMENT)
    left = 280 - len(NEW_STATEMENT)
    expect(status).to_have_text(f"You have {left} characters remaining")
    expect(spoken).to_have_text(f"You have {left} characters remaining")
    tab_to(page, page.get_by_role("button", name="Add statement"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_app.url + conversation_url)
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Thank you. Your statement is now in the conversation."
    )
    # Their statement is now the one left to vote on.
    expect(statement_box(page)).to_contain_text(remaining_text(1))
    expect(statement_box(page).locator("blockquote")).to_have_text(NEW_STATEMENT)
    assert_accessible(page, "conversation after adding a statement")

    # The worker recomputes; the resident is in the group that voted like them.
    assert recompute_in_background(live_app) == 1
    page.goto(conversation_url)
    expect(page.get_by_role("heading", name="Where you stand")).to_be_visible()
    expect(
        page.get_by_text(
            f"You are in opinion group 1, with {PER_BLOCK} other people who voted like you."
        )
    ).to_be_visible()
    assert_accessible(page, "conversation with where you stand")

    page.get_by_role("link", name="See what everyone thinks").click()
    expect(page).to_have_url(live_app.url + conversation_url + "/results")
    expect(h1(page)).to_contain_text("What everyone thinks")
    expect(page.get_by_text("21 people cast 168 votes.", exact=False)).to_be_visible()
    expect(page.get_by_text("People fall into 2 opinion groups.", exact=False)).to_be_visible()
    expect(page.get_by_text("You are in opinion group 1.")).to_be_visible()
    group_1 = page.get_by_role("heading", name=re.compile(r"^Opinion group 1\b"))
    group_2 = page.get_by_role("heading", name=re.compile(r"^Opinion group 2\b"))
    expect(group_1).to_contain_text(f"{PER_BLOCK + 1} people")
    expect(group_2).to_contain_text(f"{PER_BLOCK} people")
    table = page.get_by_role("table", name="Every statement")
    expect(table.get_by_role("row")).to_have_count(1 + len(BLOCK_A) + len(BLOCK_B) + 1)
    lights = table.get_by_role("row").filter(has_text=BLOCK_A[0])
    # Block A (10) and the resident agree, block B (10) disagrees.
    expect(lights.get_by_role("cell")).to_have_text(
        [BLOCK_A[0], "11", "10", "0", re.compile("^52")]
    )
    expect(table).to_contain_text(NEW_STATEMENT)
    assert_accessible(page, "conversation results")


def test_an_officer_recomputes_and_reads_the_counts(page, live_app, users, conversation_site):
    site = conversation_site
    with live_app.app_context():
        # A resident has voted since the last recompute.
        resident = db.session.merge(users["resident"])
        conversation = db.session.get(Conversation, site["conversation_id"])
        voter = service.participant(conversation, user=resident)
        service.cast_vote(conversation, voter, site["seeds"][BLOCK_A[0]], 1)
        db.session.commit()
        db.session.remove()

    sign_in_to_account(page, live_app, users["officer"].email)
    nav(page).get_by_role("link", name="Manage").click()
    expect(page).to_have_url(live_app.url + "/manage/consultations/")
    assert_accessible(page, "manage consultations")
    page.get_by_role("link", name=site["title"]).click()
    expect(page).to_have_url(live_app.url + f"/manage/consultations/{site['consultation_id']}")
    assert_accessible(page, "manage the consultation")
    page.get_by_role("link", name=QUESTION).click()
    expect(page).to_have_url(live_app.url + f"/manage/conversations/{site['conversation_id']}")
    expect(h1(page)).to_contain_text(QUESTION)
    expect(page.get_by_text("New votes are waiting to be counted.")).to_be_visible()
    assert_accessible(page, "manage the conversation")

    page.get_by_role("button", name="Recompute now").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Results recomputed."
    )
    expect(page.get_by_text("New votes are waiting to be counted.")).to_have_count(0)
    table = page.get_by_role("table", name="8 statements")
    expect(table.get_by_role("row")).to_have_count(1 + 8)
    for text in BLOCK_A + BLOCK_B:
        votes = 2 * PER_BLOCK + (1 if text == BLOCK_A[0] else 0)
        row = table.get_by_role("row").filter(has_text=text)
        # Statement, status, votes, then agree / disagree / pass from the stored results.
        expect(row.get_by_role("cell").nth(2)).to_have_text(str(votes))
        expect(row).to_contain_text("starting statement")
        expect(row.get_by_role("link", name="published")).to_be_visible()
    assert_accessible(page, "manage the conversation after recomputing")
    with live_app.app_context():
        conversation = db.session.get(Conversation, site["conversation_id"])
        assert conversation.stale is False
        assert conversation.results["participants"] == 2 * PER_BLOCK + 1
        db.session.remove()

    page.get_by_role("link", name="Public results").click()
    expect(page).to_have_url(live_app.url + f"/conversations/{site['conversation_id']}/results")
    expect(page.get_by_text("21 people cast 161 votes.", exact=False)).to_be_visible()
    expect(page.get_by_role("table", name="Every statement").get_by_role("row")).to_have_count(9)
    assert_accessible(page, "public results as the officer")


def test_voting_works_without_javascript(
    no_js_page, assert_accessible_without_js, live_app, users, conversation_site
):
    page = no_js_page
    assert_accessible = assert_accessible_without_js
    site = conversation_site
    conversation_url = f"/conversations/{site['conversation_id']}"
    resident = make_resident(live_app)

    # Not signed in: the conversation asks people to sign in (no anonymous voting here).
    page.goto(conversation_url)
    assert page.evaluate("document.body.classList.contains('js-enabled')") is False
    expect(page.get_by_role("button", name="Agree")).to_have_count(0)
    expect(page.get_by_role("main").get_by_role("link", name="Sign in")).to_be_visible()
    assert_accessible(page, "conversation signed out, without JavaScript")
    page.get_by_role("main").get_by_role("link", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/sign-in\?next="))
    assert_accessible(page, "sign-in page without JavaScript")
    page.get_by_label("Email address").fill(resident)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(live_app.url + conversation_url)

    box = statement_box(page)
    expect(box).to_contain_text(remaining_text(8))
    # No script, so no shortcuts are promised.
    expect(page.get_by_text("Keyboard: A agree, D disagree, P pass.")).to_be_hidden()
    assert_accessible(page, "conversation without JavaScript")
    first = box.locator("blockquote").inner_text().strip()

    box.get_by_role("button", name="Agree", exact=True).click()
    expect(page).to_have_url(live_app.url + conversation_url + "#statement")
    expect(box).to_contain_text(remaining_text(7))
    expect(box).to_contain_text("you have voted on 1")
    expect(box.locator("blockquote")).not_to_have_text(first)
    assert_accessible(page, "conversation after a vote without JavaScript")

    with live_app.app_context():
        rows = db.session.execute(
            select(Vote.statement_id, Vote.value)
            .join(Participant, Participant.id == Vote.participant_id)
            .where(Participant.user_id.is_not(None))
        ).all()
        assert [tuple(r) for r in rows] == [(site["seeds"][first], 1)]
        total = db.session.scalar(select(func.count()).select_from(Vote))
        assert total == 2 * PER_BLOCK * 8 + 1
        assert db.session.scalar(
            select(func.count())
            .select_from(Statement)
            .where(Statement.status == ContributionStatus.PUBLISHED)
        ) == len(BLOCK_A + BLOCK_B)
        db.session.remove()


def make_resident(live_app) -> str:
    with live_app.app_context():
        user = make_user(Role.RESIDENT, email="no.script@example.com")
        email = user.email
        db.session.remove()
    return email
