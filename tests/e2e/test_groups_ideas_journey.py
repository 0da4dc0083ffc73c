"""Groups, projects and ideas, in a real browser.

A resident applies to lead a youth club and an officer approves it. A young person
joins with the code the leader is shown and drafts a counter-narrative project; the
leader submits it; the officer publishes it from the moderation queue and takes it
through every co-production stage (a mentor, a dated update, the co-design thread,
approval with resources, delivery, evaluation). The public page shows it under the
group's name and never the young person's name or address.

Then the idea board: a resident writes an idea and, before it is posted, is shown a
similar idea already on the board (no JavaScript needed: the form comes back with it);
they post theirs anyway. Another resident supports it, and an officer gives the official
response, which is mailed once to the author and once to the supporter.

Every page is checked with axe.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from community.accounts.models import Role, User
from community.contributions.models import ContributionStatus
from community.extensions import db
from community.groups.models import Group, GroupStatus, Project, ProjectStage, ProjectUpdate
from community.ideas.models import BoardPhase, Idea, IdeaBoard, IdeaStatus, Support
from tests.e2e.helpers import sign_in
from tests.support.axe import assert_accessible
from tests.support.factories import PASSWORD, make_consultation, make_user
from tests.support.mail import outbox

pytestmark = pytest.mark.e2e

GROUP = "Cambridge Road Youth Club"
#: The young person's name and address: neither may ever appear on a public page.
YOUTH_NAME = "Zainab O'Connor-Youngperson"
YOUTH_EMAIL = "zainab.youngperson@example.com"
PROJECT = "Our streets, our heroes"
RESOURCES = "£600 from the community safety fund and the youth hall on Thursdays"
OUTCOME = "Six short films made and shown at both schools"
LESSONS = "Mentors who grew up locally made the difference"

EXISTING_IDEA = "Better lighting in Fairfield park"
NEW_IDEA = "Lighting on the park paths at night"
RESPONSE = "We will add lights along the two main paths this winter."


def nav(page):
    return page.get_by_role("navigation", name="Menu")


def h1(page):
    return page.get_by_role("heading", level=1)


def success(page):
    return page.locator(".govuk-notification-banner--success")


def sign_in_as(page, live_app, email: str) -> None:
    sign_in(page, email)
    expect(page).to_have_url(live_app.url + "/account")
    assert_accessible(page, f"account page of {email}")


def sign_out(page, live_app) -> None:
    nav(page).get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(live_app.url + "/")
    assert_accessible(page, "home page after signing out")


def open_groups(page) -> None:
    nav(page).get_by_role("link", name="Groups").click()
    expect(h1(page)).to_contain_text("Groups and their projects")
    assert_accessible(page, "groups")


# --- the group and its project --------------------------------------------------------


def apply_to_lead(page, live_app) -> int:
    open_groups(page)
    page.get_by_role("button", name="Apply to lead a group").click()
    expect(h1(page)).to_have_text("Apply to lead a group")
    assert_accessible(page, "apply to lead a group")
    # Sending it empty shows the error summary, and the page stays accessible.
    page.get_by_role("button", name="Send application").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the group’s name")
    assert_accessible(page, "apply with errors")
    page.get_by_label("The group’s name").fill(GROUP)
    page.get_by_role("group", name="What kind of group is it?").get_by_role(
        "radio", name="Youth club"
    ).check()
    page.get_by_label("About the group").fill("Football, music and a safe place on Fridays.")
    page.get_by_label("Which ward is the group in?").select_option(label="Norbiton")
    page.get_by_label("Your role in the group").fill(
        "Youth worker for six years, enhanced DBS check, safeguarding level 2."
    )
    page.get_by_role("button", name="Send application").click()
    expect(success(page)).to_contain_text("An officer will look at your application.")
    expect(h1(page)).to_contain_text(GROUP)
    expect(page.get_by_text("This application is waiting for an officer")).to_be_visible()
    assert_accessible(page, "the pending group")
    match = re.search(r"/groups/(\d+)$", page.url)
    assert match, page.url
    return int(match.group(1))


def approve(page, live_app) -> None:
    open_groups(page)
    page.get_by_role("link", name="Manage groups and projects").click()
    expect(h1(page)).to_contain_text("Groups and projects")
    assert_accessible(page, "manage groups")
    page.get_by_role("link", name=GROUP).click()
    expect(h1(page)).to_contain_text(f"Application to lead {GROUP}")
    expect(page.get_by_text("enhanced DBS check")).to_be_visible()
    assert_accessible(page, "the application")
    page.get_by_role("button", name="Approve application").click()
    expect(success(page)).to_contain_text("Approved.")
    assert_accessible(page, "the approved application")


def read_code(page, live_app, group_id: int) -> str:
    """The leader (signed in again after the role change) reads the code on the group page."""
    open_groups(page)
    expect(page.get_by_text("You lead this group")).to_be_visible()
    page.get_by_role("link", name=GROUP).first.click()
    expect(page).to_have_url(f"{live_app.url}/groups/{group_id}")
    expect(page.get_by_role("heading", name="You lead this group")).to_be_visible()
    assert_accessible(page, "the group, for its leader")
    code = page.locator("strong", has_text=re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}$")).inner_text()
    return code.strip()


def join_and_draft(page, live_app, code: str) -> int:
    open_groups(page)
    page.get_by_role("button", name="Join your group with a code").click()
    expect(h1(page)).to_have_text("Join your group")
    assert_accessible(page, "join a group")
    page.get_by_label("Your group’s code").fill("NOPE-NOPE")
    page.get_by_role("button", name="Join the group").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, "join with a wrong code")
    page.get_by_label("Your group’s code").fill(f" {code.lower()} ")
    page.get_by_role("button", name="Join the group").click()
    expect(success(page)).to_contain_text(f"You have joined {GROUP}.")
    expect(page.get_by_text("You are a member of this group.")).to_be_visible()
    assert_accessible(page, "the group, for a member")

    page.get_by_role("button", name="Draft a project").click()
    expect(h1(page)).to_contain_text("Draft a project")
    expect(page.get_by_text("A moderator checks what you write")).to_be_visible()
    assert_accessible(page, "draft a project")
    page.get_by_label("The project’s name").fill(PROJECT)
    page.get_by_label("What problem or harmful story does it answer?").fill(
        "Drill videos tell younger kids that carrying a knife makes you safe."
    )
    page.get_by_label("Who is it for?").fill("Year 8 and 9 at the two local schools")
    page.get_by_label("What will the group do?").fill(
        "Film short stories with local boxers and mentors who walked away."
    )
    page.get_by_label("Which positive role models").fill(
        "The boxing club, older siblings, the youth council"
    )
    support = page.get_by_role("group", name="What support does it need? (optional)")
    support.get_by_role("checkbox", name="Money").check()
    support.get_by_role("checkbox", name="Mentors").check()
    page.get_by_label("Tell us more about the support (optional)").fill(
        "Cameras and editing; two mentors"
    )
    page.get_by_role("group", name="Which issues is it about? (optional)").get_by_role(
        "checkbox"
    ).first.check()
    page.get_by_label("Which ward is it for? (optional)").select_option(label="Norbiton")
    page.get_by_label("How will the group know it worked?").fill(
        "Views, a survey before and after, fewer referrals"
    )
    page.get_by_role("button", name="Save draft").click()
    expect(success(page)).to_contain_text("Draft saved.")
    expect(h1(page)).to_contain_text(PROJECT)
    expect(page.get_by_text("Only the group and the partnership’s officers")).to_be_visible()
    assert_accessible(page, "the draft, for its author")
    match = re.search(r"/projects/(\d+)$", page.url)
    assert match, page.url
    return int(match.group(1))


def submit_draft(page, live_app, group_id: int, project_id: int) -> None:
    page.goto(f"/groups/{group_id}")
    assert_accessible(page, "the group, for its leader, with a draft")
    page.get_by_role("link", name=PROJECT).click()
    expect(page).to_have_url(f"{live_app.url}/projects/{project_id}")
    assert_accessible(page, "the draft, for the leader")
    page.get_by_role("button", name="Submit to the partnership").click()
    expect(success(page)).to_contain_text("Submitted.")
    expect(page.locator(".govuk-tag", has_text="Proposed")).to_be_visible()
    assert_accessible(page, "the submitted project")


def publish_from_queue(page, project_id: int) -> None:
    """Youth writing is held whatever the policy: the officer (a moderator too) checks it."""
    nav(page).get_by_role("link", name="Moderation").click()
    expect(h1(page)).to_contain_text("Moderation")
    assert_accessible(page, "moderation queue")
    page.goto(f"/moderation/{project_id}")
    expect(page.get_by_text("written by a young person")).to_be_visible()
    assert_accessible(page, "the project in moderation")
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(success(page)).to_contain_text("Published.")
    assert_accessible(page, "after publishing the project")


def move(page, live_app, project_id: int, to: str, note: str, **fields) -> None:
    """From the project page: "Move to another stage", choose the stage, fill what it needs."""
    page.goto(f"/projects/{project_id}")
    assert_accessible(page, f"the project before moving it to {to!r}")
    page.get_by_role("link", name="Move to another stage").click()
    expect(h1(page)).to_contain_text("Move the project")
    assert_accessible(page, f"move form (to {to!r})")
    # Two steps (issue 19): the stage first, unless there is only one way on; then
    # only the fields that stage records.
    chooser = page.get_by_role("group", name="Move the project to")
    if chooser.count():
        chooser.get_by_role("radio", name=to, exact=True).check()
        page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name=f"Move to: {to}")).to_be_visible()
    assert_accessible(page, f"move form, second step (to {to!r})")
    page.get_by_label("Update for the group (optional)").fill(note)
    for label, value in fields.items():
        field = page.get_by_label(label)
        if label.startswith("Officer mentor"):
            field.select_option(label=value)
        else:
            field.fill(value)
    page.get_by_role("button", name="Move the project").click()
    expect(success(page)).to_contain_text(f"Moved to “{to}”.")
    expect(page).to_have_url(f"{live_app.url}/projects/{project_id}")
    expect(page.locator(".govuk-tag", has_text=to)).to_be_visible()
    assert_accessible(page, f"the project in {to!r}")


def coproduce(page, live_app, project_id: int) -> None:
    """The officer's part after publishing: every stage to "evaluated", with an update."""
    move(
        page,
        live_app,
        project_id,
        "In co-design",
        "We met the group.",
        **{"Officer mentor (for co-design)": "Olu Officer"},
    )
    expect(page.get_by_text("Officer mentor: Olu Officer")).to_be_visible()
    page.get_by_label("Update for the group").fill("Filming dates agreed with both schools.")
    page.get_by_role("button", name="Post update").click()
    expect(success(page)).to_contain_text("Update posted.")
    expect(page.get_by_text("Filming dates agreed with both schools.")).to_be_visible()
    assert_accessible(page, "after posting an update")
    page.get_by_label("Your message").fill("Can the group use the hall on Thursdays?")
    page.get_by_role("button", name="Send message").click()
    expect(success(page)).to_contain_text("Message sent.")
    assert_accessible(page, "after a message in the co-design thread")
    move(page, live_app, project_id, "Partnership review", "The partnership board meets.")
    move(
        page,
        live_app,
        project_id,
        "Approved",
        "Approved at the board.",
        **{"Resources the partnership gives (on approval)": RESOURCES},
    )
    move(page, live_app, project_id, "Delivering", "Filming has started.")
    move(
        page,
        live_app,
        project_id,
        "Evaluated",
        "The films were shown.",
        **{
            "What happened (on evaluation)": OUTCOME,
            "How many people it reached (on evaluation)": "420",
            "What was learned (on evaluation)": LESSONS,
        },
    )


