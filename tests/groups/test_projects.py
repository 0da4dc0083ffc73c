"""Projects: what is seen before moderation, the leader-officer thread, the stage table,
refused moves, redacted text, and safeguarding reports."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from community.accounts.models import Role
from community.contributions.models import ContributionStatus
from community.extensions import db
from community.groups import stages
from community.groups.models import Project, ProjectStage, ProjectUpdate
from tests.conftest import sign_in_client
from tests.groups.factories import add_member, make_group, make_project
from tests.support.concurrency import at_once
from tests.support.factories import make_user
from tests.support.mail import outbox

DRAFT = {
    "title": "Kind words",
    "problem": "Online pile-ons",
    "audience": "Year 7",
    "activities": "Assemblies",
    "strengths": "Peer mentors",
    "success_measures": "A survey",
}


@pytest.fixture
def group(app, users):
    with app.app_context():
        made = make_group(users["group_leader"])
        add_member(made, users["youth"])
        return made.id


@pytest.fixture
def other_member(app, group):
    """A second young member of the same group."""
    with app.app_context():
        person = make_user(Role.YOUTH)
        add_member(_group(group), person)
        db.session.refresh(person)
        db.session.expunge(person)
    return sign_in_client(app, person)


def _group(group_id):
    from community.groups.models import Group

    return db.session.get(Group, group_id)


def _project(app, project_id) -> Project:
    with app.app_context():
        project = db.session.get(Project, project_id)
        db.session.expunge(project)
        return project


def _set(app, project_id, **fields):
    with app.app_context():
        project = db.session.get(Project, project_id)
        for name, value in fields.items():
            setattr(project, name, value)
        db.session.commit()


def test_youth_writing_is_seen_by_no_one_else_before_a_moderator_publishes_it(
    app, role_client, group, other_member
):
    youth = role_client("youth")
    youth.post(f"/groups/{group}/projects/new", data=DRAFT)
    with app.app_context():
        project_id = db.session.scalar(select(Project.id))
    assert _project(app, project_id).status == ContributionStatus.PENDING
    # Its author, the leader (who submits it), officers and moderators see it; nobody else.
    for role in ("youth", "group_leader", "officer", "moderator"):
        assert role_client(role).get(f"/projects/{project_id}").status_code == 200, role
    for role in ("visitor", "resident", "partner"):
        assert role_client(role).get(f"/projects/{project_id}").status_code == 404, role
    assert other_member.get(f"/projects/{project_id}").status_code == 404
    assert "Kind words" not in other_member.get(f"/groups/{group}").get_data(as_text=True)
    # Not even through the shared report form.
    assert role_client("resident").get(f"/contributions/{project_id}/report").status_code == 404
    # Submitted and past "proposed", but still unchecked: still private.
    _set(app, project_id, stage=ProjectStage.REVIEW)
    for path in (f"/projects/{project_id}", "/groups/", f"/groups/{group}"):
        assert "Kind words" not in role_client("visitor").get(path).get_data(as_text=True)
    # A moderator publishes it: now everyone sees it, under the group's name.
    role_client("moderator").post(f"/moderation/{project_id}/publish")
    for path in (f"/projects/{project_id}", "/groups/", f"/groups/{group}"):
        assert "Kind words" in role_client("visitor").get(path).get_data(as_text=True), path
    assert other_member.get(f"/projects/{project_id}").status_code == 200


def test_a_published_project_is_public_only_past_proposed(app, role_client, group, users):
    with app.app_context():
        project = make_project(_group(group), users["youth"], status="published")
        project_id = project.id
    visitor = role_client("visitor")
    for stage in (ProjectStage.DRAFT, ProjectStage.PROPOSED):
        _set(app, project_id, stage=stage)
        assert visitor.get(f"/projects/{project_id}").status_code == 404, stage
    for stage in ProjectStage:
        if stage not in (ProjectStage.DRAFT, ProjectStage.PROPOSED):
            _set(app, project_id, stage=stage)
            assert visitor.get(f"/projects/{project_id}").status_code == 200, stage


def test_editing_a_draft_sends_it_back_to_moderation(app, role_client, group, users):
    with app.app_context():
        project_id = make_project(_group(group), users["youth"], status="published").id
    youth = role_client("youth")
    assert youth.get(f"/projects/{project_id}/edit").status_code == 200
    changed = youth.post(f"/projects/{project_id}/edit", data={**DRAFT, "title": "Kinder words"})
    assert changed.status_code == 302
    project = _project(app, project_id)
    assert project.title == "Kinder words" and project.status == ContributionStatus.PENDING
    assert project.body.startswith("Kinder words")
    # The leader edits too; it stays youth writing, so it stays held.
    role_client("group_leader").post(f"/projects/{project_id}/edit", data=DRAFT)
    project = _project(app, project_id)
    assert project.by_youth and project.status == ContributionStatus.PENDING
    # Once submitted, the draft is fixed.
    role_client("group_leader").post(f"/projects/{project_id}/submit")
    assert youth.get(f"/projects/{project_id}/edit").status_code == 403
    assert role_client("group_leader").post(f"/projects/{project_id}/submit").status_code == 403


def test_a_leader_can_draft_too_and_only_the_leader_submits(app, role_client, group):
    leader = role_client("group_leader")
    assert leader.post(f"/groups/{group}/projects/new", data=DRAFT).status_code == 302
    with app.app_context():
        project = db.session.scalar(select(Project))
        assert not project.by_youth and project.stage == ProjectStage.DRAFT
        project_id = project.id
    assert role_client("youth").post(f"/projects/{project_id}/submit").status_code == 403
    assert role_client("officer").post(f"/projects/{project_id}/submit").status_code == 403
    assert leader.post(f"/projects/{project_id}/submit").status_code == 302
    assert _project(app, project_id).stage == ProjectStage.PROPOSED
    # Still not public: it is only "proposed".
    assert role_client("visitor").get(f"/projects/{project_id}").status_code == 404


def test_young_members_never_see_the_co_design_thread(app, role_client, group, users):
    with app.app_context():
        project_id = make_project(
            _group(group), users["youth"], stage=ProjectStage.CO_DESIGN, status="published"
        ).id
    role_client("group_leader").post(
        f"/projects/{project_id}/messages", data={"message-body": "Budget question"}
    )
    role_client("officer").post(
        f"/projects/{project_id}/messages", data={"message-body": "Answer here"}
    )
    for role in ("group_leader", "officer", "admin"):
        page = role_client(role).get(f"/projects/{project_id}").get_data(as_text=True)
        assert "Budget question" in page and "Answer here" in page, role
    for role in ("youth", "visitor", "resident", "moderator", "partner"):
        page = role_client(role).get(f"/projects/{project_id}").get_data(as_text=True)
        assert "Budget question" not in page and "Co-design thread" not in page, role
    for role in ("youth", "resident", "moderator", "partner"):
        response = role_client(role).post(
            f"/projects/{project_id}/messages", data={"message-body": "Hi"}
        )
        assert response.status_code == 403, role
    # The thread closes after delivery.
    _set(app, project_id, stage=ProjectStage.EVALUATED)
    closed = role_client("group_leader").post(
        f"/projects/{project_id}/messages", data={"message-body": "Late"}, follow_redirects=True
    )
    assert "from submission until delivery" in closed.get_data(as_text=True)


def test_the_stage_table_reaches_every_stage():
    reachable, frontier = {ProjectStage.DRAFT}, [ProjectStage.DRAFT]
    while frontier:
        here = frontier.pop()
        for (frm, to), _move in stages.TRANSITIONS.items():
            if frm == here and to not in reachable:
                reachable.add(to)
                frontier.append(to)
    assert reachable == set(ProjectStage)
    assert set(stages.STAGE_ALLOWS) == set(ProjectStage) == set(stages.STAGE_LABELS)
    assert stages.next_stages(ProjectStage.EVALUATED) == []


NOT_IN_TABLE = [
    (frm, to)
    for frm in ProjectStage
    for to in ProjectStage
    if frm != to and (stages.move(frm, to) is None or stages.move(frm, to).by != "officer")
]


def test_moves_not_in_the_table_are_refused_with_a_clear_message(app, role_client, group, users):
    with app.app_context():
        project_id = make_project(_group(group), users["youth"], status="published").id
    officer = role_client("officer")
    everything = {
        "note": "n",
        "mentor": str(users["officer"].id),
        "resources": "r",
        "reasons": "r",
        "outcome": "o",
        "people_reached": "1",
        "lessons": "l",
    }
    assert len(NOT_IN_TABLE) > 40
    for frm, to in NOT_IN_TABLE:
        _set(app, project_id, stage=frm)
        response = officer.post(
            f"/manage/projects/{project_id}/move", data={"to": to.value, **everything}
        )
        page = response.get_data(as_text=True)
        assert response.status_code == 400, (frm, to)
        assert "cannot move" in page, (frm, to)
        assert _project(app, project_id).stage == frm
    _set(app, project_id, stage=ProjectStage.REVIEW)
    for nonsense in ("banana", "", "<script>"):
        response = officer.post(f"/manage/projects/{project_id}/move", data={"to": nonsense})
        assert response.status_code == 400, nonsense
    page = officer.post(f"/manage/projects/{project_id}/move", data={"to": "delivering"})
    text = page.get_data(as_text=True)
    assert "“Partnership review” cannot move to “Delivering”" in text
    assert "It can move to: In co-design, Approved, Not taken forward." in text
    with app.app_context():
        assert db.session.scalar(select(ProjectUpdate)) is None
        assert outbox(template="project_stage_changed") == []


@pytest.mark.parametrize(
    ("start", "to", "missing", "message"),
    [
        ("proposed", "co_design", {}, "Choose an officer to mentor the group"),
        ("proposed", "co_design", {"mentor": "999999"}, "Choose an officer to mentor the group"),
        ("review", "approved", {}, "Say what resources the partnership will give"),
        ("review", "not_taken_forward", {}, "Give the reasons it is not taken forward"),
        ("delivering", "evaluated", {"outcome": "x", "lessons": "y"}, "how many people"),
        ("delivering", "evaluated", {"people_reached": "lots"}, "Not a valid integer"),
        ("delivering", "evaluated", {"people_reached": "-3"}, "0 or more"),
    ],
)
def test_a_move_records_what_its_stage_needs(
    app, role_client, group, users, start, to, missing, message
):
    with app.app_context():
        project_id = make_project(_group(group), users["youth"], stage=ProjectStage(start)).id
    response = role_client("officer").post(
        f"/manage/projects/{project_id}/move", data={"to": to, **missing}
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _project(app, project_id).stage == start


def test_a_mentor_must_be_an_officer(app, role_client, group, users):
    with app.app_context():
        project_id = make_project(_group(group), users["youth"], stage=ProjectStage.PROPOSED).id
    response = role_client("officer").post(
        f"/manage/projects/{project_id}/move",
        data={"to": "co_design", "mentor": str(users["resident"].id)},
    )
    assert response.status_code == 400 and "Choose an officer" in response.get_data(as_text=True)


def test_not_taken_forward_shows_the_reasons_in_public(app, role_client, group, users):
    with app.app_context():
        project_id = make_project(
            _group(group), users["youth"], stage=ProjectStage.PROPOSED, status="published"
        ).id
    role_client("officer").post(
        f"/manage/projects/{project_id}/move",
        data={"to": "not_taken_forward", "reasons": "A similar project already runs."},
    )
    page = role_client("visitor").get(f"/projects/{project_id}").get_data(as_text=True)
    assert "Not taken forward" in page and "A similar project already runs." in page
    with app.app_context():
        (mail,) = outbox(template="project_stage_changed")
        assert mail.to_address == users["group_leader"].email


def test_officers_post_dated_updates_within_a_stage(app, role_client, group, users):
    with app.app_context():
        project_id = make_project(_group(group), users["youth"], stage=ProjectStage.DELIVERING).id
    officer = role_client("officer")
    officer.post(
        f"/manage/projects/{project_id}/updates", data={"update-note": "First session ran"}
    )
    empty = officer.post(
        f"/manage/projects/{project_id}/updates", data={"update-note": ""}, follow_redirects=True
    )
    assert "Write the update" in empty.get_data(as_text=True)
    leader = role_client("group_leader")
    assert (
        leader.post(f"/manage/projects/{project_id}/updates", data={"update-note": "x"}).status_code
        == 403
    )
    page = role_client("youth").get(f"/projects/{project_id}").get_data(as_text=True)
    assert "First session ran" in page
    with app.app_context():
        (update,) = db.session.scalars(select(ProjectUpdate)).all()
        assert update.from_stage == update.to_stage == ProjectStage.DELIVERING
        assert update.created_at is not None


def test_personal_details_removed_by_moderators_stay_removed_in_public(
    app, role_client, group, other_member
):
    youth = role_client("youth")
    youth.post(
        f"/groups/{group}/projects/new",
        data={**DRAFT, "activities": "Ring Jay on 07700 900123 to sign up"},
    )
    with app.app_context():
        project = db.session.scalar(select(Project))
        project_id = project.id
        assert project.status == ContributionStatus.PENDING and "phone" in project.hold_reasons
    role_client("moderator").post(f"/moderation/{project_id}/publish", data={"publish-redact": "y"})
    _set(app, project_id, stage=ProjectStage.CO_DESIGN)
    for client in (role_client("visitor"), role_client("resident"), other_member):
        page = client.get(f"/projects/{project_id}").get_data(as_text=True)
        assert "07700 900123" not in page and "[removed]" in page
    # The author and the leader still see what was written.
    assert "07700 900123" in youth.get(f"/projects/{project_id}").get_data(as_text=True)


def test_a_safeguarding_concern_goes_to_the_safeguarding_leads(app, role_client, group, users):
    with app.app_context():
        lead = make_user(Role.MODERATOR)
        lead.safeguarding_lead = True
        db.session.commit()
        lead_email = lead.email
        project_id = make_project(
            _group(group), users["youth"], stage=ProjectStage.CO_DESIGN, status="published"
        ).id
    resident = role_client("resident")
    page = resident.get(f"/projects/{project_id}").get_data(as_text=True)
    assert f"/contributions/{project_id}/report" in page
    resident.post(f"/contributions/{project_id}/report", data={"reason": "safeguarding"})
    with app.app_context():
        assert [m.to_address for m in outbox(template="safeguarding_alert")] == [lead_email]


def test_ten_moves_at_once_make_one_move(app, users, group):
    with app.app_context():
        project_id = make_project(_group(group), users["youth"], stage=ProjectStage.CO_DESIGN).id
    clients = [sign_in_client(app, users["officer"]) for _ in range(10)]
    codes = at_once(
        lambda c: c.post(f"/manage/projects/{project_id}/move", data={"to": "review"}).status_code,
        clients,
    )
    # One moves it; the others are told it can no longer move there (never a 500).
    assert sorted(codes) == [302] + [400] * 9
    with app.app_context():
        assert len(db.session.scalars(select(ProjectUpdate)).all()) == 1
        assert len(outbox(template="project_stage_changed")) == 1
