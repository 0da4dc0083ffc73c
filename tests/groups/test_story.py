"""The whole story through the routes: a resident applies to lead a group, an officer
approves, a young person joins with the code and drafts a project, the leader submits it,
an officer takes it through every stage to "evaluated" with dated updates and a co-design
thread, and no public page ever shows the young person's name."""

from __future__ import annotations

import re

from sqlalchemy import select, text

from community.accounts.models import Role, User
from community.audit.models import AuditEvent
from community.contributions.models import Contribution, ContributionStatus
from community.extensions import db
from community.framework.models import Term
from community.groups.models import Group, Project, ProjectStage, ProjectUpdate
from tests.conftest import sign_in_client
from tests.support.factories import HOSTILE_NAME, HOSTILE_TEXT, make_user
from tests.support.mail import outbox

#: Pieces of the youth's (hostile) display name, as they would appear raw or escaped.
NAME_MARKERS = ["Brien", "مرحبا", "O&#39;Brien", "alert(&#39;x&#39;)", "alert('x')"]


def _ids(app, *codes):
    with app.app_context():
        return [db.session.scalar(select(Term.id).where(Term.code == c)) for c in codes]


def assert_no_youth_name(page: str, where: str) -> None:
    for marker in NAME_MARKERS:
        assert marker not in page, f"the young person's name ({marker!r}) is shown on {where}"