def assert_no_young_persons_name(page, where: str) -> None:
    html, text = page.content(), page.locator("body").inner_text()
    for marker in (YOUTH_NAME, YOUTH_NAME.replace("'", "&#39;"), YOUTH_EMAIL, "Youngperson"):
        assert marker not in html and marker not in text, f"{marker!r} is shown on {where}"


def test_a_group_is_approved_and_its_project_goes_from_draft_to_evaluated(
    page, live_app, framework
):
    with live_app.app_context():
        resident = make_user(email="lee.leader@example.com", display_name="Lee Leader")
        officer = make_user(Role.OFFICER, email="olu@example.com", display_name="Olu Officer")
        youth = make_user(Role.YOUTH, email=YOUTH_EMAIL, display_name=YOUTH_NAME)
        emails = resident.email, officer.email, youth.email
        db.session.remove()
    leader_email, officer_email, youth_email = emails

    sign_in_as(page, live_app, leader_email)
    group_id = apply_to_lead(page, live_app)
    sign_out(page, live_app)

    sign_in_as(page, live_app, officer_email)
    approve(page, live_app)
    sign_out(page, live_app)
    with live_app.app_context():
        group = db.session.get(Group, group_id)
        assert group.status == GroupStatus.ACTIVE and group.invite_code
        assert db.session.scalar(select(User.role).where(User.email == leader_email)) == (
            Role.GROUP_LEADER
        )
        db.session.remove()
    approved = live_app.latest_mail(leader_email)
    assert GROUP in approved.get_body(preferencelist=("plain",)).get_content()

    sign_in_as(page, live_app, leader_email)
    code = read_code(page, live_app, group_id)
    sign_out(page, live_app)

    sign_in_as(page, live_app, youth_email)
    project_id = join_and_draft(page, live_app, code)
    sign_out(page, live_app)
    with live_app.app_context():
        project = db.session.get(Project, project_id)
        assert project.by_youth and project.status == ContributionStatus.PENDING
        assert project.stage == ProjectStage.DRAFT and project.support_kinds == [
            "money",
            "mentors",
        ]
        db.session.remove()

    sign_in_as(page, live_app, leader_email)
    submit_draft(page, live_app, group_id, project_id)
    sign_out(page, live_app)

    sign_in_as(page, live_app, officer_email)
    publish_from_queue(page, project_id)
    coproduce(page, live_app, project_id)
    sign_out(page, live_app)

    with live_app.app_context():
        project = db.session.get(Project, project_id)
        assert project.stage == ProjectStage.EVALUATED and project.people_reached == 420
        assert project.status == ContributionStatus.PUBLISHED
        moves = [
            (u.from_stage.value, u.to_stage.value)
            for u in db.session.scalars(
                select(ProjectUpdate)
                .where(ProjectUpdate.project_id == project_id)
                .order_by(ProjectUpdate.id)
            )
        ]
        assert moves == [
            ("draft", "proposed"),
            ("proposed", "co_design"),
            ("co_design", "co_design"),  # the update within co-design
            ("co_design", "review"),
            ("review", "approved"),
            ("approved", "delivering"),
            ("delivering", "evaluated"),
        ]
        # The leader hears of every move; the young person gets no mail about it.
        assert len(outbox(to=leader_email, template="project_stage_changed")) == 5
        assert outbox(to=youth_email) == []
        db.session.remove()

    # In public: the group's name, the results, and nowhere the young person's name.
    page.goto(f"/projects/{project_id}")
    expect(h1(page)).to_contain_text(PROJECT)
    expect(page.get_by_text(f"A project by {GROUP}")).to_be_visible()
    expect(page.locator(".govuk-tag", has_text="Evaluated")).to_be_visible()
    for shown in (OUTCOME, LESSONS, "420", RESOURCES):
        expect(page.locator("main")).to_contain_text(shown)
    expect(page.get_by_text("Can the group use the hall on Thursdays?")).to_have_count(0)
    assert_accessible(page, "the public project page")
    assert_no_young_persons_name(page, "the public project page")
    for path, label in ((f"/groups/{group_id}", "the group"), ("/groups/", "groups")):
        page.goto(path)
        assert_accessible(page, f"{label} in public")
        assert_no_young_persons_name(page, f"{label} in public")
    expect(page.get_by_role("link", name=PROJECT)).to_be_visible()


