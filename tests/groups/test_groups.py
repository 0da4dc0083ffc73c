"""Applying to lead a group, approval and decline, invite codes, joining, removing members."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from community.accounts.models import Role, User
from community.audit.models import AuditEvent
from community.extensions import db
from community.groups.models import Group, GroupStatus, Membership
from tests.conftest import sign_in_client
from tests.groups.factories import GROUP_NAME, add_member, make_group
from tests.support.concurrency import at_once
from tests.support.factories import make_user
from tests.support.mail import outbox


@pytest.fixture
def group(app, users):
    """An active group led by the group leader, with the youth user as a member."""
    with app.app_context():
        made = make_group(users["group_leader"])
        add_member(made, users["youth"])
        return made.id


def _code(app, group_id) -> str:
    with app.app_context():
        return db.session.get(Group, group_id).invite_code


def _youth(app):
    with app.app_context():
        person = make_user(Role.YOUTH)
        db.session.refresh(person)
        db.session.expunge(person)
    return sign_in_client(app, person), person


@pytest.mark.parametrize("role", ["youth", "partner", "moderator", "officer", "admin"])
def test_only_adult_residents_apply_to_lead(app, role_client, role):
    response = role_client(role).post("/groups/apply", data={"name": "X", "kind": "youth_club"})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Group)) == 0


def test_an_application_must_be_complete(role_client, framework):
    response = role_client("resident").post("/groups/apply", data={"name": "Club"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "There is a problem" in page
    assert "Choose the group’s ward" in page and "Tell us about your role" in page


def test_an_officer_declines_with_reasons_the_applicant_is_sent(app, role_client, users):
    with app.app_context():
        group_id = make_group(users["resident"], status=GroupStatus.PENDING).id
    officer = role_client("officer")
    empty = officer.post(f"/manage/groups/{group_id}/decline", data={"reasons": ""})
    assert empty.status_code == 400 and "Give the reasons" in empty.get_data(as_text=True)
    blank = officer.post(f"/manage/groups/{group_id}/decline", data={"reasons": "  "})
    assert blank.status_code == 400 and "Say why" in blank.get_data(as_text=True)
    reasons = "We could not confirm the group meets in Kingston."
    assert (
        officer.post(f"/manage/groups/{group_id}/decline", data={"reasons": reasons}).status_code
        == 302
    )
    with app.app_context():
        group = db.session.get(Group, group_id)
        assert group.status == GroupStatus.DECLINED
        assert db.session.get(User, users["resident"].id).role == Role.RESIDENT
        (mail,) = outbox(template="group_leader_declined")
        assert mail.to_address == users["resident"].email and reasons in mail.text_body
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "group.declined"))
    # Decided once: approving afterwards is refused with a message, not an error.
    again = officer.post(f"/manage/groups/{group_id}/approve", follow_redirects=True)
    assert again.status_code == 200 and "already been decided" in again.get_data(as_text=True)
    assert role_client("visitor").get(f"/groups/{group_id}").status_code == 404
    assert role_client("resident").get(f"/groups/{group_id}").status_code == 200  # applicant


def test_approval_is_refused_if_the_applicant_is_no_longer_a_resident(app, role_client, users):
    with app.app_context():
        applicant = make_user()
        group_id = make_group(applicant, status=GroupStatus.PENDING).id
        applicant.role = Role.PARTNER
        db.session.commit()
    page = role_client("officer").post(f"/manage/groups/{group_id}/approve", follow_redirects=True)
    assert "can no longer lead a group" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Group, group_id).status == GroupStatus.PENDING


def test_wrong_and_old_codes_are_refused(app, role_client, group):
    youth_client, youth = _youth(app)
    for bad in ["", "NOPE", "ABCD-EFGH", "' OR 1=1 --", "x" * 19]:
        response = youth_client.post("/groups/join", data={"code": bad})
        assert response.status_code == 400, bad
    assert "That code does not work" in youth_client.post(
        "/groups/join", data={"code": "ABCD-EFGH"}
    ).get_data(as_text=True)
    old = _code(app, group)
    leader = role_client("group_leader")
    assert leader.post(f"/groups/{group}/code").status_code == 302
    new = _code(app, group)
    assert new != old and len(new) == 8
    refused = youth_client.post("/groups/join", data={"code": old})
    assert refused.status_code == 400 and "they may have a new one" in refused.get_data(
        as_text=True
    )
    assert youth_client.post("/groups/join", data={"code": new}).status_code == 302
    with app.app_context():
        assert db.session.scalar(
            select(Membership).where(Membership.user_id == youth.id, Membership.group_id == group)
        )
        assert db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "group.code_regenerated")
        )
    # Joining twice is still one membership.
    assert youth_client.post("/groups/join", data={"code": new}).status_code == 302
    with app.app_context():
        count = select(func.count()).select_from(Membership).where(Membership.user_id == youth.id)
        assert db.session.scalar(count) == 1


def test_only_young_people_join_and_a_pending_group_has_no_code(app, role_client, users):
    assert role_client("resident").get("/groups/join").status_code == 403
    assert role_client("group_leader").post("/groups/join", data={"code": "X"}).status_code == 403
    with app.app_context():
        pending = make_group(make_user(), status=GroupStatus.PENDING)
        assert pending.invite_code is None


def test_the_leader_and_officers_remove_members(app, role_client, users, group):
    other_client, other = _youth(app)
    other_client.post("/groups/join", data={"code": _code(app, group)})
    with app.app_context():
        youth_member = db.session.scalar(
            select(Membership).where(Membership.user_id == users["youth"].id)
        )
        other_member = db.session.scalar(select(Membership).where(Membership.user_id == other.id))
        ids = youth_member.id, other_member.id
    youth = role_client("youth")
    assert youth.get(f"/groups/{group}/projects/new").status_code == 200
    # Members cannot remove each other.
    assert youth.post(f"/groups/{group}/members/{ids[1]}/remove").status_code == 403
    leader = role_client("group_leader")
    assert leader.post(f"/groups/{group}/members/{ids[0]}/remove").status_code == 302
    assert (
        role_client("officer").post(f"/groups/{group}/members/{ids[1]}/remove").status_code == 302
    )
    with app.app_context():
        removed = db.session.scalars(select(Membership).order_by(Membership.id)).all()
        assert all(m.removed_at is not None for m in removed)  # kept, not deleted
        assert {m.removed_by_id for m in removed} == {users["group_leader"].id, users["officer"].id}
    assert youth.get(f"/groups/{group}/projects/new").status_code == 403
    assert "You are a member" not in youth.get(f"/groups/{group}").get_data(as_text=True)
    # A removed member cannot rejoin with the code.
    again = youth.post("/groups/join", data={"code": _code(app, group)})
    assert again.status_code == 400 and "You were removed" in again.get_data(as_text=True)
    # Removing twice, or a member of another group, is refused with a message.
    twice = leader.post(f"/groups/{group}/members/{ids[0]}/remove", follow_redirects=True)
    assert "not a member of this group" in twice.get_data(as_text=True)
    members = leader.get(f"/groups/{group}/members").get_data(as_text=True)
    assert "Nobody has joined yet." in members


def test_a_leader_manages_only_their_own_group(app, role_client, users, group):
    with app.app_context():
        other_leader = make_user(Role.GROUP_LEADER)
        other_group = make_group(other_leader, name="Another group").id
    leader = role_client("group_leader")
    assert leader.get(f"/groups/{other_group}/members").status_code == 403
    assert leader.post(f"/groups/{other_group}/code").status_code == 403
    assert leader.get(f"/groups/{other_group}/projects/new").status_code == 403


def test_the_group_page_shows_the_group_not_its_members(app, role_client, users, group):
    for role in ("visitor", "resident", "youth", "group_leader", "officer"):
        response = role_client(role).get(f"/groups/{group}")
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "Norbiton &lt;b&gt;Youth&lt;/b&gt; Club" in page and GROUP_NAME not in page
        assert "Brien" not in page  # every user's (hostile) display name
    leader_page = role_client("group_leader").get(f"/groups/{group}").get_data(as_text=True)
    code = _code(app, group)
    assert f"{code[:4]}-{code[4:]}" in leader_page and f"/groups/join?code={code}" in leader_page
    assert code not in role_client("youth").get(f"/groups/{group}").get_data(as_text=True)


def test_guessing_codes_is_rate_limited(app, role_client, group):
    youth = role_client("youth")
    codes = [youth.post("/groups/join", data={"code": "AAAA-AAAA"}).status_code for _ in range(21)]
    assert codes[:20] == [400] * 20 and codes[20] == 429


def test_ten_officers_approving_at_once_approve_and_mail_once(app, users):
    with app.app_context():
        group_id = make_group(users["resident"], status=GroupStatus.PENDING).id
    clients = [sign_in_client(app, users["officer"]) for _ in range(10)]
    codes = at_once(lambda c: c.post(f"/manage/groups/{group_id}/approve").status_code, clients)
    assert codes == [302] * 10
    with app.app_context():
        approvals = select(func.count()).where(AuditEvent.action == "group.approved")
        assert db.session.scalar(approvals) == 1
        assert len(outbox(template="group_leader_approved")) == 1
        assert db.session.get(User, users["resident"].id).role == Role.GROUP_LEADER
