"""What young people, group leaders and the officers working with them tripped over:
drafts that would not save, a leader not told, a thread closed after submitting, and a
Move form with every stage's fields at once."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from community.extensions import db
from community.groups.models import Group, Project, ProjectStage
from tests.groups.factories import add_member, make_group, make_project
from tests.support.mail import outbox


@pytest.fixture
def group_id(app, users):
    with app.app_context():
        group = make_group(users["group_leader"])
        add_member(group, users["youth"])
        return group.id


def test_a_draft_saves_whatever_is_there_and_the_leader_is_told(app, role_client, users, group_id):
    youth = role_client("youth")
    saved = youth.post(
        f"/groups/{group_id}/projects/new", data={"title": "Music not knives", "problem": "Fear"}
    )
    assert saved.status_code == 302, saved.get_data(as_text=True)[:2000]
    with app.app_context():
        project = db.session.scalar(select(Project))
        assert project.title == "Music not knives" and project.activities == ""
        project_id = project.id
        mails = outbox(to=users["group_leader"].email, template="project_drafted")
        assert len(mails) == 1
        assert "Music not knives" in mails[0].text_body
        assert "A member of" in mails[0].text_body  # young people are never named
        assert f"/projects/{project_id}" in mails[0].text_body
    # The leader cannot submit it until the rest is there, and is told what is missing.
    leader = role_client("group_leader")
    refused = leader.post(f"/projects/{project_id}/submit", follow_redirects=True)
    page = refused.get_data(as_text=True)
    assert "who it is for" in page and "what the group will do" in page
    with app.app_context():
        assert db.session.get(Project, project_id).stage == ProjectStage.DRAFT


def test_the_leader_drafting_is_not_told_about_their_own_draft(app, role_client, users, group_id):
    role_client("group_leader").post(
        f"/groups/{group_id}/projects/new", data={"title": "My own idea"}
    )
    with app.app_context():
        assert outbox(template="project_drafted") == []


def test_after_submitting_the_leader_can_post_in_the_thread(app, role_client, users, group_id):
    with app.app_context():
        project_id = make_project(
            db.session.get(Group, group_id), users["youth"], status="published"
        ).id
    leader = role_client("group_leader")
    submitted = leader.post(f"/projects/{project_id}/submit", follow_redirects=True)
    assert "through the co-design thread" in submitted.get_data(as_text=True)
    sent = leader.post(
        f"/projects/{project_id}/messages",
        data={"message-body": "When can we meet?"},
        follow_redirects=True,
    )
    assert "Message sent." in sent.get_data(as_text=True)
    assert "When can we meet?" in role_client("officer").get(f"/projects/{project_id}").get_data(
        as_text=True
    )


def test_the_move_form_asks_for_the_stage_first_then_only_its_fields(
    app, role_client, users, group_id
):
    with app.app_context():
        project_id = make_project(
            db.session.get(Group, group_id),
            users["youth"],
            stage=ProjectStage.PROPOSED,
            status="published",
        ).id
    officer = role_client("officer")
    first = officer.get(f"/manage/projects/{project_id}/move").get_data(as_text=True)
    assert "In co-design" in first and "Not taken forward" in first
    assert "Officer mentor" not in first and "Reasons" not in first
    nothing = officer.get(f"/manage/projects/{project_id}/move?step=stage")
    assert nothing.status_code == 400 and "Choose the stage" in nothing.get_data(as_text=True)
    second = officer.get(f"/manage/projects/{project_id}/move?to=not_taken_forward")
    page = second.get_data(as_text=True)
    assert "Reasons" in page and "Officer mentor" not in page and "What was learned" not in page
    missing = officer.post(f"/manage/projects/{project_id}/move", data={"to": "not_taken_forward"})
    assert missing.status_code == 400
    assert "Give the reasons" in missing.get_data(as_text=True)
    moved = officer.post(
        f"/manage/projects/{project_id}/move",
        data={"to": "not_taken_forward", "reasons": "Another group runs this already."},
    )
    assert moved.status_code == 302
    with app.app_context():
        assert db.session.get(Project, project_id).stage == ProjectStage.NOT_TAKEN_FORWARD


def test_with_one_way_on_the_move_form_goes_straight_to_its_fields(
    app, role_client, users, group_id
):
    with app.app_context():
        project_id = make_project(
            db.session.get(Group, group_id),
            users["youth"],
            stage=ProjectStage.DELIVERING,
            status="published",
        ).id
    page = role_client("officer").get(f"/manage/projects/{project_id}/move").get_data(as_text=True)
    assert "What happened" in page and "How many people it reached" in page
    assert "Officer mentor" not in page and "Resources the partnership" not in page