# --- the idea board -------------------------------------------------------------------


def make_board(live_app) -> int:
    """An open consultation's board collecting ideas, with one idea on it already."""
    with live_app.app_context():
        consultation = make_consultation(title="Safer parks", phase="open")
        board = IdeaBoard(
            consultation_id=consultation.id,
            title="Ideas for safer parks",
            phase=BoardPhase.COLLECTING,
        )
        db.session.add(board)
        earlier = make_user(display_name="Early Bird")
        db.session.add(
            Idea(
                board=board,
                consultation_id=consultation.id,
                author_id=earlier.id,
                title=EXISTING_IDEA,
                body="Install brighter lights along the park paths.",
                status=ContributionStatus.PUBLISHED,
            )
        )
        db.session.commit()
        board_id = board.id
        db.session.remove()
    return board_id


def write_idea_seeing_a_similar_one(page, live_app, board_id: int) -> int:
    nav(page).get_by_role("link", name="Ideas").click()
    expect(h1(page)).to_have_text("Ideas")
    assert_accessible(page, "idea boards")
    page.get_by_role("link", name="Ideas for safer parks").click()
    expect(page).to_have_url(f"{live_app.url}/ideas/{board_id}")
    assert_accessible(page, "the board")
    page.get_by_role("button", name="Share an idea").click()
    expect(h1(page)).to_contain_text("Share an idea")
    assert_accessible(page, "share an idea")
    page.get_by_label("Your idea in a few words").fill(NEW_IDEA)
    page.get_by_label("Describe your idea").fill(
        "More lights on the park paths, so people feel safe walking home at night."
    )
    page.get_by_label("Which ward").select_option(label="Norbiton")
    page.get_by_role("button", name="Continue").click()

    # Not posted yet: the same form, with the similar idea and a way to support it instead.
    similar = page.get_by_role("region", name="Similar ideas")
    expect(similar).to_be_visible()
    expect(similar.get_by_role("link", name=EXISTING_IDEA)).to_be_visible()
    expect(
        similar.get_by_role("button", name=f"Support this instead {EXISTING_IDEA}")
    ).to_be_visible()
    expect(page.get_by_label("Your idea in a few words")).to_have_value(NEW_IDEA)
    assert_accessible(page, "share an idea, with a similar idea")
    page.get_by_role("button", name="Post my idea anyway").click()
    expect(success(page)).to_contain_text("Your idea is published.")
    expect(h1(page)).to_contain_text(NEW_IDEA)
    assert_accessible(page, "the new idea")
    match = re.search(r"/ideas/\d+/(\d+)$", page.url)
    assert match, page.url
    return int(match.group(1))