def test_from_application_to_evaluation(app, framework):
    with app.app_context():
        # The young person has the factories' hostile name; the adults have plain ones,
        # so any sign of that name on a page is the young person's.
        youth = make_user(Role.YOUTH)
        resident = make_user(display_name="Lee Leader")
        officer = make_user(Role.OFFICER, display_name="Olu Officer")
        moderator = make_user(Role.MODERATOR, display_name="Mo Moderator")
        stranger = make_user(display_name="Sam Stranger")
        for person in (youth, resident, officer, moderator, stranger):
            db.session.refresh(person)
        db.session.expunge_all()
        assert youth.display_name == HOSTILE_NAME[:60]
    ward, issue, principle = _ids(app, "norbiton", "youth-safety-and-exploitation", "PH1")
    as_officer = sign_in_client(app, officer)
    visitor = app.test_client()

    # 1. A resident applies to lead a group.
    applicant = sign_in_client(app, resident)
    response = applicant.post(
        "/groups/apply",
        data={
            "name": "Cambridge Road Youth Club",
            "kind": "youth_club",
            "description": "Football, music and a safe place on Friday nights.",
            "ward": str(ward),
            "statement": "Youth worker for six years, enhanced DBS check, safeguarding level 2.",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        group = db.session.scalar(select(Group))
        group_id = group.id
        assert group.status == "pending" and group.invite_code is None
    assert visitor.get(f"/groups/{group_id}").status_code == 404  # not public until approved
    assert "Cambridge Road Youth Club" in as_officer.get("/manage/groups/").get_data(as_text=True)
    page = as_officer.get(f"/manage/groups/{group_id}").get_data(as_text=True)
    assert "enhanced DBS check" in page

    # 2. An officer approves: the resident becomes a group leader, audited and told by mail.
    assert as_officer.post(f"/manage/groups/{group_id}/approve").status_code == 302
    with app.app_context():
        leader = db.session.get(User, resident.id)
        assert leader.role == Role.GROUP_LEADER
        actions = set(db.session.scalars(select(AuditEvent.action)))
        assert {"group.applied", "group.approved", "user.role_changed"} <= actions
        assert [m.to_address for m in outbox(template="group_leader_approved")] == [leader.email]
        code = db.session.get(Group, group_id).invite_code
        db.session.refresh(leader)
        db.session.expunge(leader)
    # The role change signed the old session out; the leader signs in again.
    assert applicant.get("/groups/apply").status_code == 302
    as_leader = sign_in_client(app, leader)
    members_page = as_leader.get(f"/groups/{group_id}/members").get_data(as_text=True)
    shown_code = re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}", members_page).group(0)
    assert shown_code.replace("-", "") == code

    # 3. A young person joins with the code (typed in lower case, with spaces).
    as_youth = sign_in_client(app, youth)
    assert shown_code in as_youth.get(f"/groups/join?code={shown_code}").get_data(as_text=True)
    joined = as_youth.post("/groups/join", data={"code": f" {shown_code.lower()} "})
    assert joined.status_code == 302 and joined.headers["Location"].endswith(f"/groups/{group_id}")

    # 4. They draft a project with the proposal template.
    drafted = as_youth.post(
        f"/groups/{group_id}/projects/new",
        data={
            "title": "Our streets, our heroes <b>now</b>",
            "problem": "Drill videos tell younger kids that carrying a knife makes you safe. "
            + HOSTILE_TEXT[:200],
            "audience": "Year 8 and 9 at the two local schools",
            "activities": "Film short stories with local boxers and mentors who walked away.",
            "strengths": "The boxing club, older siblings, the youth council",
            "support_kinds": ["money", "mentors"],
            "support_details": "£600 for cameras and editing; two mentors",
            "success_measures": "Views, a survey before and after, fewer referrals",
            "issues": [str(issue)],
            "principles": [str(principle)],
            "ward": str(ward),
        },
    )
    assert drafted.status_code == 302
    with app.app_context():
        project = db.session.scalar(select(Project))
        project_id = project.id
        assert project.kind == "project" and project.by_youth and project.author_id == youth.id
        assert project.status == ContributionStatus.PENDING  # held for a moderator
        assert project.stage == ProjectStage.DRAFT
        assert "Drill videos" in project.body and "two mentors" in project.body
        shared = db.session.execute(
            text("SELECT group_id FROM contributions WHERE id = :id"), {"id": project_id}
        ).scalar()
        assert shared == group_id  # the shared table knows the group too
        assert [t.code for t in project.terms_of("issue")] == ["youth-safety-and-exploitation"]

    # Nobody outside the group (and no moderator yet) has seen it.
    assert visitor.get(f"/projects/{project_id}").status_code == 404
    assert sign_in_client(app, stranger).get(f"/projects/{project_id}").status_code == 404
    assert "Our streets" not in visitor.get("/groups/").get_data(as_text=True)

    # 5. The leader submits it.
    assert "Our streets" in as_leader.get(f"/groups/{group_id}").get_data(as_text=True)
    assert as_leader.post(f"/projects/{project_id}/submit").status_code == 302

    # 6. An officer moves it through every stage, each with a dated update.
    def move(to, **extra):
        response = as_officer.post(
            f"/manage/projects/{project_id}/move",
            data={"to": to, "note": f"Update: now {to}", **extra},
        )
        assert response.status_code == 302, response.get_data(as_text=True)

    assert as_officer.get(f"/manage/projects/{project_id}/move").status_code == 200
    move("co_design", mentor=str(officer.id))

    # The co-design thread: the leader and officers write; the young person never sees it.
    as_leader.post(
        f"/projects/{project_id}/messages", data={"message-body": "Can we use the hall?"}
    )
    as_officer.post(f"/projects/{project_id}/messages", data={"message-body": "Yes, on Thursdays."})
    leader_view = as_leader.get(f"/projects/{project_id}").get_data(as_text=True)
    assert "Can we use the hall?" in leader_view and "Yes, on Thursdays." in leader_view
    assert "Olu Officer" in leader_view  # the named mentor
    youth_view = as_youth.get(f"/projects/{project_id}").get_data(as_text=True)
    assert "Co-design thread" not in youth_view and "Yes, on Thursdays." not in youth_view
    assert "Update: now co_design" in youth_view  # the group sees the dated updates
    refused = as_youth.post(f"/projects/{project_id}/messages", data={"message-body": "Hi"})
    assert refused.status_code == 403

    # Still held by moderation, so still not public even past "proposed".
    assert visitor.get(f"/projects/{project_id}").status_code == 404
    assert (
        sign_in_client(app, moderator).post(f"/moderation/{project_id}/publish").status_code == 302
    )

    move("review")
    move("approved", resources="£600 from the community safety fund; the youth hall")
    move("delivering")
    move(
        "evaluated",
        outcome="Six films made and shown at both schools",
        people_reached="420",
        lessons="Mentors who grew up locally made the difference",
    )

    with app.app_context():
        project = db.session.get(Project, project_id)
        assert project.stage == ProjectStage.EVALUATED and project.people_reached == 420
        updates = db.session.scalars(select(ProjectUpdate).order_by(ProjectUpdate.id)).all()
        assert [(u.from_stage.value, u.to_stage.value) for u in updates] == [
            ("draft", "proposed"),
            ("proposed", "co_design"),
            ("co_design", "review"),
            ("review", "approved"),
            ("approved", "delivering"),
            ("delivering", "evaluated"),
        ]
        assert all(u.created_at is not None for u in updates)
        moves = db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "project.stage_changed")
            .order_by(AuditEvent.id)
        ).all()
        assert [e.details["new"] for e in moves] == [
            "co_design",
            "review",
            "approved",
            "delivering",
            "evaluated",
        ]
        # The leader hears of every move; the young person gets no mail about it.
        assert len(outbox(to=leader.email, template="project_stage_changed")) == 5
        assert outbox(to=youth.email) == []

    # 7. In public: under the group's name, every stage visible, never a young person's name.
    public = visitor.get(f"/projects/{project_id}")
    page = public.get_data(as_text=True)
    assert public.status_code == 200
    assert "Our streets, our heroes &lt;b&gt;now&lt;/b&gt;" in page
    assert "A project by Cambridge Road Youth Club" in page
    assert "Evaluated" in page and "420" in page and "Six films made" in page
    assert "£600 from the community safety fund" in page
    assert "Can we use the hall?" not in page and "Update: now" not in page  # group only
    for path in ["/", "/groups/", f"/groups/{group_id}", f"/projects/{project_id}"]:
        assert_no_youth_name(visitor.get(path).get_data(as_text=True), f"{path} (visitor)")
    for client, who in [
        (sign_in_client(app, stranger), "a resident"),
        (as_youth, "the young person"),
        (as_leader, "the leader"),
        (as_officer, "an officer"),
    ]:
        for path in ["/groups/", f"/groups/{group_id}", f"/projects/{project_id}"]:
            assert_no_youth_name(client.get(path).get_data(as_text=True), f"{path} ({who})")
    with app.app_context():
        kinds = db.session.scalars(select(Contribution.kind)).all()
    assert kinds == ["project"]