def support_it(page, live_app, board_id: int, idea_id: int) -> None:
    page.goto(f"/ideas/{board_id}")
    assert_accessible(page, "the board, for a supporter")
    page.get_by_role("search", name="Find ideas").get_by_label("Search").fill("paths at night")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_role("status")).to_have_text("1 idea")
    assert_accessible(page, "the board, searched")
    page.get_by_role("link", name=NEW_IDEA).click()
    expect(page).to_have_url(f"{live_app.url}/ideas/{board_id}/{idea_id}")
    assert_accessible(page, "the idea, for a supporter")
    page.get_by_role("button", name="Support this idea").click()
    expect(page.get_by_role("button", name="Withdraw support")).to_be_visible()
    expect(page.locator("main")).to_contain_text("1 supporter")
    assert_accessible(page, "the idea, supported")


def respond(page, live_app, board_id: int, idea_id: int) -> None:
    page.goto(f"/ideas/{board_id}/{idea_id}")
    assert_accessible(page, "the idea, for an officer")
    page.get_by_role("group", name="Status").get_by_role("radio", name="Accepted").check()
    page.get_by_label("Public explanation").fill(RESPONSE)
    page.get_by_role("button", name="Publish response").click()
    expect(success(page)).to_contain_text("2 people will be told by email.")
    response = page.locator(".govuk-inset-text", has_text="The partnership’s response")
    expect(response).to_contain_text("Accepted")
    expect(response).to_contain_text(RESPONSE)
    assert_accessible(page, "the idea with its response")
    # Sending the same response again tells nobody twice.
    page.get_by_role("button", name="Publish response").click()
    expect(success(page)).to_contain_text("0 people will be told by email.")
    assert_accessible(page, "the idea after the same response again")


def test_a_resident_sees_a_similar_idea_posts_theirs_and_its_response_is_mailed_once(
    page, live_app, framework
):
    board_id = make_board(live_app)
    with live_app.app_context():
        author = make_user(email="ada.author@example.com", display_name="Ada Author")
        supporter = make_user(email="sam.supporter@example.com", display_name="Sam Supporter")
        officer = make_user(Role.OFFICER, email="olu@example.com", display_name="Olu Officer")
        emails = author.email, supporter.email, officer.email
        db.session.remove()
    author_email, supporter_email, officer_email = emails

    sign_in_as(page, live_app, author_email)
    idea_id = write_idea_seeing_a_similar_one(page, live_app, board_id)
    sign_out(page, live_app)

    sign_in_as(page, live_app, supporter_email)
    support_it(page, live_app, board_id, idea_id)
    sign_out(page, live_app)

    sign_in_as(page, live_app, officer_email)
    respond(page, live_app, board_id, idea_id)
    sign_out(page, live_app)

    with live_app.app_context():
        idea = db.session.get(Idea, idea_id)
        assert idea.idea_status == IdeaStatus.ACCEPTED and idea.response == RESPONSE
        assert idea.support_count == 1
        supporter_id = db.session.scalar(select(User.id).where(User.email == supporter_email))
        assert db.session.scalars(select(Support.user_id)).all() == [supporter_id]
        mails = outbox(template="idea_status_changed")
        assert sorted(m.to_address for m in mails) == sorted([author_email, supporter_email])
        db.session.remove()
    live_app.deliver_mail()
    for address in (author_email, supporter_email):
        [mail] = live_app.mails_to(address)
        text = mail.get_body(preferencelist=("plain",)).get_content()
        assert NEW_IDEA in text and RESPONSE in text, text

    # In public, the response is there for everyone.
    page.goto(f"/ideas/{board_id}/{idea_id}")
    expect(page.locator(".govuk-inset-text")).to_contain_text(RESPONSE)
    assert_accessible(page, "the idea in public")


def test_without_javascript_a_similar_idea_is_suggested_and_supported_instead(
    no_js_page, assert_accessible_without_js, live_app, framework
):
    page, check = no_js_page, assert_accessible_without_js
    board_id = make_board(live_app)
    with live_app.app_context():
        resident = make_user(email="nia.nojs@example.com", display_name="Nia Nojs")
        email_address = resident.email
        db.session.remove()

    page.goto(f"/ideas/{board_id}/new")
    expect(page).to_have_url(re.compile(r"/sign-in\?next="))
    page.get_by_label("Email address").fill(email_address)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(f"{live_app.url}/ideas/{board_id}/new")
    assert page.evaluate("document.body.classList.contains('js-enabled')") is False
    check(page, "share an idea without JavaScript")
    page.get_by_label("Your idea in a few words").fill("Brighter park lights")
    page.get_by_label("Describe your idea").fill("Lights along the park paths after dark.")
    page.get_by_role("button", name="Continue").click()

    similar = page.get_by_role("region", name="Similar ideas")
    expect(similar.get_by_role("link", name=EXISTING_IDEA)).to_be_visible()
    check(page, "a similar idea, without JavaScript")
    similar.get_by_role("button", name=f"Support this instead {EXISTING_IDEA}").click()
    expect(h1(page)).to_contain_text(EXISTING_IDEA)
    expect(page.get_by_role("button", name="Withdraw support")).to_be_visible()
    expect(page.locator("main")).to_contain_text("1 supporter")
    check(page, "the similar idea, supported without JavaScript")

    with live_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Idea)) == 1  # not posted
        [(idea_title, count)] = db.session.execute(select(Idea.title, Idea.support_count)).all()
        assert (idea_title, count) == (EXISTING_IDEA, 1)
        db.session.remove()
